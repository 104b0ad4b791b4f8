import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PassphraseField } from '../../ui';
import type { PdfPasswordReason } from '../pdf-password';

/**
 * Asks for a PDF's password, in the viewer pane (as pdf.js's own viewer does). The password stays in its field
 * until submitted, is then cleared from it and handed on: it is never in React state and never logged. It is kept
 * (sealed in the vault) only when the user ticks "Remember the password in this vault", which starts unticked each
 * time. After a wrong password the prompt comes back (a new one, focused) saying so.
 */
export function PdfPasswordPrompt({
  reason,
  canRemember,
  onSubmit,
  onCancel,
}: {
  reason: PdfPasswordReason;
  /** Whether the vault can remember it (the reader's viewer; not a viewer without a document behind it). */
  canRemember: boolean;
  onSubmit: (password: string, remember: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const input = useRef<HTMLInputElement>(null);
  const rememberBox = useRef<HTMLInputElement>(null);
  const [checking, setChecking] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value === '' || checking) return;
    const password = field.value;
    field.value = '';
    setChecking(true);
    onSubmit(password, canRemember && rememberBox.current?.checked === true);
  }

  return (
    <form className="pdf-password" aria-labelledby={headingId} autoComplete="off" onSubmit={submit}>
      <h3 id={headingId}>{t('viewer.password.heading')}</h3>
      <p>{t(canRemember ? 'viewer.password.explainRemember' : 'viewer.password.explain')}</p>
      {reason !== 'need' && (
        <p role="alert" className="error">
          {t(reason === 'incorrect' ? 'viewer.password.incorrect' : 'viewer.password.rememberedFailed')}
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
      {canRemember && (
        <label className="inline">
          <input ref={rememberBox} type="checkbox" defaultChecked={false} disabled={checking} />
          {t('viewer.password.remember')}
        </label>
      )}
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
