import sodium from 'libsodium-wrappers-sumo';
import {
  BACKUP_FORMAT,
  BackupError,
  writeWholeFile,
  PackWriter,
  applyRun,
  encodeRunFile,
  packsOf,
  readPack,
  runFileHash,
  runFileName,
  stateDigest,
  type BackupState,
  type BackupTarget,
  type OpenedRun,
  type PutEntry,
  type RunIndex,
  type StateRow,
  type WrittenPack,
} from '../backup';
import type { BackupPruneOutcome } from '../../api';
import type { VaultStore } from '../vault-store';
import { keyCheckOf, rememberRun } from './bookkeeping';
import { removeUnnamed } from './cleanup';
import { tagRun } from './recovery-auth';
import { continuedSet } from './run-backup';
import { readHeader } from '../header-store';
import { VaultError } from '../crypto/errors';

/** Where a row's bytes are: pack id, offset, length. */
const placeOf = (row: { pack: string; offset: number; length: number }) => `${row.pack}:${row.offset}:${row.length}`;

/**
 * Keeps the set's last `keep` runs and removes what no kept run needs.
 * The kept runs are written again after the set's last run (the first of
 * them holding the whole state, the others what each run changed); packs
 * still wholly needed are kept as they are, the needed rows of the others
 * copied into new packs. Only then, and after the vault has recorded the
 * new last run, are the old run files and the packs no kept run names
 * removed. Cut short, the set is as before (the half-written runs are
 * passed over and removed later). A case deleted before the oldest kept run
 * is then gone from the backup: none of its rows is in a kept run's state.
 */
