import { useTranslation } from 'react-i18next';

/** Says that a form shows text typed earlier and never saved (a crash, a power cut), brought back from its draft. */
export function RestoredTextNotice() {
  const { t } = useTranslation();
  return (
    <p role="status" className="restored-text-notice">
      {t('drafts.restoredText')}
    </p>
  );
}
