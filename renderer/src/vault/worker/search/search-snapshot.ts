import { VaultError } from '../crypto/errors';
import { loadSealedBlob, writeSealedBlob, type WrittenBlob } from '../sealed-blob';
import { searchSnapshotBlobIds, SEARCH_SNAPSHOT_BLOB, SEARCH_SNAPSHOT_POINTER, type VaultStore } from '../vault-store';
import { isCatalogueHead, type CatalogueHead } from './catalogue-codec';
import type { IndexSnapshot } from './search-index';
import { StoredShards, storedShardRows } from './term-shards/term-shard-storage';

/** The term shards and catalogue pieces of an index, as stored in the vault (or, for a new index, not yet). */
export interface IndexShards {
  words: StoredShards;
  khmer: StoredShards;
  entries: StoredShards;
}

const SPACES = ['words', 'khmer', 'entries'] as const;

/** The shard sources of an index read from a stored snapshot (`stored`), or of a new one. */
export function indexShards(store: VaultStore, stored: boolean): IndexShards {
  return {
    words: new StoredShards(store, 'words', stored),
    khmer: new StoredShards(store, 'khmer', stored),
    entries: new StoredShards(store, 'entries', stored),
  };
}

const pointerId = (store: VaultStore) => store.blind(SEARCH_SNAPSHOT_POINTER);

/**
 * The snapshot's pointer: the records generation it reflects
 * (VaultStore.recordsGeneration), the catalogue's head (its pieces are
 * search-piece rows) and the blob holding every searched row's tag. A
 * pointer written before the catalogue was stored in pieces has no head:
 * the index is then built again.
 */
export interface SnapshotPointer {
  blobId: string;
  generation: string;
  catalogue?: CatalogueHead;
}

function isPointer(value: unknown): value is SnapshotPointer {
  const pointer = value as Partial<SnapshotPointer> | undefined;
  return typeof pointer?.blobId === 'string' && typeof pointer.generation === 'string';
}

/** The head of a pointer this version wrote, or null (an older pointer, or a damaged one). */
export function catalogueHeadOf(pointer: SnapshotPointer): CatalogueHead | null {
  return isCatalogueHead(pointer.catalogue) ? pointer.catalogue : null;
}

const damagedTags = () => new Error('damaged search row tags');

/** The row tags' bytes: UTF-8 JSON `[[rowId, tag], ...]`, only ever stored sealed. */
export function encodeRowTags(tags: ReadonlyMap<string, string>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify([...tags]));
}

export function decodeRowTags(bytes: Uint8Array): Map<string, string> {
  const pairs: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  if (!Array.isArray(pairs)) throw damagedTags();
  for (const pair of pairs as unknown[])
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string')
      throw damagedTags();
  return new Map(pairs as [string, string][]);
}

/** The stored snapshot's pointer, or null if there is none. */
export async function searchSnapshotPointer(store: VaultStore): Promise<SnapshotPointer | null> {
  // A damaged pointer is as good as none: the index is rebuilt from the records.
  const pointer = await store.find('search-snapshot', null, pointerId(store)).catch(() => undefined);
  return isPointer(pointer) ? pointer : null;
}

/** The stored snapshot's row tags, or null if they are not stored (sealed-blob.ts); throws if damaged. */
export async function loadRowTags(store: VaultStore, blobId: string): Promise<Map<string, string> | null> {
  const bytes = await loadSealedBlob(store, blobId);
  if (!bytes) return null;
  try {
    return decodeRowTags(bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * Stores `snapshot` (the index as of `generation`, with `rowTags`, the
 * encoded tag of every row it reflects): the row tags as a sealed blob
 * replacing the previous one, the pointer with the catalogue's head, and
 * the changed term shards and catalogue pieces, in one transaction, unless
 * a change to the records landed since `commits`:
 * the snapshot would then say less than the vault (a deleted case must not
 * come back through it). A new index's first store also removes every
 * shard row an earlier index left. Nothing is left behind if it fails.
 */
export async function saveSearchSnapshot(
  store: VaultStore,
  snapshot: IndexSnapshot,
  rowTags: Uint8Array,
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
  const rows = await Promise.all(SPACES.map((space) => shards[space].rowsFor(snapshot.shards[space])));
  const put = rows.flatMap((row) => row.put);
  const removed = new Map(rows.flatMap((row) => row.remove).map((ref) => [ref.id, ref]));
  if (SPACES.some((space) => !shards[space].stored)) {
    const written = new Set(put.map((row) => row.id));
    for (const row of await storedShardRows(store)) if (!written.has(row.id)) removed.set(row.id, row);
  }
  let written: WrittenBlob;
  try {
    written = await writeSealedBlob(store, rowTags, SEARCH_SNAPSHOT_BLOB, [id], () => store.commits === commits);
  } catch (error) {
    if (error instanceof VaultError && error.detail === 'stale') return false;
    throw error;
  }
  try {
    await store.commit({
      put: [
        await store.seal('search-snapshot', null, id, { blobId: written.blobId, generation, catalogue: snapshot.head }),
        ...put,
      ],
      delete: [...removed.values()],
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
  for (const row of rows) row.remember();
  snapshot.stored();
  return true;
}
