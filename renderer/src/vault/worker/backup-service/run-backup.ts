import sodium from 'libsodium-wrappers-sumo';
import {
  BackupError,
  BACKUP_FORMAT,
  PackWriter,
  encodeRunFile,
  openChain,
  readRuns,
  replayRuns,
  runFileHash,
  runFileName,
  runsBySet,
  stateDigest,
  readRunPrefixOf,
  applyRun,
  writeWholeFile,
  type BackupFileInfo,
  type BackupState,
  type BackupTarget,
  type OpenedRun,
  type PutEntry,
  type RunIndex,
} from '../backup';
import { DOCUMENT_CHUNK_BYTES, type BackupProgress, type BackupRunOutcome } from '../../api';
import { VaultError } from '../crypto/errors';
import { randomBytes } from '../crypto/random';
import { readHeader } from '../header-store';
import type { VaultStore } from '../vault-store';
import { keptState, keyCheckOf, knownSets, rememberRun, setRowId, type KnownSet } from './bookkeeping';
import { removeUnnamed } from './cleanup';
import { listVault, type VaultListing } from './collect';
import { tagRun } from './recovery-auth';

/** Content chunks read per IndexedDB request (1 MiB each). */
const CHUNK_BATCH = 8;

interface Continued {
  set: string;
  known: KnownSet | undefined;
  state: BackupState;
  previous: { seq: number; hash: string } | null;
  /** The set's runs as read from the folder (none for downloads, or a new set). */
  chain: OpenedRun[];
  /** Sets of this vault in the folder that a new set asked for replaces: recorded as retired with the run. */
  retire?: string[];
}

/**
 * Which set this run continues, and its state after the last run. In a
 * folder the app can read, the set's own runs say (and are checked); a
 * browser's downloads cannot be read, so the vault's kept state does.
 */
export async function continuedSet(
  store: VaultStore,
  backupKey: Uint8Array,
  keyCheck: string,
  files: BackupFileInfo[] | null,
  vaultId: string,
  target: BackupTarget,
  options: { newSet?: boolean } = {},
): Promise<Continued> {
  const sets = (await knownSets(store)).filter((set) => set.keyCheck === keyCheck && !set.retired);
  const fresh = (): Continued => ({
    set: sodium.to_hex(randomBytes(16)),
    known: undefined,
    state: new Map(),
    previous: null,
    chain: [],
  });
  if (files === null) {
    const known = sets.filter((set) => set.where === 'downloads').sort((a, b) => b.at.localeCompare(a.at))[0];
    const state = known ? await keptState(store, known) : null;
    if (!known || !state) return fresh();
    return { set: known.setId, known, state, previous: { seq: known.seq, hash: known.runHash }, chain: [] };
  }
  const retired = new Set((await knownSets(store)).filter((set) => set.retired).map((set) => set.setId));
  const replaced: string[] = [];
  for (const [setId, runs] of runsBySet(files)) {
    if (retired.has(setId)) continue;
    const latest = runs.at(-1)!;
    let prefix;
    try {
      prefix = await readRunPrefixOf(target, latest);
    } catch {
      continue; // not a run this app can read: not ours to continue
    }
    if (sodium.to_hex(prefix.header.vaultId) !== vaultId) continue;
    // Asked for a new set: this vault's sets here are left as they are, and no longer continued.
    if (options.newSet) {
      replaced.push(setId);
      continue;
    }
    const known = sets.find((set) => set.setId === setId);
    let chain: OpenedRun[];
    try {
      chain = openChain(backupKey, await readRuns(target, files, setId));
    } catch (error) {
      // Sealed with keys this vault no longer has (before a passphrase change): another set, left alone.
      if (!known && error instanceof BackupError && error.reason === 'run-corrupt') continue;
      throw error;
    }
    const last = chain.at(-1)!;
    if (!known) {
      throw new BackupError(
        'vault-behind-set',
        'This folder holds backups of this vault that the vault does not know of: it may have been put back to an older copy.',
      );
    }
    // The run the vault remembers, or the run a prune wrote for it (the vault may not have recorded the prune).
    const ours = chain.find(
      (run) =>
        (run.seq === known.seq && run.hash === known.runHash) ||
        (run.index.was?.seq === known.seq && run.index.was.hash === known.runHash),
    );
    if (!ours)
      throw new BackupError(
        'set-behind-vault',
        `This folder's backup set ends before run ${known.seq}, which this vault wrote: runs were removed or replaced.`,
      );
    return { set: setId, known, state: replayRuns(chain), previous: { seq: last.seq, hash: last.hash }, chain };
  }
  return { ...fresh(), retire: replaced };
}

