import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PassphraseEstimate } from '../vault';
import { PassphraseField } from './PassphraseField';
import { PassphraseStrength } from './PassphraseStrength';

/** A new passphrase, its strength meter, and its confirmation. */
export function NewPassphraseFields({
  label,
  passphraseRef,
  confirmationRef,
  estimate,
  onInput,
  disabled = false,
  autoFocus = false,
}: {
  label: string;
  passphraseRef: RefObject<HTMLInputElement | null>;
  confirmationRef: RefObject<HTMLInputElement | null>;
  estimate: PassphraseEstimate | null;
  onInput: (value: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const strengthId = useId();
  return (
    <>
      <PassphraseField
        label={label}
        inputRef={passphraseRef}
        autoComplete="new-password"
        describedBy={strengthId}
        onInput={onInput}
        disabled={disabled}
        autoFocus={autoFocus}
      />
      <PassphraseStrength estimate={estimate} id={strengthId} />
      <PassphraseField
        label={t('passphrase.confirm')}
        inputRef={confirmationRef}
        autoComplete="new-password"
        disabled={disabled}
      />
    </>
  );
}
