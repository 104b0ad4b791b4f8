import sodium from 'libsodium-wrappers-sumo';
import { DOCUMENT_CHUNK_BYTES } from '../api';
import { canonicalBytes } from './crypto/canonical';
import { envelopeSchemaVersion, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { blindIndex, randomId } from './crypto/keys';
import { randomBytes } from './crypto/random';
import { AEAD_TAG_BYTES, SodiumArea, aeadOpen, aeadSeal, keyArea } from './crypto/sodium-memory';
import type { Sha256Stream } from './content-hash';
import type { BlobRow, ChunkRow, VaultDatabase } from './storage/database';

/**
 * Content is stored as encrypted chunks of CHUNK_SIZE under a random per-blob
 * key; the last chunk is zero-padded to a multiple of PAD_UNIT, so sizes at
 * rest reveal nothing finer than 256 KiB, and a small file costs 256 KiB, not
 * a whole chunk. Chunks are 1 MiB because Chromium's IndexedDB stores each
 * large value as a file of its own: per value, not per byte, is what costs
 * (measured in docs/benchmarks.md). Each chunk's associated data binds the
 * blob id, its index, the chunk count and the chunk size: a chunk moved,
 * swapped, dropped or taken from another blob fails.
 */
export const CHUNK_SIZE = DOCUMENT_CHUNK_BYTES;
const PAD_UNIT = 256 * 1024;
const NONCE_BYTES = 24;
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

export function chunkId(blobId: string, index: number): string {
  return `${blobId}.${index.toString().padStart(8, '0')}`;
}

export function chunkCountFor(size: number): number {
  return Math.ceil(size / CHUNK_SIZE);
}

function chunkAssociatedData(blobId: string, index: number, chunkCount: number): Uint8Array {
  return canonicalBytes(['ev-chunk', 2, blobId, index, chunkCount, CHUNK_SIZE]);
}

/** The padded length a chunk of `length` bytes is sealed at. */
function paddedLength(length: number): number {
  return length === CHUNK_SIZE ? CHUNK_SIZE : Math.max(1, Math.ceil(length / PAD_UNIT)) * PAD_UNIT;
}

/**
 * Seals the chunk whose `length` bytes are at the start of `plain` (an area
 * of CHUNK_SIZE whose bytes past `length` are zero: they are the padding)
 * into a new envelope: nonce ‖ ciphertext.
 */
function sealChunkFrom(
  key: SodiumArea,
  blobId: string,
  index: number,
  chunkCount: number,
  plain: SodiumArea,
  length: number,
  sealed: SodiumArea,
): Uint8Array {
  const padded = paddedLength(length);
  const nonce = randomBytes(NONCE_BYTES);
  aeadSeal(key, nonce, chunkAssociatedData(blobId, index, chunkCount), plain, 0, padded, sealed, 0);
  const env = new Uint8Array(NONCE_BYTES + padded + AEAD_TAG_BYTES);
  env.set(nonce);
  env.set(sealed.view(0, padded + AEAD_TAG_BYTES), NONCE_BYTES);
  return env;
}

/** Opens a stored chunk; its plaintext passes through libsodium's memory, which is wiped after. */
export function openChunk(key: Uint8Array, blobId: string, index: number, info: BlobInfo, env: Uint8Array) {
  const length = index === info.chunkCount - 1 ? info.size - index * CHUNK_SIZE : CHUNK_SIZE;
  const paddedSize = env.byteLength - NONCE_BYTES - AEAD_TAG_BYTES;
  const keyInMemory = keyArea(key);
  let plain: SodiumArea;
  try {
    plain = SodiumArea.allocateToOverwrite(Math.max(paddedSize, 0)); // the decryption writes all of it
  } catch (error) {
    keyInMemory.free();
    throw error;
  }
  try {
    const opened =
      paddedSize >= length &&
      aeadOpen(
        keyInMemory,
        env.subarray(0, NONCE_BYTES),
        chunkAssociatedData(blobId, index, info.chunkCount),
        env.subarray(NONCE_BYTES),
        plain,
        0,
      );
    if (!opened)
      throw new VaultError('record-tampered', 'A stored document chunk failed authentication.', `chunk ${index}`);
    return plain.copyOut(0, length);
  } finally {
    plain.free();
    keyInMemory.free();
  }
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
 * 'pending' blob row is written first, so an intake cut short by a crash is
 * found and removed by the sweep at the next unlock.
 */
export class Intake {
  readonly blobId = randomId();
  private readonly key = randomBytes(32);
  /** The key, the chunk being filled and its sealed form, in libsodium's memory: wiped when the intake ends. */
  private readonly keyInMemory = keyArea(this.key);
  private readonly buffer = SodiumArea.allocate(CHUNK_SIZE);
  private readonly sealedBuffer = SodiumArea.allocate(CHUNK_SIZE + AEAD_TAG_BYTES);
  private buffered = 0;
  private received = 0;
  private nextIndex = 0;
  readonly chunkCount: number;
  /** First bytes of the file, for type sniffing. */
  head = new Uint8Array(0);

  private constructor(
    private readonly db: VaultDatabase,
    readonly declaredSize: number,
    private readonly hash: Sha256Stream,
  ) {
    this.chunkCount = chunkCountFor(declaredSize);
  }

  static async begin(
    db: VaultDatabase,
    recordsKey: Uint8Array,
    declaredSize: number,
    hash: Sha256Stream,
  ): Promise<Intake> {
    if (!Number.isSafeInteger(declaredSize) || declaredSize < 0)
      throw new VaultError('invalid-input', 'The file size is not valid.');
    const intake = new Intake(db, declaredSize, hash);
    try {
      await db.blobs.put(sealBlobRow(recordsKey, intake.blobId, '', { pending: true }));
    } catch (error) {
      intake.wipe(); // its key and buffers are in libsodium's memory
      throw error;
    }
    return intake;
  }

  /** Chunk writes under way, oldest first. A few at once let IndexedDB
   * serialise one batch while it commits the previous one; the bound keeps
   * memory flat. */
  private readonly writes: Promise<unknown>[] = [];
  private readonly sealed: ChunkRow[] = [];

  /** Set by discard and wipe: the key is gone, and nothing more may be sealed with it. */
  private closed = false;

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new VaultError('locked', 'This intake was closed.');
    if (this.received + bytes.byteLength > this.declaredSize)
      throw new VaultError('invalid-input', 'The file grew while it was being read.');
    if (this.head.byteLength < 4096)
      this.head = Uint8Array.from([...this.head, ...bytes.subarray(0, 4096 - this.head.byteLength)]);
    this.hash.update(bytes);
    this.received += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const take = Math.min(CHUNK_SIZE - this.buffered, bytes.byteLength - offset);
      this.buffer.write(bytes.subarray(offset, offset + take), this.buffered);
      this.buffered += take;
      offset += take;
      if (this.buffered === CHUNK_SIZE) this.sealBuffer();
    }
    await this.startWrite();
  }

  private sealBuffer(): void {
    const index = this.nextIndex++;
    const env = sealChunkFrom(
      this.keyInMemory,
      this.blobId,
      index,
      this.chunkCount,
      this.buffer,
      this.buffered,
      this.sealedBuffer,
    );
    this.sealed.push({ id: chunkId(this.blobId, index), env });
    this.buffer.wipe(0, this.buffered);
    this.buffered = 0;
  }

  /** Wipes and frees the key and buffers in libsodium's memory. */
  private release(): void {
    this.key.fill(0);
    this.keyInMemory.free();
    this.buffer.free();
    this.sealedBuffer.free();
  }

  /** Starts writing what is sealed (one transaction), once fewer than
   * MAX_WRITES_IN_FLIGHT writes are under way. */
  private async startWrite(): Promise<void> {
    while (this.writes.length >= MAX_WRITES_IN_FLIGHT) await this.writes.shift();
    if (this.sealed.length === 0) return;
    const write = this.db.chunks.bulkPut(this.sealed.splice(0));
    write.catch(() => undefined); // awaited later; not unhandled meanwhile
    this.writes.push(write);
  }

  private async allWritten(): Promise<void> {
    while (this.writes.length > 0) await this.writes.shift();
  }

  /** Writes the last chunk and returns what the final commit needs. */
  async finish(): Promise<{ sha256: string; info: Omit<BlobInfo, 'refs'> }> {
    if (this.closed) throw new VaultError('locked', 'This intake was closed.');
    if (this.received !== this.declaredSize)
      throw new VaultError('invalid-input', 'The file became shorter while it was being read.');
    if (this.buffered > 0) this.sealBuffer();
    // A copy for the blob row (this one is wiped now); the caller wipes it once the row is sealed.
    const info = { key: this.key.slice(), size: this.received, chunkCount: this.chunkCount };
    this.closed = true;
    this.release();
    await this.startWrite();
    await this.allWritten();
    const sha256 = await this.hash.digest();
    return { sha256, info: { ...info, sha256 } };
  }

  /** Removes what was written; the caller drops the intake. */
  async discard(): Promise<void> {
    this.closed = true;
    this.hash.dispose();
    this.release();
    this.sealed.length = 0;
    await Promise.allSettled(this.writes.splice(0));
    await this.db.transaction('rw', this.db.blobs, this.db.chunks, async () => {
      await this.db.blobs.delete(this.blobId);
      await deleteChunksOf(this.db, this.blobId);
    });
  }

  wipe(): void {
    this.closed = true;
    this.release();
  }
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
