import { transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { z } from 'zod';
import { isBackupError, readRunPrefixOf, runsBySet, type BackupSource, type BackupTarget } from '../backup';
import type {
  BackupProgress,
  BackupPruneOutcome,
  BackupRunOutcome,
  BackupSetFound,
  BackupSetSummary,
  BackupVerifyReport,
  LastBackupFolder,
} from '../../api';
import { VaultError } from '../crypto/errors';
import type { VaultStore } from '../vault-store';
import { backupFolderRefSchema, knownSets } from './bookkeeping';
import { pruneBackup } from './prune';
import { runBackup } from './run-backup';
import { verifyBackupSet } from './verify';

export { clearVaultTables, restoreRows } from './restore';

/** A backup format refusal as the vault reports it (`backup-refused`, with the format's reason). */
export async function asVaultError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isBackupError(error)) throw new VaultError('backup-refused', error.message, error.reason);
    throw error;
  }
}

/** What `backUp` accepts besides its target: the folder's reference as the main process made it (base64url), and
 * whether to start a new set in the folder. */
const backUpOptionsSchema = z.object({ folderRef: backupFolderRefSchema.optional(), newSet: z.boolean().optional() });

/**
 * The target as the vault worker writes it: bytes handed over to `appendFile`
 * move to the page instead of being copied (a 1 GiB backup is 1 GiB less to
 * copy). Only an array that is its whole buffer moves; a view is copied.
 */
function movingBytesTarget(target: BackupTarget): BackupTarget {
  return {
    list: () => target.list(),
    readChunk: (name, offset, length) => target.readChunk(name, offset, length),
    beginFile: (name) => target.beginFile(name),
    appendFile: (token, bytes) =>
      target.appendFile(
        token,
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? transfer(bytes, [bytes.buffer])
          : bytes,
      ),
    endFile: (token, commit) => target.endFile(token, commit),
    remove: (name) => target.remove(name),
  };
}

/** Backups of the unlocked vault: one run at a time, cancellable between rows. */
export function createBackupService(session: () => { store: VaultStore }) {
  let cancelRequested = false;
  let running: Promise<unknown> | null = null;

  return {
    async backUp(
      target: BackupTarget,
      onProgress?: (progress: BackupProgress) => void,
      options: { folderRef?: string; newSet?: boolean } = {},
    ): Promise<BackupRunOutcome> {
      if (running) throw new VaultError('invalid-input', 'A backup is already running.');
      const parsed = backUpOptionsSchema.safeParse(options);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid backup options.');
      const { folderRef, newSet } = parsed.data;
      const { store } = session();
      cancelRequested = false;
      const run = asVaultError(
        runBackup(store, movingBytesTarget(target), {
          onProgress,
          cancelled: () => cancelRequested,
          ...(folderRef ? { folderRef } : {}),
          ...(newSet ? { newSet } : {}),
        }),
      );
      running = run;
      try {
        return await run;
      } finally {
        running = null;
      }
    },
    async pruneBackup(target: BackupTarget, keep: number): Promise<BackupPruneOutcome> {
      if (running) throw new VaultError('invalid-input', 'A backup is already running.');
      const run = asVaultError(pruneBackup(session().store, movingBytesTarget(target), keep));
      running = run;
      try {
        return await run;
      } finally {
        running = null;
      }
    },
    cancelBackup(): Promise<void> {
      cancelRequested = true;
      return Promise.resolve();
    },
    async lastBackupFolder(): Promise<LastBackupFolder | null> {
      const { store } = session();
      const newest = (await knownSets(store))
        .filter((set) => !set.retired && set.where === 'folder' && set.folderRef)
        .sort((a, b) => b.at.localeCompare(a.at))[0];
      if (!newest?.folderRef) return null;
      return {
        folderRef: newest.folderRef,
        at: newest.at,
        changedSince: newest.logCount === undefined || store.logLength > newest.logCount,
      };
    },
    async listBackupSets(): Promise<BackupSetSummary[]> {
      const { store } = session();
      return (await knownSets(store))
        .filter((set) => !set.retired)
        .map((set) => ({ set: set.setId, where: set.where, seq: set.seq, at: set.at }));
    },
    verifyBackup(source: BackupSource, options: { rehash?: boolean; set?: string } = {}): Promise<BackupVerifyReport> {
      return asVaultError(verifyBackupSet(session().store, source, options));
    },
  };
}

/** What a folder or a pick of files holds, before any key: each set's runs (newest last). */
export async function inspectBackupFiles(source: BackupSource): Promise<BackupSetFound[]> {
  return asVaultError(
    (async () => {
      const files = (await source.list()) ?? [];
      const sets: BackupSetFound[] = [];
      for (const [set, runs] of runsBySet(files)) {
        const latest = runs.at(-1)!;
        const prefix = await readRunPrefixOf(source, latest);
        sets.push({ set, vault: sodium.to_hex(prefix.header.vaultId).slice(0, 16), runs: runs.map((run) => run.seq) });
      }
      return sets;
    })(),
  );
}
