import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';
import {
  BackupError,
  checkPacksPresent,
  chooseSet,
  openChain,
  packsOf,
  readPack,
  readRuns,
  replayRuns,
  type BackupSource,
  type BackupState,
  type StateRow,
} from '../backup';
import { blobShape, openBlobRow, wipeBlobKey, type BlobInfo } from '../blob-store';
import { openChunk } from '../cipher-pool';
import type { BackupVerifyReport } from '../../api';
import type { VaultStore } from '../vault-store';
import { knownSets } from './bookkeeping';

/**
 * Checks a backup set as a restore would, without writing anything: every
 * run opens and follows the one before, every run's state replays to what
 * it recorded, every pack any run names is there with its recorded hash
 * and every row lies inside it; optionally every document's content is
 * decrypted from the packs and its SHA-256 compared with the one recorded
 * when it was attached. Refusals are BackupErrors with a typed reason.
 */
export async function verifyBackupSet(
  store: VaultStore,
  source: BackupSource,
  options: { set?: string; rehash?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<BackupVerifyReport> {
  const files = await source.list();
  if (!files) throw new BackupError('not-a-backup', 'No backup files were given.');
  const set = chooseSet(files, options.set);
  const backupKey = store.backupKey();
  let rehash: DocumentHashes | null = null;
  try {
    const chain = openChain(backupKey, await readRuns(source, files, set));
    const state = replayRuns(chain);
    const packs = packsOf(chain);
    checkPacksPresent(files, set, packs, packs.keys());
    const rowsByPack = new Map<string, StateRow[]>();
    for (const row of state.values()) {
      const rows = rowsByPack.get(row.pack);
      if (rows) rows.push(row);
      else rowsByPack.set(row.pack, [row]);
    }
    rehash = options.rehash ? new DocumentHashes(store, state) : null;
    let packBytes = 0;
    let done = 0;
    for (const [id, recorded] of packs) {
      const bytes = await readPack(source, set, id, recorded);
      packBytes += bytes.byteLength;
      for (const row of rowsByPack.get(id) ?? []) {
        if (row.offset + row.length > bytes.byteLength)
          throw new BackupError('pack-corrupt', 'A row lies outside its pack (run index and pack disagree).');
        rehash?.take(row, bytes.subarray(row.offset, row.offset + row.length));
      }
      options.onProgress?.(++done, packs.size);
    }
    const last = chain.at(-1)!;
    const known = (await knownSets(store)).find((candidate) => candidate.setId === set);
    return {
      set,
      runs: chain.length,
      latestSeq: last.seq,
      latestAt: last.index.createdAt,
      packs: packs.size,
      packBytes,
      rows: state.size,
      documentsRehashed: rehash ? rehash.finish() : null,
      matchesVault: known ? known.seq === last.seq && known.runHash === last.hash : null,
    };
  } finally {
    sodium.memzero(backupKey);
    // A refusal part-way leaves content keys of documents not yet checked: they go too.
    rehash?.dispose();
  }
}

/**
 * Re-hashes documents from a set's packs: a blob's chunks are decrypted in
 * order with its content key (from its blob row, opened with the records
 * key) and fed to its SHA-256, which is compared with the recorded one once
 * the last chunk is in. A run writes a blob's row before its chunks and its
 * chunks in order, so chunks are hashed as they come; only a chunk that
 * arrives before its blob row (the row rewritten by a later run) waits.
 */
class DocumentHashes {
  private readonly blobs = new Map<
    string,
    { info: BlobInfo | null; next: number; hash: StateAddress | null; waiting: Map<number, Uint8Array> }
  >();
  private checked = 0;

  constructor(
    private readonly store: VaultStore,
    state: BackupState,
  ) {
    for (const row of state.values())
      if (row.table === 'b') this.blobs.set(row.id, { info: null, next: 0, hash: null, waiting: new Map() });
  }

  take(row: StateRow, env: Uint8Array): void {
    if (row.table === 'b') {
      const blob = this.blobs.get(row.id)!;
      blob.info = openBlobRow(this.store.recordsKey, { id: row.id, tag: '', env });
      blob.hash = sodium.crypto_hash_sha256_init();
      this.advance(row.id);
    } else if (row.table === 'c') {
      const dot = row.id.indexOf('.');
      const blobId = row.id.slice(0, dot);
      this.blobs.get(blobId)?.waiting.set(Number(row.id.slice(dot + 1)), env.slice());
      this.advance(blobId);
    }
  }

  private advance(blobId: string): void {
    const blob = this.blobs.get(blobId);
    if (!blob?.info || !blob.hash) return;
    for (let env = blob.waiting.get(blob.next); env; env = blob.waiting.get(blob.next)) {
      blob.waiting.delete(blob.next);
      const plain = openChunk(blob.info.key, blobShape(blobId, blob.info), blob.next, env);
      sodium.crypto_hash_sha256_update(blob.hash, plain);
      plain.fill(0);
      blob.next += 1;
    }
    if (blob.next < blob.info.chunkCount) return;
    const matches = sodium.to_hex(sodium.crypto_hash_sha256_final(blob.hash)) === blob.info.sha256;
    wipeBlobKey(blob.info);
    this.blobs.delete(blobId);
    if (!matches) throw new BackupError('pack-corrupt', 'A document in the backup is not the one that was attached.');
    this.checked += 1;
  }

  finish(): number {
    const missing = this.blobs.size > 0;
    this.dispose();
    if (missing) throw new BackupError('pack-corrupt', 'A part of a document is missing from the backup.');
    return this.checked;
  }

  /** Wipes the content keys of documents not yet checked (and their waiting chunks); safe to call again. */
  dispose(): void {
    for (const blob of this.blobs.values()) {
      wipeBlobKey(blob.info ?? undefined);
      for (const env of blob.waiting.values()) env.fill(0);
    }
    this.blobs.clear();
  }
}
