import sodium from 'libsodium-wrappers-sumo';
import { CHUNK_SIZE, chunkCountFor, newChunkBuffer, type BlobShape, type CipherPool } from './cipher-pool';
import { envelopeSchemaVersion, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { blindIndex, randomId } from './crypto/keys';
import { randomBytes } from './crypto/random';
import type { Sha256Stream } from './content-hash';
import type { BlobRow, ChunkRow, VaultDatabase } from './storage/database';

/**
 * Content is stored as encrypted chunks (cipher-pool/chunk-cipher.ts) under
 * a random per-blob key, which is kept in the blob's sealed row.
 */
// 2: 1 MiB chunks with the last one padded to 256 KiB (1 was 256 KiB chunks, none of which exist outside tests).
// 3: the same chunks; the blob row holds its content key as bytes (key-bytes.ts), no longer as base64 text.
const BLOB_SCHEMA = 3;
/** Blob rows whose content key is base64 text: still read, rewritten once at unlock (key-storage-upgrade.ts). */
export const LEGACY_BLOB_SCHEMA = 2;
const MAX_WRITES_IN_FLIGHT = 3;

export interface BlobInfo {
  /** The content key, as bytes: a copy per opening, the opener's to wipe (wipeBlobKey). */
  key: Uint8Array;
  size: number;
  chunkCount: number;
  sha256: string;
  /** Documents that point at this content; the blob goes when none is left. */
  refs: string[];
}

/** What opening a chunk of this blob needs besides its key. */
export function blobShape(blobId: string, info: Pick<BlobInfo, 'size' | 'chunkCount'>): BlobShape {
  return { blobId, size: info.size, chunkCount: info.chunkCount };
}

export function chunkId(blobId: string, index: number): string {
  return `${blobId}.${index.toString().padStart(8, '0')}`;
}

export async function deleteChunksOf(db: VaultDatabase, blobId: string): Promise<void> {
  await db.chunks.where('id').between(`${blobId}.`, `${blobId}.\uffff`).delete();
}

export function sealBlobRow(
  recordsKey: Uint8Array,
  id: string,
  tag: string,
  info: BlobInfo | { pending: true },
): BlobRow {
  return { id, tag, env: sealJson(recordsKey, { table: 'blob', id }, BLOB_SCHEMA, info) };
}

/**
 * A blob row's content key and facts. The key comes back as a new
 * Uint8Array, never as text; the caller wipes it when done (wipeBlobKey).
 * A row of schema 2 holds the key as base64: it is still read, but the
 * string decoding it makes cannot be wiped, so such rows are rewritten
 * once at unlock.
 */
export function openBlobRow(recordsKey: Uint8Array, row: BlobRow): BlobInfo {
  const schema = envelopeSchemaVersion(row.env);
  if (schema !== BLOB_SCHEMA && schema !== LEGACY_BLOB_SCHEMA)
    throw new VaultError('record-tampered', 'This content was stored by a pre-release build and cannot be read.');
  const value = openJson(recordsKey, { table: 'blob', id: row.id }, row.env) as Record<string, unknown>;
  let key = value.key;
  if (schema === LEGACY_BLOB_SCHEMA && typeof key === 'string') {
    try {
      key = sodium.from_base64(key);
    } catch {
      key = undefined;
    }
  }
  if (
    !(key instanceof Uint8Array) ||
    key.byteLength !== 32 ||
    typeof value.size !== 'number' ||
    !Array.isArray(value.refs)
  ) {
    if (key instanceof Uint8Array) key.fill(0);
    throw new VaultError('not-found', 'This content is not (or no longer) stored.');
  }
  return { ...(value as Omit<BlobInfo, 'key'>), key };
}

/** Wipes the content key of an opened blob row (its other fields stay readable). */
export function wipeBlobKey(info: { key: Uint8Array } | undefined): void {
  info?.key.fill(0);
}

export function contentTag(blindKey: Uint8Array, sha256: string): string {
  return blindIndex(blindKey, `sha256:${sha256}`);
}

/**
 * One file being taken in: bytes arrive in any sizes, leave as sealed
 * chunks written as they fill, while SHA-256 runs over the exact bytes. A
 * 'pending' blob row goes in the transaction of the first chunks, so no
 * chunk is ever stored without it: an intake cut short by a crash is found
 * and removed by the sweep at the next unlock. (Written with the chunks, not
 * before them: a bundle of many small documents would otherwise wait for a
 * transaction of its own per document.)
 *
 * Each full chunk goes to the cipher pool at once and the next bytes are
 * taken while it is sealed; sealed chunks are written in batches, a few
 * transactions at a time. Both queues are bounded, so memory stays flat.
 */
export class Intake {
  readonly blobId = randomId();
  /** The content key: each seal job gets a copy of its own; wiped when the intake ends. */
  private readonly key = randomBytes(32);
  /** The chunk being filled (zeros past `buffered`: the padding); moved to a seal job when full. */
  private chunk: Uint8Array | null = null;
  private buffered = 0;
  private received = 0;
  private nextIndex = 0;
  readonly chunkCount: number;
  /** First bytes of the file, for type sniffing. */
  head = new Uint8Array(0);

  /** The pending blob row, until a chunks' transaction has stored it (null after). */
  private pendingRow: BlobRow | null;

  private constructor(
    private readonly db: VaultDatabase,
    recordsKey: Uint8Array,
    readonly declaredSize: number,
    private readonly hash: Sha256Stream,
    private readonly cipher: CipherPool,
  ) {
    this.chunkCount = chunkCountFor(declaredSize);
    this.pendingRow = sealBlobRow(recordsKey, this.blobId, '', { pending: true });
  }

  static begin(
    db: VaultDatabase,
    recordsKey: Uint8Array,
    declaredSize: number,
    hash: Sha256Stream,
    cipher: CipherPool,
  ): Intake {
    if (!Number.isSafeInteger(declaredSize) || declaredSize < 0)
      throw new VaultError('invalid-input', 'The file size is not valid.');
    return new Intake(db, recordsKey, declaredSize, hash, cipher);
  }

  /** Seal jobs under way, oldest first: two per cipher worker keep each busy while the next chunk fills. */
  private readonly sealing: Promise<void>[] = [];
  /** Chunk writes under way, oldest first. A few at once let IndexedDB
   * serialise one batch while it commits the previous one. */
  private readonly writes: Promise<unknown>[] = [];
  private readonly sealed: ChunkRow[] = [];
  /** File bytes in `sealed` (what they hold before padding). */
  private sealedBytes = 0;
  /** File bytes whose sealed chunks IndexedDB has committed: what a progress bar may show as done. */
  private storedBytes = 0;

  /** File bytes sealed and committed so far (never more than were written). */
  get stored(): number {
    return this.storedBytes;
  }

  /** Set by discard and wipe: the key is gone, and nothing more may be sealed with it. */
  private closed = false;
  /** The first seal or write that failed: finish reports it, whoever was waiting on it then. */
  private failure: Error | null = null;
  /** The write() under way, which finish waits for (a caller may send both without waiting). */
  private writing: Promise<void> = Promise.resolve();

  /** Takes the next bytes; resolves with the file bytes stored so far (sealed and committed, see `stored`). */
  write(bytes: Uint8Array): Promise<number> {
    const writing = this.writing.then(() => this.writeNow(bytes));
    this.writing = writing.catch(() => undefined);
    return writing.then(() => this.storedBytes);
  }

  private async writeNow(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new VaultError('locked', 'This intake was closed.');
    if (this.received + bytes.byteLength > this.declaredSize)
      throw new VaultError('invalid-input', 'The file grew while it was being read.');
    if (this.head.byteLength < 4096)
      this.head = Uint8Array.from([...this.head, ...bytes.subarray(0, 4096 - this.head.byteLength)]);
    this.hash.update(bytes);
    let offset = 0;
    while (offset < bytes.byteLength) {
      this.chunk ??= newChunkBuffer(this.declaredSize, this.received);
      const take = Math.min(CHUNK_SIZE - this.buffered, bytes.byteLength - offset);
      this.chunk.set(bytes.subarray(offset, offset + take), this.buffered);
      this.buffered += take;
      this.received += take;
      offset += take;
      if (this.buffered === CHUNK_SIZE) this.sealChunk();
    }
    await this.startWrite();
  }

  /** Sends the chunk to the cipher pool; it is written once sealed. */
  private sealChunk(): void {
    const index = this.nextIndex++;
    const plain = this.chunk!;
    const length = this.buffered;
    this.chunk = null;
    this.buffered = 0;
    const sealing = this.cipher
      .sealChunks(this.key, this.blobId, this.chunkCount, [{ index, plain, length }])
      .then(([env]) => {
        if (this.closed && !this.finishing) return;
        this.sealed.push({ id: chunkId(this.blobId, index), env: env! });
        this.sealedBytes += length;
        // Written as soon as it is sealed if IndexedDB has room, not at the next piece: the file may be slow.
        if (this.writes.length < MAX_WRITES_IN_FLIGHT) this.writeSealed();
      });
    sealing.catch((error: unknown) => {
      this.failure ??= asError(error);
    });
    this.sealing.push(sealing);
  }

  /** Wipes the key and the chunk being filled. */
  private release(): void {
    this.key.fill(0);
    this.chunk?.fill(0);
    this.chunk = null;
  }

  /** Waits while too many seals or writes are under way, then starts writing what is sealed (one transaction). */
  private async startWrite(): Promise<void> {
    while (this.sealing.length > 2 * this.cipher.size) await this.sealing.shift();
    while (this.writes.length >= MAX_WRITES_IN_FLIGHT) await this.writes.shift();
    this.writeSealed();
  }

  /** Starts one transaction writing every sealed chunk not yet written (and the pending row, until one has). */
  private writeSealed(): void {
    if (this.sealed.length === 0) return;
    const bytes = this.sealedBytes;
    this.sealedBytes = 0;
    const rows = this.sealed.splice(0);
    // Every write carries the pending row until one has stored it: were the first to fail and a later one
    // succeed, its chunks would otherwise be stored without a row the sweep finds them by.
    const pending = this.pendingRow;
    const write = pending
      ? this.db.transaction('rw', this.db.blobs, this.db.chunks, async () => {
          await this.db.blobs.put(pending);
          await this.db.chunks.bulkPut(rows);
        })
      : this.db.chunks.bulkPut(rows);
    write.then(
      () => {
        this.pendingRow = null;
        this.storedBytes += bytes;
      },
      (error: unknown) => {
        this.failure ??= asError(error);
      },
    );
    this.writes.push(write);
  }

  private finishing = false;

  /** Writes the last chunk and returns what the final commit needs. */
  async finish(): Promise<{ sha256: string; info: Omit<BlobInfo, 'refs'> }> {
    await this.writing;
    if (this.closed) throw new VaultError('locked', 'This intake was closed.');
    if (this.received !== this.declaredSize)
      throw new VaultError('invalid-input', 'The file became shorter while it was being read.');
    if (this.buffered > 0) this.sealChunk();
    // A copy for the blob row (this one is wiped now); the caller wipes it once the row is sealed.
    const info = { key: this.key.slice(), size: this.received, chunkCount: this.chunkCount };
    this.finishing = true; // seals under way still land: each job holds its own copy of the key
    this.closed = true;
    this.release();
    try {
      while (this.sealing.length > 0) await this.sealing.shift();
      await this.startWrite();
      while (this.writes.length > 0) await this.writes.shift();
      if (this.failure !== null) throw this.failure; // a chunk not stored: never a blob with a hole
      const sha256 = await this.hash.digest();
      return { sha256, info: { ...info, sha256 } };
    } catch (error) {
      info.key.fill(0);
      // Seals still under way land nowhere: the caller discards (or the unlock sweep removes) what was written.
      this.finishing = false;
      await Promise.allSettled(this.sealing.splice(0));
      throw error;
    }
  }

  /** Removes what was written; the caller drops the intake. */
  async discard(): Promise<void> {
    this.closed = true;
    this.finishing = false;
    this.hash.dispose();
    this.release();
    await Promise.allSettled(this.sealing.splice(0));
    this.sealed.length = 0;
    this.sealedBytes = 0;
    await Promise.allSettled(this.writes.splice(0));
    await this.db.transaction('rw', this.db.blobs, this.db.chunks, async () => {
      await this.db.blobs.delete(this.blobId);
      await deleteChunksOf(this.db, this.blobId);
    });
  }

  wipe(): void {
    this.closed = true;
    this.finishing = false;
    this.release();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new VaultError('engine-failed', 'Storing the file failed.');
}

/** Removes intakes that a crash or a lock cut short (pending rows, tag ''). */
export async function sweepPendingIntakes(db: VaultDatabase): Promise<number> {
  const pending = await db.blobs.where('tag').equals('').primaryKeys();
  await db.transaction('rw', db.blobs, db.chunks, async () => {
    for (const id of pending) {
      await db.blobs.delete(id);
      await deleteChunksOf(db, id);
    }
  });
  return pending.length;
}
