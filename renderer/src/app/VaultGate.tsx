import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackupBeforeLock, findBackupOffer, type BackupOffer } from '../backups';
import type { Platform } from '../platform';
import { DEFAULT_SETTINGS, type VaultClient, type VaultStatus } from '../vault';
import { CreateVault } from './gate/CreateVault';
import { RecoveryKeyNotice } from './gate/RecoveryKeyNotice';
import { RestoreFromBackup } from './gate/RestoreFromBackup';
import { UnlockVault } from './gate/UnlockVault';
import { LockContext, type LockControls, type LockFlusher, useIdleLock, VaultSession } from '../session';
import { Workspace, type WorkspaceView } from './Workspace';

/** How long a lock waits for pending drafts to reach the vault. */
const FLUSH_BEFORE_LOCK_MS = 2000;

function isLockShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'l';
}

/**
 * Chooses the screen from the vault's state: create, unlock, or work. It serves one vault worker: App mounts a
 * new one for each worker (each lock starts a fresh worker).
 */
export function VaultGate({
  vault,
  platform,
  onLock,
  onCreateVault,
  view,
  onNavigate,
}: {
  vault: VaultClient;
  platform: Platform;
  /** Runs `beforeLock`, then ends this worker and starts the next (VaultRunner.lock). */
  onLock: (beforeLock: () => Promise<void>) => Promise<void>;
  onCreateVault: (passphrase: Uint8Array) => Promise<{ recoveryKey: string }>;
  /** Where the user is in the workspace: kept by App across a lock (ids only), so they come back to it. */
  view: WorkspaceView;
  onNavigate: (view: WorkspaceView) => void;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  // The first screen shows "Restore from a backup" instead of "Create vault".
  const [restoring, setRestoring] = useState(false);
  const flushers = useRef(new Set<LockFlusher>());
  // "Back up now" offered at the user's own lock (Electron, the last backup folder connected).
  const [backupOffer, setBackupOffer] = useState<BackupOffer | null>(null);
  // Counts locks begun here: an offer found after one is not shown.
  const lockGeneration = useRef(0);

  const refresh = useCallback(async () => setStatus(await vault.status()), [vault]);

  useEffect(() => {
    let current = true;
    void vault.status().then((loaded) => current && setStatus(loaded));
    return () => {
      current = false;
    };
  }, [vault]);

  const lockNow = useCallback(
    () =>
      onLock(async () => {
        // Whatever locks (idle, the shortcut, the system): an offer of a backup is for this session only.
        lockGeneration.current += 1;
        setBackupOffer(null);
        // Unsaved edits go into encrypted drafts before the keys are dropped,
        // but a stuck save must not keep the vault open.
        const flushed = Promise.allSettled([...flushers.current].map((flush) => flush()));
        await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, FLUSH_BEFORE_LOCK_MS))]);
        setRecoveryKey(null);
      }),
    [onLock],
  );

  // The Lock button: may offer a backup first. Every other lock (idle, shortcut, the system) goes at once.
  const lockByUser = useCallback(async () => {
    const generation = lockGeneration.current;
    const offer = await findBackupOffer(vault, platform);
    // A lock came while the folder was being looked for: the offer is void.
    if (generation !== lockGeneration.current) return;
    if (offer) setBackupOffer(offer);
    else await lockNow();
  }, [vault, platform, lockNow]);

  const lockAfterOffer = useCallback(() => {
    setBackupOffer(null);
    void lockNow();
  }, [lockNow]);

  const controls: LockControls = useMemo(
    () => ({
      lockNow,
      lockByUser,
      registerFlusher: (flusher) => {
        flushers.current.add(flusher);
        return () => flushers.current.delete(flusher);
      },
    }),
    [lockNow, lockByUser],
  );

  useEffect(() => platform.onLockRequest(() => void lockNow()), [platform, lockNow]);

  // The first-run recovery-key screen shows a key that opens the vault: it locks when left idle too.
  useIdleLock(DEFAULT_SETTINGS.autoLockMinutes, () => void lockNow(), recoveryKey !== null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (status?.state === 'unlocked' && isLockShortcut(event)) {
        event.preventDefault();
        void lockNow();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [status, lockNow]);

  if (!status) return <p>{t('common.loading')}</p>;
  if (recoveryKey)
    return (
      <RecoveryKeyNotice
        recoveryKey={recoveryKey}
        platform={platform}
        onDone={() => {
          setRecoveryKey(null);
          void refresh();
        }}
      />
    );
  if (status.state === 'no-vault')
    return restoring ? (
      <RestoreFromBackup
        vault={vault}
        platform={platform}
        onRestored={() => {
          setRestoring(false);
          void refresh();
        }}
        onCancel={() => setRestoring(false)}
      />
    ) : (
      <CreateVault
        vault={vault}
        create={onCreateVault}
        onCreated={setRecoveryKey}
        onRestore={() => setRestoring(true)}
      />
    );
  if (status.state === 'locked') return <UnlockVault vault={vault} onUnlocked={() => void refresh()} />;
  return (
    <LockContext.Provider value={controls}>
      <VaultSession vault={vault}>
        <Workspace platform={platform} view={view} onNavigate={onNavigate} />
        {backupOffer && <BackupBeforeLock offer={backupOffer} vault={vault} onLock={lockAfterOffer} />}
      </VaultSession>
    </LockContext.Provider>
  );
}
