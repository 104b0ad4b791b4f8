import { VaultError } from '../crypto/errors';
import { loadSealedBlob, writeSealedBlob, type WrittenBlob } from '../sealed-blob';
import { searchSnapshotBlobIds, SEARCH_SNAPSHOT_BLOB, SEARCH_SNAPSHOT_POINTER, type VaultStore } from '../vault-store';

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

/** The stored search snapshot, decrypted, or null if there is none (sealed-blob.ts). */
export function loadSearchSnapshot(store: VaultStore, pointer: SnapshotPointer): Promise<Uint8Array | null> {
  return loadSealedBlob(store, pointer.blobId);
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
  const id = pointerId(store);
  let written: WrittenBlob;
  try {
    written = await writeSealedBlob(store, bytes, SEARCH_SNAPSHOT_BLOB, [id], () => store.commits === commits);
  } catch (error) {
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
  try {
    await store.commit({
      put: [await store.seal('search-snapshot', null, id, { blobId: written.blobId, generation })],
      putBlobs: [written.row],
      deleteBlobs: earlier.filter((blobId) => blobId !== written.blobId),
      derived: true,
      unlessChangedSince: commits,
    });
    return true;
  } catch (error) {
    await written.discard().catch(() => undefined);
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
}
