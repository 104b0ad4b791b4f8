import sodium from 'libsodium-wrappers-sumo';
import type { VaultHeader } from '../crypto/header';
import { MAX_HEADER_BYTES, MAX_RUN_FILE_BYTES, NONCE_BYTES, RUN_PREFIX_BYTES } from './constants';
import { BackupError } from './errors';
import { FOLDER_CHUNK_BYTES, readWholeFile, type BackupFileInfo, type BackupSource } from './folder';
import { packFileName, parseBackupFileName } from './names';
import { openRunFile, readRunPrefix, runFileHash, type RunPrefix } from './run-file';
import type { RunIndex } from './run-index';
import { applyRun, checkState, type BackupState } from './state';

/** The run files of each set among `files`, by set id, oldest first. */
export function runsBySet(files: readonly BackupFileInfo[]): Map<string, (BackupFileInfo & { seq: number })[]> {
  const sets = new Map<string, (BackupFileInfo & { seq: number })[]>();
  for (const file of files) {
    const name = parseBackupFileName(file.name);
    if (name?.kind !== 'run') continue;
    sets.set(name.set, [...(sets.get(name.set) ?? []), { ...file, seq: name.seq }]);
  }
  for (const runs of sets.values()) runs.sort((a, b) => a.seq - b.seq);
  return sets;
}

/** The one set among `files` (or the one asked for): refused if there is none, or several and none chosen. */
export function chooseSet(files: readonly BackupFileInfo[], wanted?: string): string {
  const sets = [...runsBySet(files).keys()];
  if (wanted !== undefined) {
    if (!sets.includes(wanted))
      throw new BackupError('not-a-backup', 'The chosen backup set is not among these files.');
    return wanted;
  }
  if (sets.length === 0) throw new BackupError('not-a-backup', 'No backup run file is among these files.');
  if (sets.length > 1) throw new BackupError('several-sets', 'These files hold more than one backup set.');
  return sets[0]!;
}

/** A run file read and its prefix checked against its name; not yet opened. */
export interface ReadRun {
  name: string;
  seq: number;
  file: Uint8Array;
  prefix: RunPrefix;
}

/** Reads the set's run files. Refuses renamed files and runs of another vault. */
export async function readRuns(
  source: BackupSource,
  files: readonly BackupFileInfo[],
  set: string,
): Promise<ReadRun[]> {
  const runs: ReadRun[] = [];
  for (const info of runsBySet(files).get(set) ?? []) {
    const file = await readWholeFile(source, info, MAX_RUN_FILE_BYTES);
    const prefix = readRunPrefix(file);
    if (prefix.set !== set || prefix.seq !== info.seq)
      throw new BackupError('run-misnamed', `${info.name} says it is run ${prefix.seq} of another name.`);
    runs.push({ name: info.name, seq: info.seq, file, prefix });
  }
  if (runs.length === 0) throw new BackupError('not-a-backup', 'No run of this backup set is among these files.');
  const vault = sodium.to_hex(runs.at(-1)!.prefix.header.vaultId);
  for (const run of runs)
    if (sodium.to_hex(run.prefix.header.vaultId) !== vault)
      throw new BackupError('foreign-run', `${run.name} belongs to another vault.`);
  return runs;
}

/** A run opened and placed in its chain. */
export interface OpenedRun {
  name: string;
  seq: number;
  hash: string;
  header: VaultHeader;
  index: RunIndex;
}

/**
 * Opens every run with the backup key and returns the set's current chain:
 * runs numbered one after another, each naming the hash of the file before
 * it, from run 1 — or from the first run of the latest prune whose runs
 * are all there (a prune writes its runs after the set's last, the first
 * with `prev` null and `rebase.end`, and removes the older ones after; cut
 * short, its runs are ignored and the older chain still counts). With
 * `upTo`, the chain ends at that run.
 */
