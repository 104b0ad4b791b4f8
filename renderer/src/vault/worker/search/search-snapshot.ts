import { Intake, chunkId, openBlobRow, openChunk, sealBlobRow, wipeBlobKey } from '../blob-store';
import type { Sha256Stream } from '../content-hash';
import { VaultError } from '../crypto/errors';
import type { BlobRow } from '../storage/database';
import { searchSnapshotBlobIds, searchSnapshotBlobTag, SEARCH_SNAPSHOT_POINTER, type VaultStore } from '../vault-store';

const PIECE_BYTES = 1024 * 1024;

/** The snapshot's bytes are not a document: nobody compares their SHA-256. */
const noHash: Sha256Stream = { update: () => undefined, digest: () => Promise.resolve(''), dispose: () => undefined };

const pointerId = (store: VaultStore) => store.blind(SEARCH_SNAPSHOT_POINTER);

/** Where the snapshot is, and the records generation it reflects (VaultStore.recordsGeneration). */
export interface SnapshotPointer {
  blobId: string;
  generation: string;
}

function isPointer(value: unknown): value is SnapshotPointer {
  const pointer = value as Partial<SnapshotPointer> | undefined;
  return typeof pointer?.blobId === 'string' && typeof pointer.generation === 'string';
}

/** The stored snapshot's pointer, or null if there is none. */
export async function searchSnapshotPointer(store: VaultStore): Promise<SnapshotPointer | null> {
  // A damaged pointer is as good as none: the index is rebuilt from the records.
  const pointer = await store.find('search-snapshot', null, pointerId(store)).catch(() => undefined);
  return isPointer(pointer) ? pointer : null;
}

/**
 * The stored search snapshot, decrypted, or null if there is none. It is
 * kept like a document's content: encrypted chunks under a random key, that
 * key sealed with the vault's records key, and a vault record pointing at it.
 */
export async function loadSearchSnapshot(store: VaultStore, pointer: SnapshotPointer): Promise<Uint8Array | null> {
  const row = await store.database.blobs.get(pointer.blobId);
  if (!row || row.tag === '') return null;
  const info = openBlobRow(store.recordsKey, row);
  const key = info.key;
  try {
    const bytes = new Uint8Array(info.size);
    const ids = Array.from({ length: info.chunkCount }, (_, index) => chunkId(pointer.blobId, index));
    const rows = await store.database.chunks.bulkGet(ids);
    let offset = 0;
    rows.forEach((chunk, index) => {
      if (!chunk) throw new VaultError('record-tampered', 'A part of the search snapshot is missing.');
      const plain = openChunk(key, pointer.blobId, index, info, chunk.env);
      bytes.set(plain, offset);
      offset += plain.byteLength;
    });
    return bytes;
  } finally {
    key.fill(0);
  }
}

/**
 * Stores `bytes` (the index as of `generation`) as the search snapshot, replacing the previous one in the
 * same transaction, unless a change to the records landed since `commits`:
 * the snapshot would then say less than the vault (a deleted case must not
 * come back through it). Nothing is left behind if it fails.
 */
export async function saveSearchSnapshot(
  store: VaultStore,
  bytes: Uint8Array,
  commits: number,
  generation: string,
): Promise<boolean> {
  // A change since makes the commit refuse: checked before writing 100 MiB, and between pieces.
  if (store.commits !== commits) return false;
  // Every earlier snapshot goes, recognised by its tag: one whose pointer was damaged too. Looked up first, so
  // the pending row of this one is on disk no longer than before.
  const earlier = await searchSnapshotBlobIds(store.database, (value) => store.blind(value));
  const intake = await Intake.begin(store.database, store.recordsKey, bytes.byteLength, noHash);
  try {
    for (let offset = 0; offset < bytes.byteLength; offset += PIECE_BYTES) {
      if (store.commits !== commits) throw new VaultError('invalid-input', 'The vault changed.', 'stale');
      await intake.write(bytes.subarray(offset, offset + PIECE_BYTES));
    }
    const { info } = await intake.finish();
    const id = pointerId(store);
    // A tag of its own (a keyed hash of its random id): on disk it looks like any document's content.
    const tag = store.blind(searchSnapshotBlobTag(intake.blobId));
    let blobRow: BlobRow;
    try {
      blobRow = sealBlobRow(store.recordsKey, intake.blobId, tag, { ...info, refs: [id] });
    } finally {
      wipeBlobKey(info);
    }
    await store.commit({
      put: [await store.seal('search-snapshot', null, id, { blobId: intake.blobId, generation })],
      putBlobs: [blobRow],
      deleteBlobs: earlier.filter((blobId) => blobId !== intake.blobId),
      derived: true,
      unlessChangedSince: commits,
    });
    return true;
  } catch (error) {
    await intake.discard().catch(() => undefined);
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
}
