import sodium from 'libsodium-wrappers-sumo';
import { rowKey, type BackupState, type TableCode } from '../backup';
import { EMPTY_HEAD, type LogHead } from '../custody-log';
import type { VaultHeader } from '../crypto/header';
import { parseVaultHeader } from '../header-store';
import { sealedBlobTagValue } from '../sealed-blob';
import { LOG_HEAD_ID, SEARCH_SNAPSHOT_BLOB, type VaultStore } from '../vault-store';
import { BACKUP_STATE_BLOB } from './bookkeeping';

/** A row as the backup lists it: where it is in the vault and what it is now. */
export interface ListedRow {
  table: TableCode;
  id: string;
  a: string;
  b: string;
  fingerprint: string;
}

/** The vault as one read transaction saw it, against the state of the set's last run. */
export interface VaultListing {
  header: VaultHeader;
  logHead: LogHead;
  /** Every row the backup holds after this run. */
  rows: Map<string, ListedRow>;
  /** Rows new or changed since the last run, with their stored bytes (content chunks: null, read later). */
  changed: Map<string, Uint8Array | null>;
  /** Rows the last run held that are gone. */
  deleted: ListedRow[];
}

/** BLAKE2b-128 of a row's stored bytes: says whether it changed since the last run. */
export const fingerprintOf = (env: Uint8Array): string => sodium.to_hex(sodium.crypto_generichash(16, env, null));

/** Blob tags of data the vault derives or keeps about itself: never copied (rebuilt or remade after a restore). */
const SKIPPED_BLOBS = [SEARCH_SNAPSHOT_BLOB, BACKUP_STATE_BLOB];

/**
 * Lists every row of the vault in one read transaction, so the copy is of
 * one moment: records, custody log, content blobs, the integrity map, and
 * the ids of content chunks (a chunk never changes under its id, so only
 * new ids are read, after). Content still being written (a pending blob)
 * and the search snapshot and backup state blobs are left out.
 */
export async function listVault(store: VaultStore, previous: BackupState): Promise<VaultListing> {
  const db = store.database;
  const rows = new Map<string, ListedRow>();
  const changed = new Map<string, Uint8Array | null>();
  let header: VaultHeader | undefined;
  let logHead: LogHead | undefined;
  const take = (table: TableCode, id: string, env: Uint8Array, a = '', b = '') => {
    const key = rowKey(table, id);
    const fingerprint = fingerprintOf(env);
    rows.set(key, { table, id, a, b, fingerprint });
    if (previous.get(key)?.fingerprint !== fingerprint) changed.set(key, env);
  };
  const skippedTag = (blobId: string, tag: string) =>
    tag === '' || SKIPPED_BLOBS.some((prefix) => tag === store.blind(sealedBlobTagValue(prefix, blobId)));
  await db.transaction('r', [db.meta, db.records, db.log, db.blobs, db.chunks, db.state], async () => {
    const headerRow = await db.meta.get('header');
    header = parseVaultHeader(headerRow?.id === 'header' ? headerRow.header : undefined);
    await db.records.each((row) => {
      take('r', row.id, row.env, row.kind, row.owner);
      if (row.id === LOG_HEAD_ID) logHead = store.logHeadOf(row.env);
    });
    await db.log.each((row) => take('l', row.id, row.env));
    const blobs = new Set<string>();
    // Older search snapshots carry one shared tag.
    const sharedSnapshotTag = store.blind(SEARCH_SNAPSHOT_BLOB);
    await db.blobs.each((row) => {
      if (row.tag === sharedSnapshotTag || skippedTag(row.id, row.tag)) return;
      blobs.add(row.id);
      take('b', row.id, row.env, row.tag);
    });
    for (const id of await db.chunks.toCollection().primaryKeys()) {
      if (!blobs.has(id.slice(0, id.indexOf('.')))) continue;
      const key = rowKey('c', id);
      rows.set(key, { table: 'c', id, a: '', b: '', fingerprint: '' });
      if (!previous.has(key)) changed.set(key, null);
    }
    await db.state.each((row) => take('s', String(row.id), row.env));
  });
  const deleted = [...previous.values()].filter((row) => !rows.has(rowKey(row.table, row.id)));
  return { header: header!, logHead: logHead ?? EMPTY_HEAD, rows, changed, deleted };
}
