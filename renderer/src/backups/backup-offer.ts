import type { PickedBackupFolder, Platform } from '../platform';
import type { VaultWorkerApi } from '../vault/api';

/** How long finding the folder may hold up a lock: a slow or hung disk must not keep the vault open. */
const FIND_FOLDER_MS = 1500;

/** The folder to offer a backup into before a lock, and when it was last backed up. */
export interface BackupOffer {
  folder: PickedBackupFolder;
  lastAt: string;
}

/**
 * Whether to offer "Back up now" at the user's own lock: only in Electron, only when the folder of the vault's
 * last folder backup is there now (the USB stick plugged in) and the vault changed since that backup. Null
 * otherwise, or when finding out takes longer than FIND_FOLDER_MS.
 */
export async function findBackupOffer(
  vault: Pick<VaultWorkerApi, 'lastBackupFolder'>,
  platform: Pick<Platform, 'kind' | 'reopenBackupFolder'>,
): Promise<BackupOffer | null> {
  if (platform.kind !== 'electron') return null;
  const find = async (): Promise<BackupOffer | null> => {
    const last = await vault.lastBackupFolder();
    if (!last?.changedSince) return null;
    const folder = await platform.reopenBackupFolder(last.folderRef);
    return folder ? { folder, lastAt: last.at } : null;
  };
  const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), FIND_FOLDER_MS));
  return Promise.race([find().catch(() => null), late]);
}