/**
 * Records the sets a new set replaces in a folder as retired (later runs there pass over them), their kept state
 * blobs to go: the rows and the blobs for the run's commit.
 */
async function retiredSets(store: VaultStore, setIds: readonly string[], keyCheck: string, at: string) {
  const known = await knownSets(store);
  const rows = await Promise.all(
    setIds.map((setId) =>
      store.seal('backup-set', null, setRowId(store, setId), {
        ...(known.find((set) => set.setId === setId) ?? {
          setId,
          keyCheck,
          where: 'folder' as const,
          seq: 0,
          run: '',
          runHash: '',
          at,
        }),
        stateBlob: '',
        retired: true,
      }),
    ),
  );
  const blobs = known.filter((set) => setIds.includes(set.setId) && set.stateBlob !== '').map((set) => set.stateBlob);
  return { put: rows, deleteBlobs: blobs };
}

/**
 * Refuses when the vault is not the one that wrote the set's last run, or an
 * older copy of it: its custody log must hold that run's head — as many
 * entries at least, and the same entry at that place. A copy of the disk
 * from before the run fails this however many entries it has added since.
 */
async function checkNotBehind(store: VaultStore, listing: VaultListing, lastRun: RunIndex | undefined): Promise<void> {
  if (!lastRun || lastRun.logHead.count === 0) return;
  const { count, lastHash } = lastRun.logHead;
  const ours = listing.logHead.count < count ? undefined : await store.logHashAt(count);
  if (ours !== lastHash)
    throw new BackupError(
      'vault-behind-set',
      `The last backup saw custody-log entry ${count}; this vault's log does not hold it: it was put back to an older copy.`,
    );
}

/**
 * One backup run: writes the rows that are new or changed since the set's
 * last run into packs, then the run file (its existence is what makes the
 * run count), then records the run in the vault with a custody-log entry.
 * Cut short anywhere, the set's earlier runs stay valid; the packs of a
 * run without a run file are removed by the next run in that folder.
 */
