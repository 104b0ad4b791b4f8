import { Intake, blobShape, chunkId, openBlobRow, sealBlobRow, wipeBlobKey } from './blob-store';
import { inlineCipherPool, openChunk } from './cipher-pool';
import type { Sha256Stream } from './content-hash';
import { VaultError } from './crypto/errors';
import type { BlobRow } from './storage/database';
import type { VaultStore } from './vault-store';

/**
 * Bytes the vault keeps about itself (the search snapshot, a backup set's
 * state), kept like a document's content: encrypted 1 MiB chunks under a
 * random key, that key sealed with the records key in a blob row. Each kind
 * tags its blobs with a keyed hash of its own prefix and the blob's random
 * id, so on disk they look like any document's content, and the vault still
 * recognises them from the row alone.
 */
const PIECE_BYTES = 1024 * 1024;

/** These blobs are small and written in the background: sealed here, not in the pool. */
const inlineSealing = inlineCipherPool();

/** Nobody compares these bytes' SHA-256. */
const noHash: Sha256Stream = { update: () => undefined, digest: () => Promise.resolve(''), dispose: () => undefined };

/** The tag a blob of the kind `prefix` carries (before the vault's keyed hash). */
export const sealedBlobTagValue = (prefix: string, blobId: string): string => `${prefix}:${blobId}`;

/** The blob's bytes, decrypted, or null if it is not stored (or is still being written). */
export async function loadSealedBlob(store: VaultStore, blobId: string): Promise<Uint8Array | null> {
  const row = await store.database.blobs.get(blobId);
  if (!row || row.tag === '') return null;
  const info = openBlobRow(store.recordsKey, row);
  const key = info.key;
  try {
    const bytes = new Uint8Array(info.size);
    const ids = Array.from({ length: info.chunkCount }, (_, index) => chunkId(blobId, index));
    const rows = await store.database.chunks.bulkGet(ids);
    let offset = 0;
    rows.forEach((chunk, index) => {
      if (!chunk) throw new VaultError('record-tampered', 'A part of stored data is missing.');
      const plain = openChunk(key, blobShape(blobId, info), index, chunk.env);
      bytes.set(plain, offset);
      offset += plain.byteLength;
    });
    return bytes;
  } finally {
    key.fill(0);
  }
}

/** A blob written but not yet committed: its row goes in the caller's commit, or `discard` removes it. */
export interface WrittenBlob {
  blobId: string;
  row: BlobRow;
  discard(): Promise<void>;
}

/**
 * Writes `bytes` as a blob of the kind `prefix`, referenced by `refs`. Its
 * chunks are on disk, pending, until the caller commits `row` (a crash
 * before that leaves a pending blob the unlock sweep removes). `stillWanted`
 * is asked between pieces: false stops the write with `stale`.
 */
export async function writeSealedBlob(
  store: VaultStore,
  bytes: Uint8Array,
  prefix: string,
  refs: string[],
  stillWanted: () => boolean = () => true,
): Promise<WrittenBlob> {
  const intake = Intake.begin(store.database, store.recordsKey, bytes.byteLength, noHash, inlineSealing);
  try {
    for (let offset = 0; offset < bytes.byteLength; offset += PIECE_BYTES) {
      if (!stillWanted()) throw new VaultError('invalid-input', 'The vault changed.', 'stale');
      await intake.write(bytes.subarray(offset, offset + PIECE_BYTES));
    }
    const { info } = await intake.finish();
    const tag = store.blind(sealedBlobTagValue(prefix, intake.blobId));
    try {
      const row = sealBlobRow(store.recordsKey, intake.blobId, tag, { ...info, refs });
      return { blobId: intake.blobId, row, discard: () => intake.discard() };
    } finally {
      wipeBlobKey(info);
    }
  } catch (error) {
    await intake.discard().catch(() => undefined);
    throw error;
  }
}

/**
 * Ids of every blob of the kinds `prefixes` (one pass over the blob table's
 * tag index keys, no row read or opened). `blind` is the vault's keyed hash;
 * `constants` are older single tags also recognised.
 */
export async function sealedBlobIds(
  store: Pick<VaultStore, 'database' | 'blind'>,
  prefixes: readonly string[],
  constants: readonly string[] = [],
): Promise<string[]> {
  const shared = new Set(constants.map((value) => store.blind(value)));
  const ids: string[] = [];
  await store.database.blobs.orderBy('tag').eachKey((key, cursor) => {
    const id = String(cursor.primaryKey);
    const tag = typeof key === 'string' ? key : '';
    if (tag === '') return;
    if (shared.has(tag) || prefixes.some((prefix) => tag === store.blind(sealedBlobTagValue(prefix, id)))) ids.push(id);
  });
  return ids;
}
