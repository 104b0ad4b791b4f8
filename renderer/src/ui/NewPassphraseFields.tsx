import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PassphraseEstimate } from '../vault';
import { PassphraseStrength } from './PassphraseStrength';

/** A new passphrase, its strength meter, and its confirmation. */
export function NewPassphraseFields({
  label,
  passphraseRef,
  confirmationRef,
  estimate,
  onInput,
  disabled = false,
}: {
  label: string;
  passphraseRef: RefObject<HTMLInputElement | null>;
  confirmationRef: RefObject<HTMLInputElement | null>;
  estimate: PassphraseEstimate | null;
  onInput: (value: string) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const strengthId = useId();
  return (
    <>
      <label>
        {label}
        <input
          ref={passphraseRef}
          type="password"
          autoComplete="new-password"
          required
          aria-describedby={strengthId}
          onInput={(event) => onInput(event.currentTarget.value)}
          disabled={disabled}
        />
      </label>
      <PassphraseStrength estimate={estimate} id={strengthId} />
      <label>
        {t('passphrase.confirm')}
        <input ref={confirmationRef} type="password" autoComplete="new-password" required disabled={disabled} />
      </label>
    </>
  );
}
