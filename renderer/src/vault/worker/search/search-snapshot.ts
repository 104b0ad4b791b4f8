import { VaultError } from '../crypto/errors';
import { loadSealedBlob, writeSealedBlob, type WrittenBlob } from '../sealed-blob';
import { searchSnapshotBlobIds, SEARCH_SNAPSHOT_BLOB, SEARCH_SNAPSHOT_POINTER, type VaultStore } from '../vault-store';
import type { IndexSnapshot } from './search-index';
import { StoredShards } from './term-shards/term-shard-storage';

/** The term shards of an index, as stored in the vault (or, for a new index, not yet). */
export interface IndexShards {
  words: StoredShards;
  khmer: StoredShards;
}

/** The shard sources of an index read from a stored snapshot (`stored`), or of a new one. */
export function indexShards(store: VaultStore, stored: boolean): IndexShards {
  return { words: new StoredShards(store, 'words', stored), khmer: new StoredShards(store, 'khmer', stored) };
}

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
 * Stores `snapshot` (the index as of `generation`): its catalogue as a
 * sealed blob replacing the previous one, and its changed term shards, in
 * one transaction, unless a change to the records landed since `commits`:
 * the snapshot would then say less than the vault (a deleted case must not
 * come back through it). A new index's first store also removes every
 * shard row an earlier index left. Nothing is left behind if it fails.
 */
export async function saveSearchSnapshot(
  store: VaultStore,
  snapshot: IndexSnapshot,
  shards: IndexShards,
  commits: number,
  generation: string,
): Promise<boolean> {
  // A change since makes the commit refuse: checked before writing 100 MiB, and between pieces.
  if (store.commits !== commits) return false;
  // Every earlier snapshot goes, recognised by its tag: one whose pointer was damaged too. Looked up first, so
  // the pending row of this one is on disk no longer than before.
  const earlier = await searchSnapshotBlobIds(store.database, (value) => store.blind(value));
  const id = pointerId(store);
  const words = await shards.words.rowsFor(snapshot.shards.words);
  const khmer = await shards.khmer.rowsFor(snapshot.shards.khmer);
  const put = [...words.put, ...khmer.put];
  const removed = new Set([...words.remove, ...khmer.remove]);
  if (!shards.words.stored || !shards.khmer.stored) {
    const written = new Set(put.map((row) => row.id));
    for (const rowId of await store.vaultRowIds('search-shard')) if (!written.has(rowId)) removed.add(rowId);
  }
  let written: WrittenBlob;
  try {
    written = await writeSealedBlob(
      store,
      snapshot.catalogue,
      SEARCH_SNAPSHOT_BLOB,
      [id],
      () => store.commits === commits,
    );
  } catch (error) {
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
  try {
    await store.commit({
      put: [await store.seal('search-snapshot', null, id, { blobId: written.blobId, generation }), ...put],
      delete: [...removed].map((rowId) => ({ table: 'search-shard' as const, caseId: null, id: rowId })),
      putBlobs: [written.row],
      deleteBlobs: earlier.filter((blobId) => blobId !== written.blobId),
      derived: true,
      unlessChangedSince: commits,
    });
  } catch (error) {
    await written.discard().catch(() => undefined);
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
  words.remember();
  khmer.remember();
  snapshot.stored();
  return true;
}
