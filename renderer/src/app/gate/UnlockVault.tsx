import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { takeSecret, type VaultClient } from '../../vault';
import { errorMessage } from '../../ui';
import { GateHeader } from './GateHeader';
import { SecretFields, SecretModeSwitch, useSecretFields } from './SecretFields';
import { RekeyProgress, useRekeyStatus } from './RekeyProgress';

/** Unlock with the passphrase, or with the recovery key and a new passphrase. */
export function UnlockVault({ vault, onUnlocked }: { vault: VaultClient; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const fields = useSecretFields(vault);
  const { mode, passphrase, recoveryKey, newPassphrase, confirmation } = fields;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A passphrase change cut short (a crash, a lock) is finished by the unlock: its progress shows meanwhile.
  const rekey = useRekeyStatus(vault, busy);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (mode === 'recovery' && newPassphrase.current?.value !== confirmation.current?.value) {
      setError(t('create.mismatch'));
      return;
    }
    setBusy(true);
    try {
      if (mode === 'passphrase') await vault.unlock(takeSecret(passphrase.current));
      else {
        const key = recoveryKey.current?.value ?? '';
        takeSecret(confirmation.current);
        await vault.recover(key, takeSecret(newPassphrase.current));
        fields.clearRecoveryKey();
      }
      onUnlocked();
    } catch (caught) {
      setError(errorMessage(t, caught));
      setBusy(false);
      passphrase.current?.focus();
    }
  }

  return (
    <form className="gate gate-card" onSubmit={(event) => void submit(event)} aria-labelledby="unlock-heading">
      <GateHeader
        icon="unlock"
        headingId="unlock-heading"
        heading={t(mode === 'passphrase' ? 'unlock.heading' : 'unlock.recoveryHeading')}
        explain={t(mode === 'passphrase' ? 'unlock.explain' : 'unlock.recoveryExplain')}
      />
      <SecretFields fields={fields} disabled={busy} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t(mode === 'passphrase' ? 'unlock.submit' : 'unlock.recoverSubmit')}
      </button>
      {busy &&
        (rekey?.running ? <RekeyProgress vault={vault} status={rekey} /> : <p role="status">{t('unlock.working')}</p>)}
      <SecretModeSwitch fields={fields} disabled={busy} onSwitch={() => setError(null)} />
    </form>
  );
}
