import { useTranslation } from 'react-i18next';

/**
 * The one line every plaintext export shows beside its button: the file it writes leaves the vault unencrypted.
 * `id` lets the button point at it with aria-describedby.
 */
export function PlaintextNotice({ id }: { id?: string }) {
  const { t } = useTranslation();
  return (
    <p className="plaintext-notice" id={id}>
      {t('exports.plaintextNotice')}
    </p>
  );
}
