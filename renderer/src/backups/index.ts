// Encrypted backups (docs/backup-format.md): the Settings tab, the home screen's reminder, restore at the gate.
export { BackupTab } from './BackupTab';
export { BackupReminder } from './BackupReminder';
export { backupOverdue, lastBackupAt, useBackupSets, useNow } from './use-backup-sets';
export { BackupBeforeLock } from './BackupBeforeLock';
export { findBackupOffer, type BackupOffer } from './backup-offer';
