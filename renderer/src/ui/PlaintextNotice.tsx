import { useTranslation } from 'react-i18next';

/**
 * The one line every plaintext export shows beside its button: the file it writes leaves the vault unencrypted.
 * `id` lets the button point at it with aria-describedby; `about: 'copies'` says it of a list's "Save a copy" buttons.
 */
export function PlaintextNotice({ id, about = 'file' }: { id?: string; about?: 'file' | 'copies' }) {
  const { t } = useTranslation();
  return (
    <p className="plaintext-notice" id={id}>
      {about === 'copies' ? t('exports.plaintextNoticeCopies') : t('exports.plaintextNotice')}
    </p>
  );
}