export async function pruneBackup(store: VaultStore, target: BackupTarget, keep: number): Promise<BackupPruneOutcome> {
  if (!Number.isInteger(keep) || keep < 1) throw new VaultError('invalid-input', 'Keep at least one run.');
  const files = await target.list();
  if (!files)
    throw new BackupError('not-a-backup', 'Runs in the downloads cannot be pruned: the app cannot read them.');
  const header = await readHeader(store.database);
  if (!header) throw new VaultError('no-vault', 'There is no vault.');
  const backupKey = store.backupKey();
  try {
    const keyCheck = keyCheckOf(backupKey);
    const continued = await continuedSet(store, backupKey, keyCheck, files, sodium.to_hex(header.vaultId), target);
    const chain = continued.chain;
    if (chain.length <= keep) {
      const removed = await removeUnnamed(target, files, continued.set, chain);
      return { keptRuns: chain.length, removedRuns: removed.runs, removedPacks: removed.packs, bytesWritten: 0 };
    }
    const kept = chain.slice(-keep);
    // The state after each kept run.
    const states: BackupState[] = [];
    const state: BackupState = new Map();
    for (const run of chain) {
      applyRun(state, run.index);
      if (kept.includes(run)) states.push(new Map(state));
    }
    const packs = packsOf(chain);
    const needed = new Map<string, Map<string, StateRow>>();
    for (const kept of states)
      for (const row of kept.values())
        needed.set(row.pack, (needed.get(row.pack) ?? new Map<string, StateRow>()).set(placeOf(row), row));
    // A pack is kept as it is if every byte of it is needed; else its needed rows are copied.
    const clean = new Set<string>();
    for (const [pack, rows] of needed) {
      const bytes = [...rows.values()].reduce((sum, row) => sum + row.length, 0);
      if (bytes === packs.get(pack)!.size) clean.add(pack);
    }
    let written = 0;
    /** Rewritten runs saved in the folder: all `keep` of them make the new chain whole. */
    let runsSaved = 0;
    const writer = new PackWriter(target, continued.set, (bytes) => (written += bytes));
    const moved = new Map<string, { pack: number; offset: number; length: number }>();
    try {
      for (const [pack, rows] of needed) {
        if (clean.has(pack)) continue;
        const bytes = await readPack(target, continued.set, pack, packs.get(pack)!);
        for (const row of [...rows.values()].sort((a, b) => a.offset - b.offset))
          moved.set(placeOf(row), await writer.add(bytes.slice(row.offset, row.offset + row.length)));
      }
      const newPacks = await writer.finish();
      const relocate = (row: StateRow): StateRow => {
        const to = moved.get(placeOf(row));
        return to ? { ...row, pack: newPacks[to.pack]!.id, offset: to.offset } : row;
      };
      const packInfo = new Map<string, WrittenPack>([
        ...[...clean].map((id) => [id, { id, size: packs.get(id)!.size, hash: packs.get(id)!.hash }] as const),
        ...newPacks.map((pack) => [pack.id, pack] as const),
      ]);
      const end = chain.at(-1)!.seq + keep;
      let previous: string | null = null;
      let lastFile: Uint8Array | undefined;
      let lastIndex: RunIndex | undefined;
      let lastState: BackupState = new Map();
      for (const [position, original] of kept.entries()) {
        const after = new Map([...states[position]!].map(([key, row]) => [key, relocate(row)]));
        const rows =
          position === 0 ? [...after.values()] : original.index.put.map(([table, id]) => after.get(`${table}:${id}`)!);
        const index = rebasedIndex(original, rows, packInfo, {
          seq: chain.at(-1)!.seq + 1 + position,
          prev: previous,
          base: position === 0 ? end : undefined,
        });
        index.state = stateDigest(after);
        await tagRun(store, original.header, index);
        const file = encodeRunFile(backupKey, original.header, index);
        await writeWholeFile(target, runFileName(continued.set, index.seq), file);
        runsSaved += 1;
        written += file.byteLength;
        previous = runFileHash(file);
        [lastFile, lastIndex, lastState] = [file, index, after];
      }
      await rememberRun(
        store,
        {
          setId: continued.set,
          keyCheck,
          where: 'folder',
          seq: lastIndex!.seq,
          run: lastIndex!.run,
          runHash: runFileHash(lastFile!),
          at: lastIndex!.createdAt,
          ...(continued.known?.folderRef ? { folderRef: continued.known.folderRef } : {}),
          // Nothing changed since the last run but this prune's own entry: still nothing to back up.
          ...(continued.known?.logCount === undefined
            ? {}
            : { logCount: continued.known.logCount + (continued.known.logCount === store.logLength ? 1 : 0) }),
        },
        lastState,
        continued.known?.stateBlob,
        [{ action: 'backup-pruned', targetKind: 'backup', targetId: `${continued.set}/${lastIndex!.seq}` }],
      );
      const newChain = kept.map((_, position) => ({
        seq: end - keep + 1 + position,
        index: { packs: position === 0 ? [...packInfo.values()] : [] },
      }));
      const removed = await removeUnnamed(target, (await target.list()) ?? files, continued.set, newChain);
      return { keptRuns: keep, removedRuns: removed.runs, removedPacks: removed.packs, bytesWritten: written };
    } catch (error) {
      // Every rewritten run saved: that chain is whole and is what readers take, recorded in the vault or not
      // (its runs carry `was`): its packs must stay. Cut short before that, it is passed over: its packs go.
      if (runsSaved === keep) throw error;
      for (const name of await writer.abort()) await target.remove(name).catch(() => undefined);
      throw error;
    }
  } finally {
    sodium.memzero(backupKey);
  }
}

/** A kept run written again: its rows at their new places, chained to the run written before it. */
function rebasedIndex(
  original: OpenedRun,
  rows: StateRow[],
  packInfo: Map<string, WrittenPack>,
  at: { seq: number; prev: string | null; base: number | undefined },
): RunIndex {
  const packIds = [...new Set(rows.map((row) => row.pack))];
  const position = new Map(packIds.map((id, index) => [id, index]));
  const put: PutEntry[] = rows.map((row) => [
    row.table,
    row.id,
    row.a,
    row.b,
    row.fingerprint,
    position.get(row.pack)!,
    row.offset,
    row.length,
  ]);
  return {
    format: BACKUP_FORMAT,
    set: original.index.set,
    vault: original.index.vault,
    seq: at.seq,
    run: original.index.run,
    prev: at.prev,
    createdAt: original.index.createdAt,
    logHead: original.index.logHead,
    packs: packIds.map((id) => packInfo.get(id)!),
    put,
    delete: at.base === undefined ? original.index.delete : [],
    state: { rows: 0, bytes: 0, digest: '' },
    ...(at.base === undefined ? {} : { rebase: { end: at.base } }),
    was: { seq: original.seq, hash: original.hash },
  };
}