export function openChain(backupKey: Uint8Array, runs: readonly ReadRun[], upTo?: number): OpenedRun[] {
  const opened = runs.map((run) => ({
    name: run.name,
    seq: run.seq,
    hash: runFileHash(run.file),
    header: run.prefix.header,
    index: openRunFile(backupKey, run.file, run.prefix),
  }));
  opened.sort((a, b) => a.seq - b.seq);
  const starts = opened.filter((run) => run.index.prev === null);
  // Runs before the first start (a prune's clean-up cut short left them) are passed over when a whole chain
  // follows; without one, the set's first runs are missing.
  for (const [position, start] of [...starts.entries()].reverse()) {
    const end = start.index.rebase?.end;
    if (start.seq !== 1 && end === undefined)
      throw new BackupError('chain-broken', `Run ${start.seq} starts a chain of its own.`);
    // This chain's runs: up to the next chain's first (a later prune, complete or not).
    const next = starts[position + 1]?.seq ?? Infinity;
    const segment = opened.filter((run) => run.seq >= start.seq && run.seq < next);
    // A prune cut short (its last runs never written) is passed over: the chain before it still counts.
    if (end !== undefined && !segment.some((run) => run.seq === end)) continue;
    const chain: OpenedRun[] = [];
    for (const run of segment) {
      const previous = chain.at(-1);
      if (previous && run.seq !== previous.seq + 1)
        throw new BackupError('run-missing', `Run ${previous.seq + 1} of this backup set is missing.`);
      if (previous && run.index.prev !== previous.hash)
        throw new BackupError('chain-broken', `Run ${run.seq} does not follow run ${previous.seq} of this set.`);
      chain.push(run);
    }
    if (upTo === undefined) return chain;
    const last = chain.findIndex((run) => run.seq === upTo);
    if (last < 0) throw new BackupError('run-missing', `Run ${upTo} of this backup set is not among these files.`);
    return chain.slice(0, last + 1);
  }
  if (opened[0] && opened[0].index.prev !== null)
    throw new BackupError('run-missing', `Run ${opened[0].seq - 1} of this backup set is missing.`);
  throw new BackupError('not-a-backup', 'No run of this backup set is among these files.');
}

/** The state after the last of `runs` (every run's recorded state checked on the way). */
export function replayRuns(runs: readonly OpenedRun[]): BackupState {
  const state: BackupState = new Map();
  for (const run of runs) checkState(applyRun(state, run.index), run.index);
  return state;
}

/** Every pack `runs` wrote, with what its run recorded of it. */
export function packsOf(runs: readonly OpenedRun[]): Map<string, { size: number; hash: string; seq: number }> {
  const packs = new Map<string, { size: number; hash: string; seq: number }>();
  for (const run of runs) for (const pack of run.index.packs) packs.set(pack.id, { ...pack, seq: run.seq });
  return packs;
}

/** Refuses if a pack the state needs is absent or of the wrong size (before anything is restored). */
export function checkPacksPresent(
  files: readonly BackupFileInfo[],
  set: string,
  packs: Map<string, { size: number }>,
  needed: Iterable<string>,
): void {
  const sizes = new Map(files.map((file) => [file.name, file.size]));
  for (const id of new Set(needed)) {
    const size = sizes.get(packFileName(set, id));
    if (size === undefined) throw new BackupError('pack-missing', `${packFileName(set, id)} is missing.`);
    if (size !== packs.get(id)?.size)
      throw new BackupError('pack-corrupt', `${packFileName(set, id)} has the wrong size.`);
  }
}

/** A pack's bytes, read whole and checked against its run's record. */
export async function readPack(
  source: BackupSource,
  set: string,
  id: string,
  expected: { size: number; hash: string },
): Promise<Uint8Array> {
  const name = packFileName(set, id);
  const bytes = new Uint8Array(expected.size);
  const hash = sodium.crypto_generichash_init(null, 32);
  for (let offset = 0; offset < expected.size;) {
    const piece = await source.readChunk(name, offset, Math.min(FOLDER_CHUNK_BYTES, expected.size - offset));
    if (piece.byteLength === 0) break;
    const part = piece.subarray(0, expected.size - offset);
    bytes.set(part, offset);
    sodium.crypto_generichash_update(hash, part);
    offset += part.byteLength;
  }
  if (sodium.to_hex(sodium.crypto_generichash_final(hash, 32)) !== expected.hash)
    throw new BackupError('pack-corrupt', `${name} has been altered or cut short.`);
  return bytes;
}

/** A run file's prefix (set, run number, vault header), read without the rest of the file. */
export async function readRunPrefixOf(source: BackupSource, file: BackupFileInfo): Promise<RunPrefix> {
  const length = Math.min(file.size, RUN_PREFIX_BYTES + MAX_HEADER_BYTES + NONCE_BYTES);
  return readRunPrefix(await source.readChunk(file.name, 0, length));
}
