import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import {
  errorMessage,
  NewPassphraseFields,
  PassphraseField,
  PlaintextNotice,
  StatusMessage,
  usePassphraseEstimate,
} from '../ui';
import { saveTextFile, type Platform } from '../platform';
import { takeSecret, type IdentityView } from '../vault';
import { Fingerprint } from './Fingerprint';

type Message = { ok: boolean; text: string };

/** The identity card's file name: never the display name (a file name is seen by anyone who sees the folder). */
export const identityCardFileName = (fingerprint: readonly string[]) =>
  `evidence-vault-identity-${fingerprint.slice(0, 2).join('-')}.json`;

/** This vault's identity: its name, its fingerprint, its card for contacts, and a key file for the verifier. */
export function IdentityPanel({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const identity = useVaultQuery(queryKeys.identity, (client) => client.getIdentity());
  if (identity.status === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, identity.error)}
      </p>
    );
  if (identity.status === 'pending') return <p>{t('common.loading')}</p>;
  return <IdentityDetails identity={identity.data} platform={platform} />;
}

function IdentityDetails({ identity, platform }: { identity: IdentityView; platform: Platform }) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  // Set from the identity once: a language switch or a reload must not reset the name being typed.
  const [name, setName] = useState(identity.name);
  const [message, setMessage] = useState<Message | null>(null);

  async function rename(event: FormEvent) {
    event.preventDefault();
    try {
      await vault.renameIdentity(name);
      await refresh(queryKeys.identity);
      setMessage({ ok: true, text: t('identity.renamed') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  async function saveCard() {
    setMessage(null);
    try {
      const card = await vault.identityCard();
      const fileName = identityCardFileName(identity.fingerprint);
      if (await saveTextFile(platform, fileName, 'application/json', card))
        setMessage({ ok: true, text: t('identity.cardSaved', { name: fileName }) });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <section aria-labelledby="identity-heading" className="identity">
      <h2 id="identity-heading">{t('identity.heading')}</h2>
      <form autoComplete="off" onSubmit={(event) => void rename(event)} className="inline-form">
        <label>
          {t('identity.name')}
          <input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </label>
        <button type="submit">{t('identity.saveName')}</button>
      </form>
      <p>{t('identity.fingerprintHelp')}</p>
      <Fingerprint groups={identity.fingerprint} owner={identity.name || t('identity.you')} />
      <div className="actions">
        <button type="button" aria-describedby="identity-card-plaintext" onClick={() => void saveCard()}>
          {t('identity.saveCard')}
        </button>
        <PlaintextNotice id="identity-card-plaintext" />
      </div>
      <StatusMessage message={message} />
      <KeyFileForm platform={platform} />
    </section>
  );
}

/** The identity's secret keys for the command-line verifier, sealed with a passphrase of their own. */
function KeyFileForm({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const vault = useVault();
  const vaultPassphrase = useRef<HTMLInputElement>(null);
  const filePassphrase = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  const { estimate, onInput } = usePassphraseEstimate(vault);
  const [message, setMessage] = useState<Message | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    if (filePassphrase.current?.value !== confirmation.current?.value) {
      setMessage({ ok: false, text: t('create.mismatch') });
      return;
    }
    try {
      takeSecret(confirmation.current);
      const file = await vault.identityKeyFile(takeSecret(vaultPassphrase.current), takeSecret(filePassphrase.current));
      if (await saveTextFile(platform, 'identity-key.evidence-vault-key.json', 'application/json', file))
        setMessage({ ok: true, text: t('identity.keyFileSaved') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <details className="key-file">
      <summary>{t('identity.keyFileHeading')}</summary>
      <form autoComplete="off" onSubmit={(event) => void submit(event)} aria-label={t('identity.keyFileHeading')}>
        <p className="hint">{t('identity.keyFileHelp')}</p>
        <PassphraseField
          label={t('identity.vaultPassphrase')}
          inputRef={vaultPassphrase}
          autoComplete="current-password"
        />
        <NewPassphraseFields
          label={t('identity.filePassphrase')}
          passphraseRef={filePassphrase}
          confirmationRef={confirmation}
          estimate={estimate}
          onInput={onInput}
        />
        <button type="submit">{t('identity.saveKeyFile')}</button>
        <StatusMessage message={message} />
      </form>
    </details>
  );
}
