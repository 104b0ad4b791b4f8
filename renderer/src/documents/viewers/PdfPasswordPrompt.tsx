import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PassphraseField } from '../../ui';

/**
 * Asks for a PDF's password, in the viewer pane (as pdf.js's own viewer does). The password stays in its field
 * until submitted, is then cleared from it and handed to pdf.js: it is never in React state, never stored, never
 * logged. After a wrong password the prompt comes back (a new one, focused) saying so.
 */
export function PdfPasswordPrompt({
  reason,
  onSubmit,
  onCancel,
}: {
  reason: 'need' | 'incorrect';
  onSubmit: (password: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [checking, setChecking] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value === '' || checking) return;
    const password = field.value;
    field.value = '';
    setChecking(true);
    onSubmit(password);
  }

  return (
    <form className="pdf-password" aria-labelledby={headingId} autoComplete="off" onSubmit={submit}>
      <h3 id={headingId}>{t('viewer.password.heading')}</h3>
      <p>{t('viewer.password.explain')}</p>
      {reason === 'incorrect' && (
        <p role="alert" className="error">
          {t('viewer.password.incorrect')}
        </p>
      )}
      <PassphraseField
        label={t('viewer.password.label')}
        showLabel={t('viewer.password.show')}
        inputRef={input}
        autoComplete="off"
        autoFocus
        disabled={checking}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={checking}>
          {t('viewer.password.open')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      {checking && <p role="status">{t('viewer.password.checking')}</p>}
    </form>
  );
}