export async function runBackup(
  store: VaultStore,
  target: BackupTarget,
  options: {
    now?: () => Date;
    onProgress?: (progress: BackupProgress) => void;
    cancelled?: () => boolean;
    /** Electron: the folder's opaque reference, kept with the set (see the `backup-set` record). */
    folderRef?: string;
    /** Start a new set in this folder, leaving this vault's sets there as they are (the way on after a refusal). */
    newSet?: boolean;
  } = {},
): Promise<BackupRunOutcome> {
  const now = options.now ?? (() => new Date());
  const cancelled = options.cancelled ?? (() => false);
  const stop = () => {
    if (cancelled()) throw new BackupError('cancelled', 'The backup was cancelled.');
  };
  const backupKey = store.backupKey();
  try {
    const keyCheck = keyCheckOf(backupKey);
    const files = await target.list();
    const header = await readHeader(store.database);
    if (!header) throw new VaultError('no-vault', 'There is no vault to back up.');
    const vaultId = sodium.to_hex(header.vaultId);
    const continued = await continuedSet(store, backupKey, keyCheck, files, vaultId, target, {
      newSet: options.newSet,
    });
    stop();
    const listing = await listVault(store, continued.state);
    await checkNotBehind(store, listing, continued.chain.at(-1)?.index);
    if (files) await removeUnnamed(target, files, continued.set, continued.chain);

    const seq = (continued.previous?.seq ?? 0) + 1;
    const estimate = [...listing.changed].reduce(
      (sum, [, env]) => sum + (env ? env.byteLength : DOCUMENT_CHUNK_BYTES),
      0,
    );
    let written = 0;
    const report = (bytes: number) => {
      written += bytes;
      options.onProgress?.({ written, total: Math.max(estimate, written) });
    };
    const packs = new PackWriter(target, continued.set, report);
    /** Once the run file is saved the run counts, recorded in the vault or not: its packs must stay. */
    let runFileSaved = false;
    const put: PutEntry[] = [];
    try {
      const chunkIds = [...listing.changed].flatMap(([key, env]) => (env ? [] : [key.slice(2)]));
      for (const [key, env] of listing.changed) {
        if (!env) continue;
        stop();
        const row = listing.rows.get(key)!;
        const at = await packs.add(env);
        put.push([row.table, row.id, row.a, row.b, row.fingerprint, at.pack, at.offset, at.length]);
      }
      // Content chunks, read a batch ahead: the next batch comes off the disk while this one is written out.
      const readBatch = (start: number) => store.database.chunks.bulkGet(chunkIds.slice(start, start + CHUNK_BATCH));
      let next = chunkIds.length > 0 ? readBatch(0) : null;
      for (let start = 0; next; start += CHUNK_BATCH) {
        stop();
        const rows = await next;
        next = start + CHUNK_BATCH < chunkIds.length ? readBatch(start + CHUNK_BATCH) : null;
        for (const [i, row] of rows.entries()) {
          if (!row)
            throw new BackupError(
              'vault-changed',
              'A document was removed while the backup ran. Run the backup again.',
            );
          const at = await packs.add(row.env);
          put.push(['c', chunkIds[start + i]!, '', '', '', at.pack, at.offset, at.length]);
        }
      }
      const writtenPacks = await packs.finish();
      stop();
      const index: RunIndex = {
        format: BACKUP_FORMAT,
        set: continued.set,
        vault: vaultId,
        seq,
        run: sodium.to_hex(randomBytes(16)),
        prev: continued.previous?.hash ?? null,
        createdAt: now().toISOString(),
        logHead: listing.logHead,
        packs: writtenPacks,
        put,
        delete: listing.deleted.map((row) => [row.table, row.id]),
        state: { rows: 0, bytes: 0, digest: '' },
      };
      const state = applyRun(new Map(continued.state), index);
      index.state = stateDigest(state);
      await tagRun(store, listing.header, index);
      const file = encodeRunFile(backupKey, listing.header, index);
      await writeWholeFile(target, runFileName(continued.set, seq), file);
      runFileSaved = true;
      report(file.byteLength);
      // Downloads have no folder to go back to.
      const folderRef = files === null ? undefined : (options.folderRef ?? continued.known?.folderRef);
      await rememberRun(
        store,
        {
          setId: continued.set,
          keyCheck,
          where: files === null ? 'downloads' : 'folder',
          seq,
          run: index.run,
          runHash: runFileHash(file),
          at: index.createdAt,
          ...(folderRef ? { folderRef } : {}),
          // This run's own entry is one more.
          logCount: listing.logHead.count + 1,
        },
        state,
        continued.known?.stateBlob,
        [{ action: 'backed-up', targetKind: 'backup', targetId: `${continued.set}/${seq}` }],
        await retiredSets(store, continued.retire ?? [], keyCheck, index.createdAt),
      );
      return {
        set: continued.set,
        seq,
        newSet: continued.previous === null,
        rowsWritten: put.length,
        rowsRemoved: index.delete.length,
        bytesWritten: written,
        files: writtenPacks.length + 1,
        rows: index.state.rows,
        bytes: index.state.bytes,
      };
    } catch (error) {
      // Saved but not recorded (a full disk on the laptop): the run stands in the folder, and the next run there
      // goes on from it (the chain still holds the run the vault remembers).
      if (runFileSaved) throw error;
      // The run file was not written: the packs are not part of any run.
      const orphans = await packs.abort();
      for (const name of orphans) await target.remove(name).catch(() => undefined);
      throw error;
    }
  } finally {
    sodium.memzero(backupKey);
  }
}
