import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { RecoveryKeyGroups } from './RecoveryKeyGroups';

/** Set on <html> while the key sheet prints: gate.css then prints the sheet and nothing else of the app. */
export const PRINTING_CLASS = 'printing-recovery-key';

/**
 * The paper copy of the recovery key: the app's name, the date, the key, what it opens, and where to keep it.
 * Rendered straight under <body> and only while printing, so the print stylesheet can hide the whole app around
 * it and the key is not in the page twice the rest of the time.
 */
export function RecoveryKeyPrintSheet({ recoveryKey }: { recoveryKey: string }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(new Date());
  return createPortal(
    <article className="recovery-print-sheet">
      <h1>{t('app.name')}</h1>
      <h2>{t('recovery.print.title')}</h2>
      <p>{t('recovery.print.date', { date })}</p>
      <RecoveryKeyGroups recoveryKey={recoveryKey} />
      <p>{t('recovery.print.purpose')}</p>
      <p>
        <strong>{t('recovery.print.keep')}</strong>
      </p>
    </article>,
    document.body,
  );
}
