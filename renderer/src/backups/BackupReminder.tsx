import { HardDrive, TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { formatRelativeTime } from '../ui';
import { useSettings } from '../session';
import { backupOverdue, lastBackupAt, useBackupSets, useNow } from './use-backup-sets';
import './backups.css';

/**
 * The home screen's line about backups: when the last one was made ("Last backup: 9 days ago", or "Not backed up
 * yet"), a gentle warning once that is longer ago than the reminder the user chose, and the way to Settings → Backup.
 */
export function BackupReminder({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { t, i18n } = useTranslation();
  const sets = useBackupSets();
  const settings = useSettings();
  const now = useNow();
  // Nothing to say until both are read; a set list that cannot be read is said in Settings → Backup.
  if (sets.status !== 'success' || settings.status !== 'success') return null;
  const last = lastBackupAt(sets.data);
  const days = settings.data.backupReminderDays;
  const overdue = backupOverdue(last, days, now);
  const Icon = overdue ? TriangleAlert : HardDrive;
  return (
    <div className={overdue ? 'backup-reminder overdue' : 'backup-reminder'}>
      <Icon className="backup-reminder-icon" aria-hidden="true" size={20} />
      <p>
        <strong>
          {last === null
            ? t('backup.never')
            : t('backup.lastBackup', { when: formatRelativeTime(last, now, i18n.language) })}
        </strong>
        {overdue && <> {last === null ? t('backup.neverWarn') : t('backup.overdue', { count: days })}</>}
      </p>
      <button type="button" className="link" onClick={onOpenSettings}>
        {t('backup.openSettings')}
      </button>
    </div>
  );
}
