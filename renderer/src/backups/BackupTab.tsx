import { proxy } from 'comlink';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickedBackupFolder, Platform } from '../platform';
import { PruneBackups } from './PruneBackups';
import {
  BACKUP_REMINDER_DAYS,
  type BackupProgress,
  type BackupRunOutcome,
  type BackupReminderDays,
  type BackupSetSummary,
  type BackupVerifyReport,
  type VaultSettings,
  vaultErrorDetail,
} from '../vault';
import {
  errorMessage,
  formatRelativeTime,
  formatSize,
  SelectField,
  StatusMessage,
  useFormats,
  type OutcomeMessage,
} from '../ui';
import { queryKeys, useRefresh, useVault } from '../session';
import { TaskProgress, useProgressMeter } from '../ui/progress';
import { useBackupSets, useNow } from './use-backup-sets';
import './backups.css';

/** Refusals after which a new set in the same folder is the way on (the old one is left as it is). */
const NEW_SET_WAY_ON = new Set(['set-behind-vault', 'vault-behind-set']);

/** Each set this vault writes: when its last run was made, which run, and where it went. */
function BackupSets({ sets }: { sets: readonly BackupSetSummary[] }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  if (sets.length === 0) return <p className="backup-last">{t('backup.never')}</p>;
  const newestFirst = [...sets].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ul className="backup-sets">
      {newestFirst.map((set) => (
        <li key={set.set}>
          <span className="backup-last">
            {t('backup.lastBackup', { when: formatRelativeTime(Date.parse(set.at), now, i18n.language) })}
          </span>{' '}
          <span className="muted">
            {t('backup.setWhere', {
              seq: set.seq,
              where: t(set.where === 'downloads' ? 'backup.whereDownloads' : 'backup.whereFolder'),
            })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** What a verification found, in sentences. */
function VerifyReport({ report }: { report: BackupVerifyReport }) {
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  const lines = [
    t('backup.reportRuns', {
      count: report.runs,
      seq: report.latestSeq,
      when: formats.timestamp(Date.parse(report.latestAt)),
    }),
    t('backup.reportPacks', {
      count: report.packs,
      size: formatSize(report.packBytes, i18n.language),
      rows: report.rows,
    }),
    report.documentsRehashed === null
      ? t('backup.reportNotRehashed')
      : t('backup.reportRehashed', { count: report.documentsRehashed }),
    t(
      report.matchesVault === true
        ? 'backup.matches'
        : report.matchesVault === false
          ? 'backup.notLatest'
          : 'backup.notThisVault',
    ),
  ];
  return (
    <div className="backup-report" role="status">
      <p className="ok">{t('backup.reportOk')}</p>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Settings → Backup: when the vault was last backed up and where, "Back up now" (the one primary action) with a
 * progress bar that can be cancelled, a check of a backup's files, and how soon the home screen reminds.
 */
export function BackupTab({
  platform,
  settings,
  onSettingsChange,
}: {
  platform: Platform;
  settings: VaultSettings;
  onSettingsChange: (settings: VaultSettings) => void;
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const sets = useBackupSets();
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  // A folder whose set this vault cannot continue (set-behind-vault, vault-behind-set): offered a new set.
  const [refusedFolder, setRefusedFolder] = useState<PickedBackupFolder | null>(null);
  // What happened, kept as data and put into words at each render (the language can change meanwhile).
  const [outcome, setOutcome] = useState<{ run: BackupRunOutcome; where: string | null } | { error: unknown } | null>(
    null,
  );
  const [rehash, setRehash] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<BackupVerifyReport | null>(null);
  const [verifyError, setVerifyError] = useState<{ error: unknown } | null>(null);
  const [reminderSaved, setReminderSaved] = useState<{ ok: true } | { error: unknown } | null>(null);
  const busy = progress !== null || verifying;

  async function backUpNow() {
    const picked = await platform.pickBackupFolder();
    if (picked) await backUpInto(picked, false);
  }

  async function backUpInto(picked: PickedBackupFolder, newSet: boolean) {
    setOutcome(null);
    setRefusedFolder(null);
    // A browser's "downloads" is a word to translate; a folder's own name is shown as it is.
    const where = platform.kind === 'browser' ? null : picked.label;
    const meter = startProgress();
    try {
      const run = await vault.backUp(
        proxy(picked.target),
        // Bytes of sealed rows handed to the folder.
        proxy((next: BackupProgress) => meter.report(next.written, next.total)),
        // Electron: the vault keeps the folder's opaque reference, to offer a backup there at a later lock.
        { ...(picked.ref ? { folderRef: picked.ref } : {}), ...(newSet ? { newSet } : {}) },
      );
      setOutcome({ run, where });
    } catch (caught) {
      setOutcome({ error: caught });
      // The folder's set and this vault disagree: the way on there is a new set beside it.
      if (NEW_SET_WAY_ON.has(vaultErrorDetail(caught) ?? '')) setRefusedFolder(picked);
    } finally {
      clearProgress();
      // The run adds a custody-log entry and changes what the home screen says.
      await Promise.all([refresh(queryKeys.backupSets), refresh(queryKeys.custodyLog), refresh(queryKeys.overview)]);
    }
  }

  async function verify() {
    setReport(null);
    setVerifyError(null);
    const picked = await platform.pickBackupFiles();
    if (!picked) return;
    setVerifying(true);
    try {
      // Files of several sets: check the one this vault writes, if it is among them (otherwise the vault refuses
      // with `several-sets`).
      const found = await vault.inspectBackup(proxy(picked.source));
      const known = new Set((sets.data ?? []).map((set) => set.set));
      const mine = found.length > 1 ? found.find((set) => known.has(set.set))?.set : undefined;
      setReport(await vault.verifyBackup(proxy(picked.source), { rehash, ...(mine ? { set: mine } : {}) }));
    } catch (caught) {
      setVerifyError({ error: caught });
    } finally {
      setVerifying(false);
    }
  }

  async function saveReminder(days: BackupReminderDays) {
    try {
      onSettingsChange(await vault.updateSettings({ ...settings, backupReminderDays: days }));
      await refresh(queryKeys.settings);
      setReminderSaved({ ok: true });
    } catch (caught) {
      setReminderSaved({ error: caught });
    }
  }

  const sizeOf = (bytes: number) => formatSize(bytes, i18n.language);
  const outcomeMessages: OutcomeMessage[] =
    outcome === null
      ? []
      : 'error' in outcome
        ? [{ ok: false, text: errorMessage(t, outcome.error) }]
        : [
            {
              ok: true,
              text: `${t('backup.done', { seq: outcome.run.seq, count: outcome.run.files, size: sizeOf(outcome.run.bytesWritten) })} ${t('backup.doneWhere', { where: outcome.where ?? t('backup.downloads') })}`,
            },
            ...(outcome.run.newSet ? [{ ok: true, text: t('backup.newSet') }] : []),
          ];
  return (
    <div className="backup-tab">
      <section aria-labelledby="backup-status-heading">
        <h3 id="backup-status-heading">{t('backup.status')}</h3>
        {sets.status === 'error' ? (
          <p role="alert" className="error">
            {errorMessage(t, sets.error)}
          </p>
        ) : sets.status === 'pending' ? (
          <p>{t('common.loading')}</p>
        ) : (
          <BackupSets sets={sets.data} />
        )}
        <p className="hint backup-explain" id="backup-explain">
          {t('backup.explain')}
        </p>
        <p className="hint">{t(platform.kind === 'browser' ? 'backup.browserNote' : 'backup.folderNote')}</p>
        <div className="backup-actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            aria-describedby="backup-explain"
            onClick={() => void backUpNow()}
          >
            {t('backup.backUpNow')}
          </button>
        </div>
        {progress && (
          <div className="backup-progress">
            <TaskProgress
              label={t('backup.progressLabel')}
              progress={progress}
              onCancel={() => void vault.cancelBackup()}
            />
            {progress.total === 0 && (
              <p role="status" className="hint">
                {t('backup.starting')}
              </p>
            )}
          </div>
        )}
        {outcomeMessages.map((message) => (
          <StatusMessage key={message.text} message={message} />
        ))}
        {refusedFolder && !busy && (
          <p className="backup-way-on">
            {t('backup.newSetExplain')}{' '}
            <button type="button" onClick={() => void backUpInto(refusedFolder, true)}>
              {t('backup.startNewSet')}
            </button>
          </p>
        )}
        <SelectField
          label={t('backup.reminder')}
          value={settings.backupReminderDays}
          onChange={(event) => void saveReminder(Number(event.target.value) as BackupReminderDays)}
        >
          {BACKUP_REMINDER_DAYS.map((days) => (
            <option key={days} value={days}>
              {days === 0 ? t('backup.reminderNever') : t('backup.reminderDays', { count: days })}
            </option>
          ))}
        </SelectField>
        <StatusMessage
          message={
            reminderSaved === null
              ? null
              : 'error' in reminderSaved
                ? { ok: false, text: errorMessage(t, reminderSaved.error) }
                : { ok: true, text: t('backup.reminderSaved') }
          }
        />
      </section>
      <section aria-labelledby="backup-verify-heading">
        <h3 id="backup-verify-heading">{t('backup.verifyHeading')}</h3>
        <p className="hint">{t('backup.verifyExplain')}</p>
        <label className="inline">
          <input
            type="checkbox"
            checked={rehash}
            disabled={busy}
            onChange={(event) => setRehash(event.target.checked)}
          />
          {t('backup.rehash')}
        </label>
        <button type="button" disabled={busy} onClick={() => void verify()}>
          {t('backup.verify')}
        </button>
        {verifying && <p role="status">{t('backup.verifying')}</p>}
        {report && <VerifyReport report={report} />}
        {verifyError && (
          <p role="alert" className="error">
            {errorMessage(t, verifyError.error)}
          </p>
        )}
      </section>
      <PruneBackups platform={platform} disabled={busy} />
      <p className="hint">{t('backup.restoreHint')}</p>
    </div>
  );
}
