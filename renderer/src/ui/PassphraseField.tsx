import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Eye, EyeOff } from 'lucide-react';
import { useCapsLock } from './use-caps-lock';
import './passphrase-field.css';

/**
 * A secret field (passphrase, recovery key) with a show/hide toggle and a Caps Lock warning. The value stays in
 * the input (read with takeSecret), never in React state. It is hidden again whenever its form is submitted; a
 * lock unmounts it, which hides it too.
 */
export function PassphraseField({
  label,
  showLabel,
  inputRef,
  autoComplete,
  describedBy,
  onInput,
  disabled = false,
  autoFocus = false,
}: {
  label: string;
  /** The show/hide toggle's name, for a secret that is not a passphrase ("Show password"). */
  showLabel?: string;
  inputRef: RefObject<HTMLInputElement | null>;
  autoComplete: 'current-password' | 'new-password' | 'off';
  /** Ids of hints the field also points at (a strength meter). */
  describedBy?: string;
  onInput?: (value: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const capsLockId = `${id}-caps`;
  const [shown, setShown] = useState(false);
  const { capsLock, handlers } = useCapsLock();
  const ownRef = useRef<HTMLInputElement | null>(null);

  // A submitted secret is not left on screen, whatever comes after (an error, a re-key's progress).
  useEffect(() => {
    const form = ownRef.current?.form;
    if (!form) return;
    const hide = () => setShown(false);
    form.addEventListener('submit', hide);
    return () => form.removeEventListener('submit', hide);
  }, []);

  return (
    <div className="passphrase-field">
      <label htmlFor={id}>{label}</label>
      <div className="passphrase-field-row">
        <input
          id={id}
          ref={(element) => {
            ownRef.current = element;
            inputRef.current = element;
          }}
          type={shown ? 'text' : 'password'}
          autoComplete={autoComplete}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required
          autoFocus={autoFocus}
          disabled={disabled}
          aria-describedby={[describedBy, capsLockId].filter(Boolean).join(' ')}
          onInput={onInput && ((event) => onInput(event.currentTarget.value))}
          {...handlers}
        />
        {/* The name stays the same in both states (WAI-ARIA toggle buttons): aria-pressed says which one it is. A
            native button is all such a toggle needs. */}
        <button
          type="button"
          className="passphrase-toggle"
          aria-label={showLabel ?? t('passphrase.show')}
          aria-pressed={shown}
          onClick={() => setShown(!shown)}
          disabled={disabled}
        >
          {shown ? <EyeOff aria-hidden="true" size={18} /> : <Eye aria-hidden="true" size={18} />}
        </button>
      </div>
      {/* A live region without role="status", so it is no extra status for the screen's own to compete with. */}
      <p id={capsLockId} className="caps-lock-warning" aria-live="polite">
        {capsLock ? t('passphrase.capsLock') : ''}
      </p>
    </div>
  );
}
