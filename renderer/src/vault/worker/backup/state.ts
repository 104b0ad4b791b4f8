import sodium from 'libsodium-wrappers-sumo';
import { BackupError } from './errors';
import { z } from '../../zod';
import { TABLE_CODES, type TableCode } from './constants';
import { rowKey, type RunIndex } from './run-index';

/** Where one row of the state is kept, and what it was when copied. */
export interface StateRow {
  table: TableCode;
  id: string;
  /** Records: kind hash; blobs: content tag; else ''. */
  a: string;
  /** Records: owner hash; else ''. */
  b: string;
  /** BLAKE2b-128 of the row's stored bytes ('' for content chunks, which never change under their id). */
  fingerprint: string;
  pack: string;
  offset: number;
  length: number;
}

/** Every row a run's state holds, by `table:id`. */
export type BackupState = Map<string, StateRow>;

/** The state after `index`, from the state before it (changed in place and returned). */
export function applyRun(state: BackupState, index: RunIndex): BackupState {
  for (const [table, id] of index.delete) state.delete(rowKey(table, id));
  for (const [table, id, a, b, fingerprint, pack, offset, length] of index.put) {
    const packId = index.packs[pack]?.id;
    if (packId === undefined)
      throw new BackupError('run-corrupt', `Run ${index.seq} points at a pack it does not list.`);
    state.set(rowKey(table, id), { table, id, a, b, fingerprint, pack: packId, offset, length });
  }
  return state;
}

const encoder = new TextEncoder();

/**
 * The digest a run records of its whole state: BLAKE2b-256 over one line per
 * row, sorted by `table:id` (UTF-16 code unit order), each line
 * `table\tid\ta\tb\tfingerprint\tpack\toffset\tlength\n`.
 */
export function stateDigest(state: BackupState): { rows: number; bytes: number; digest: string } {
  const hash = sodium.crypto_generichash_init(null, 32);
  let bytes = 0;
  for (const key of [...state.keys()].sort()) {
    const row = state.get(key)!;
    bytes += row.length;
    const line = [row.table, row.id, row.a, row.b, row.fingerprint, row.pack, row.offset, row.length].join('\t');
    sodium.crypto_generichash_update(hash, encoder.encode(`${line}\n`));
  }
  return { rows: state.size, bytes, digest: sodium.to_hex(sodium.crypto_generichash_final(hash, 32)) };
}

/** Refuses a replayed state that is not what its run recorded. */
export function checkState(state: BackupState, index: RunIndex): void {
  const found = stateDigest(state);
  if (found.digest !== index.state.digest || found.rows !== index.state.rows || found.bytes !== index.state.bytes)
    throw new BackupError('state-mismatch', `The rows replayed up to run ${index.seq} are not what it recorded.`);
}

const decoder = new TextDecoder();

/** A state as bytes (JSON rows as in a run's `put`, with pack ids): what a vault keeps of a set's last run. */
export function encodeState(state: BackupState): Uint8Array {
  return encoder.encode(
    JSON.stringify(
      [...state.values()].map((row) => [
        row.table,
        row.id,
        row.a,
        row.b,
        row.fingerprint,
        row.pack,
        row.offset,
        row.length,
      ]),
    ),
  );
}

export function decodeState(bytes: Uint8Array): BackupState {
  const rows = z
    .array(
      z.tuple([
        z.enum(TABLE_CODES),
        z.string(),
        z.string(),
        z.string(),
        z.string(),
        z.string(),
        z.number(),
        z.number(),
      ]),
    )
    .parse(JSON.parse(decoder.decode(bytes)));
  return new Map(
    rows.map(([table, id, a, b, fingerprint, pack, offset, length]) => [
      rowKey(table, id),
      { table, id, a, b, fingerprint, pack, offset, length },
    ]),
  );
}
