import { transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { isBackupError, readRunPrefixOf, runsBySet, type BackupSource, type BackupTarget } from '../backup';
import type {
  BackupProgress,
  BackupPruneOutcome,
  BackupRunOutcome,
  BackupSetFound,
  BackupSetSummary,
  BackupVerifyReport,
} from '../../api';
import { VaultError } from '../crypto/errors';
import type { VaultStore } from '../vault-store';
import { knownSets } from './bookkeeping';
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
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? transfer(bytes, [bytes.buffer]) : bytes,
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
    async backUp(target: BackupTarget, onProgress?: (progress: BackupProgress) => void): Promise<BackupRunOutcome> {
      if (running) throw new VaultError('invalid-input', 'A backup is already running.');
      const { store } = session();
      cancelRequested = false;
      const run = asVaultError(runBackup(store, movingBytesTarget(target), { onProgress, cancelled: () => cancelRequested }));
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
