import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NewPassphraseFields, PassphraseField, usePassphraseEstimate } from '../../ui';
import type { VaultClient } from '../../vault';

export type SecretMode = 'passphrase' | 'recovery';

/**
 * What opens a vault or a backup: the passphrase, or the recovery key and a
 * new passphrase typed twice. The fields are uncontrolled (their values are
 * taken once, as bytes, and cleared: see takeSecret), so the state is refs.
 */
export function useSecretFields(vault: VaultClient) {
  const [mode, setMode] = useState<SecretMode>('passphrase');
  const passphrase = useRef<HTMLInputElement>(null);
  const recoveryKey = useRef<HTMLInputElement>(null);
  const newPassphrase = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  const { estimate, onInput } = usePassphraseEstimate(vault);
  /** Empties the recovery-key field once the key has done its work (kept after a failure, to correct it). */
  const clearRecoveryKey = () => {
    if (recoveryKey.current) recoveryKey.current.value = '';
  };
  return { mode, setMode, passphrase, recoveryKey, newPassphrase, confirmation, estimate, onInput, clearRecoveryKey };
}

export type SecretFieldsState = ReturnType<typeof useSecretFields>;

export function SecretFields({ fields, disabled }: { fields: SecretFieldsState; disabled: boolean }) {
  const { t } = useTranslation();
  if (fields.mode === 'passphrase')
    return (
      <PassphraseField
        key="passphrase"
        label={t('passphrase.label')}
        inputRef={fields.passphrase}
        autoComplete="current-password"
        autoFocus
        disabled={disabled}
      />
    );
  return (
    <>
      <PassphraseField
        key="recovery-key"
        label={t('unlock.recoveryKey')}
        inputRef={fields.recoveryKey}
        autoComplete="off"
        autoFocus
        disabled={disabled}
      />
      <NewPassphraseFields
        label={t('unlock.newPassphrase')}
        passphraseRef={fields.newPassphrase}
        confirmationRef={fields.confirmation}
        estimate={fields.estimate}
        onInput={fields.onInput}
        disabled={disabled}
      />
    </>
  );
}

/** Switches between the passphrase and the recovery key; `onSwitch` clears what the other mode said. */
export function SecretModeSwitch({
  fields,
  disabled,
  onSwitch,
}: {
  fields: SecretFieldsState;
  disabled: boolean;
  onSwitch: () => void;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="link"
      disabled={disabled}
      onClick={() => {
        onSwitch();
        fields.setMode(fields.mode === 'passphrase' ? 'recovery' : 'passphrase');
      }}
    >
      {t(fields.mode === 'passphrase' ? 'unlock.useRecovery' : 'unlock.usePassphrase')}
    </button>
  );
}
