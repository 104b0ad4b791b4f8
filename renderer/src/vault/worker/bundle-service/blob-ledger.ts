import { contentTag, openBlobRow, sealBlobRow, wipeBlobKey } from '../blob-store';
import type { VaultStore } from '../vault-store';

export type BlobLedger = ReturnType<typeof blobLedger>;

/**
 * The blob rows one merge changes, kept together so that two documents with
 * the same content, or one document moving to new content, update one row
 * each: refs are added and released here, and written once at the end.
 */
export function blobLedger(store: VaultStore) {
  const rows = new Map<string, { tag: string; info: ReturnType<typeof openBlobRow> }>();
  const byTag = new Map<string, string>();
  /** Blob rows this ledger opened from the vault: each opening holds its own copy of the key (`wipe`). */
  const opened: ReturnType<typeof openBlobRow>[] = [];
  async function load(blobId: string) {
    let row = rows.get(blobId);
    if (!row) {
      const stored = await store.database.blobs.get(blobId);
      if (!stored || stored.tag === '') return undefined;
      row = { tag: stored.tag, info: openBlobRow(store.recordsKey, stored) };
      opened.push(row.info);
      rows.set(blobId, row);
    }
    return row;
  }
  return {
    /** Points `documentId` at content with this staged blob's hash: an existing blob if the vault has one. */
    async place(
      blob: { blobId: string; sha256: string; info: Omit<ReturnType<typeof openBlobRow>, 'refs'> },
      documentId: string,
    ) {
      const tag = contentTag(store.blindIndexKey, blob.sha256);
      let blobId = byTag.get(tag);
      if (!blobId) {
        const existing = await store.database.blobs.where('tag').equals(tag).first();
        blobId = existing?.id ?? blob.blobId;
        if (!existing) rows.set(blobId, { tag, info: { ...blob.info, refs: [] } });
        byTag.set(tag, blobId);
      }
      const row = await load(blobId);
      if (row && !row.info.refs.includes(documentId)) row.info.refs.push(documentId);
      return blobId;
    },
    /** `documentId` no longer uses this blob (it took other content). */
    async release(blobId: string, documentId: string) {
      const row = await load(blobId);
      if (row) row.info.refs = row.info.refs.filter((ref) => ref !== documentId);
    },
    /** The rows to write, the blobs no document uses any more, and which staged blobs were taken. */
    finish(staged: readonly string[]) {
      const putBlobs = [...rows]
        .filter(([, row]) => row.info.refs.length > 0)
        .map(([blobId, row]) => sealBlobRow(store.recordsKey, blobId, row.tag, row.info));
      const kept = new Set(putBlobs.map((row) => row.id));
      const deleteBlobs = [
        ...[...rows].filter(([, row]) => row.info.refs.length === 0).map(([blobId]) => blobId),
        ...staged.filter((blobId) => !kept.has(blobId) && !rows.has(blobId)),
      ];
      return { putBlobs, deleteBlobs };
    },
    /** Wipes the content keys of the rows it opened (not the staged ones: a merge that failed runs again). */
    wipe() {
      for (const info of opened.splice(0)) wipeBlobKey(info);
    },
  };
}
