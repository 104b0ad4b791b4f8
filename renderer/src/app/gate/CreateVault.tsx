import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { takeSecret, type VaultClient } from '../../vault';
import { errorMessage, NewPassphraseFields, usePassphraseEstimate } from '../../ui';
import { GateHeader } from './GateHeader';

/**
 * First run: choose a passphrase (twice), or restore a vault from a backup instead (`onRestore`). `create` goes
 * through VaultRunner, so a lock under way waits for it.
 */
export function CreateVault({
  vault,
  create,
  onCreated,
  onRestore,
}: {
  vault: VaultClient;
  create: (passphrase: Uint8Array) => Promise<{ recoveryKey: string }>;
  onCreated: (recoveryKey: string) => void;
  onRestore?: () => void;
}) {
  const { t } = useTranslation();
  const passphrase = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  const { estimate, onInput } = usePassphraseEstimate(vault);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (passphrase.current?.value !== confirmation.current?.value) {
      setError(t('create.mismatch'));
      return;
    }
    // The worker enforces the same rule; an estimate still on its way must not block a strong passphrase.
    if (estimate && !estimate.acceptable) {
      setError(t('errors.weak-passphrase'));
      return;
    }
    setBusy(true);
    takeSecret(confirmation.current);
    try {
      const { recoveryKey } = await create(takeSecret(passphrase.current));
      onCreated(recoveryKey);
    } catch (caught) {
      setError(errorMessage(t, caught));
      setBusy(false);
    }
  }

  return (
    <form className="gate gate-card" onSubmit={(event) => void submit(event)} aria-labelledby="create-heading">
      <GateHeader
        icon="create"
        headingId="create-heading"
        heading={t('create.heading')}
        explain={t('create.explain')}
      />
      <NewPassphraseFields
        label={t('passphrase.label')}
        passphraseRef={passphrase}
        confirmationRef={confirmation}
        estimate={estimate}
        onInput={onInput}
        disabled={busy}
        autoFocus
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('create.submit')}
      </button>
      {busy && <p role="status">{t('create.working')}</p>}
      {onRestore && (
        <button type="button" className="gate-secondary" disabled={busy} onClick={onRestore}>
          {t('restore.open')}
        </button>
      )}
    </form>
  );
}
