import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { takeSecret } from '../../vault';
import { errorMessage, PassphraseField, StatusMessage } from '../../ui';
import { useVault } from '../../session';

/**
 * The way out when records are not the versions last written and no trusted
 * copy can bring them back: take them as stored, with the passphrase, and
 * leave that in the custody log. Shown only after a verification found it.
 */
export function AcceptRecordsAsStored({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useTranslation();
  const vault = useVault();
  const passphrase = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await vault.acceptRecordsAsStored(takeSecret(passphrase.current));
      setMessage({ ok: true, text: t('log.accept.done') });
      onAccepted();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="accept-heading">
      <h3 id="accept-heading">{t('log.accept.heading')}</h3>
      <p>{t('log.accept.explain')}</p>
      <PassphraseField label={t('log.accept.passphrase')} inputRef={passphrase} autoComplete="current-password" />
      <button type="submit">{t('log.accept.submit')}</button>
      <StatusMessage message={message} />
    </form>
  );
}
