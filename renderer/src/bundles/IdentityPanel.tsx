import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, NewPassphraseFields, StatusMessage, usePassphraseEstimate } from '../ui';
import { safeFileName, saveTextFile, type Platform } from '../platform';
import { takeSecret, type IdentityView, type VaultClient } from '../vault';
import { Fingerprint } from './Fingerprint';

type Message = { ok: boolean; text: string };

/** This vault's identity: its name, its fingerprint, its card for contacts, and a key file for the verifier. */
export function IdentityPanel({ vault, platform }: { vault: VaultClient; platform: Platform }) {
  const { t } = useTranslation();
  const [identity, setIdentity] = useState<IdentityView | null>(null);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<Message | null>(null);

  useEffect(() => {
    let current = true;
    vault.getIdentity().then(
      (loaded) => {
        if (!current) return;
        setIdentity(loaded);
        setName(loaded.name);
      },
      (caught: unknown) => current && setMessage({ ok: false, text: errorMessage(t, caught) }),
    );
    return () => {
      current = false;
    };
    // Not on `t`: a language switch must not reset the name being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [vault]);

  async function rename(event: FormEvent) {
    event.preventDefault();
    try {
      setIdentity(await vault.renameIdentity(name));
      setMessage({ ok: true, text: t('identity.renamed') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  async function saveCard() {
    setMessage(null);
    try {
      const card = await vault.identityCard();
      // The name as saved (the platform makes it safe the same way), so the message names the file there is.
      const fileName = safeFileName(`${identity?.name || 'identity'}.evidence-vault-id.json`);
      if (await saveTextFile(platform, fileName, 'application/json', card))
        setMessage({ ok: true, text: t('identity.cardSaved', { name: fileName }) });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  if (!identity)
    return message ? (
      <p role="alert" className="error">
        {message.text}
      </p>
    ) : (
      <p>{t('common.loading')}</p>
    );

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
        <button type="button" onClick={() => void saveCard()}>
          {t('identity.saveCard')}
        </button>
      </div>
      <StatusMessage message={message} />
      <KeyFileForm vault={vault} platform={platform} />
    </section>
  );
}

/** The identity's secret keys for the command-line verifier, sealed with a passphrase of their own. */
function KeyFileForm({ vault, platform }: { vault: VaultClient; platform: Platform }) {
  const { t } = useTranslation();
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
        <label>
          {t('identity.vaultPassphrase')}
          <input ref={vaultPassphrase} type="password" autoComplete="current-password" required />
        </label>
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
