import { proxy } from 'comlink';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform';
import { queryKeys, useRefresh, useVault } from '../session';
import { ConfirmDialog, errorMessage, StatusMessage } from '../ui';
import type { BackupPruneOutcome, BackupTarget } from '../vault/api';

/**
 * "Keep the last N runs" for a backup folder the app can read (Electron): the
 * runs before them, and every row only they held, leave the folder — a case
 * deleted in the vault is then gone from the backup too. Destructive, so it
 * asks first, naming the folder. A browser's downloads cannot be pruned: the
 * user deletes old files there.
 */
export function PruneBackups({ platform, disabled }: { platform: Platform; disabled: boolean }) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const [keep, setKeep] = useState(10);
  const [picked, setPicked] = useState<{ target: BackupTarget; label: string } | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<{ done: BackupPruneOutcome } | { error: unknown } | null>(null);
  if (platform.kind !== 'electron') return <p className="hint">{t('backup.pruneBrowser')}</p>;

  async function prune(target: BackupTarget) {
    setRunning(true);
    try {
      setOutcome({ done: await vault.pruneBackup(proxy(target), keep) });
    } catch (caught) {
      setOutcome({ error: caught });
    } finally {
      setRunning(false);
      await Promise.all([refresh(queryKeys.backupSets), refresh(queryKeys.custodyLog)]);
    }
  }

  return (
    <section aria-labelledby="backup-prune-heading">
      <h3 id="backup-prune-heading">{t('backup.pruneHeading')}</h3>
      <p className="hint">{t('backup.pruneExplain')}</p>
      <label className="inline">
        {t('backup.pruneKeep')}
        <input
          type="number"
          min={1}
          max={999}
          value={keep}
          disabled={disabled || running}
          onChange={(event) => setKeep(Math.max(1, Math.floor(Number(event.target.value) || 1)))}
        />
      </label>
      <button
        type="button"
        disabled={disabled || running}
        onClick={() => void platform.pickBackupFolder().then((folder) => setPicked(folder))}
      >
        {t('backup.prune')}
      </button>
      {running && <p role="status">{t('backup.pruning')}</p>}
      <StatusMessage
        message={
          outcome === null
            ? null
            : 'error' in outcome
              ? { ok: false, text: errorMessage(t, outcome.error) }
              : {
                  ok: true,
                  text: t('backup.pruned', {
                    count: outcome.done.keptRuns,
                    runs: outcome.done.removedRuns,
                    packs: outcome.done.removedPacks,
                  }),
                }
        }
      />
      <ConfirmDialog
        open={picked !== null}
        onOpenChange={(open) => {
          if (!open) setPicked(null);
        }}
        title={t('backup.pruneQuestion', { count: keep, folder: picked?.label ?? '' })}
        body={t('backup.pruneWarning')}
        confirmLabel={t('backup.pruneConfirm')}
        onConfirm={() => {
          const target = picked?.target;
          setPicked(null);
          if (target) void prune(target);
        }}
      />
    </section>
  );
}
