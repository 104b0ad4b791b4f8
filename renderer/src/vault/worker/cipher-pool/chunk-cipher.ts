import { DOCUMENT_CHUNK_BYTES } from '../../api';
import { canonicalBytes } from '../crypto/canonical';
import { VaultError } from '../crypto/errors';
import { randomBytes } from '../crypto/random';
import { AEAD_TAG_BYTES, SodiumArea, aeadOpen, aeadSeal, keyArea } from '../crypto/sodium-memory';

/**
 * A document chunk at rest: nonce ‖ XChaCha20-Poly1305(plain ‖ zero padding)
 * under the blob's content key. Chunks are CHUNK_SIZE; the last one is
 * padded to a multiple of PAD_UNIT, so sizes at rest reveal nothing finer
 * than 256 KiB. The associated data binds the blob id, the chunk's index,
 * the chunk count and the chunk size: a chunk moved, swapped, dropped or
 * taken from another blob fails. (Chunks are 1 MiB because Chromium's
 * IndexedDB stores each large value as a file of its own: per value, not per
 * byte, is what costs; see docs/benchmarks.md.)
 *
 * These functions run in the vault worker or in a cipher worker of its pool.
 * Each takes a key and plaintexts that are its own to wipe: it wipes them.
 */
export const CHUNK_SIZE = DOCUMENT_CHUNK_BYTES;
const PAD_UNIT = 256 * 1024;
const NONCE_BYTES = 24;

/** Where a blob's chunks stand: what a chunk's associated data and its unpadded length need. */
export interface BlobShape {
  blobId: string;
  /** The content's size in bytes. */
  size: number;
  chunkCount: number;
}

/** A chunk to seal: `plain` holds `length` bytes, then zeros up to at least the padded length. */
export interface PlainChunk {
  index: number;
  plain: Uint8Array;
  length: number;
}

export interface SealedChunk {
  index: number;
  env: Uint8Array;
}

export function chunkCountFor(size: number): number {
  return Math.ceil(size / CHUNK_SIZE);
}

function chunkAssociatedData(blobId: string, index: number, chunkCount: number): Uint8Array {
  return canonicalBytes(['ev-chunk', 2, blobId, index, chunkCount, CHUNK_SIZE]);
}

/** The padded length a chunk of `length` bytes is sealed at. */
export function paddedLength(length: number): number {
  return length === CHUNK_SIZE ? CHUNK_SIZE : Math.max(1, Math.ceil(length / PAD_UNIT)) * PAD_UNIT;
}

/** A zeroed array to fill with the chunk that starts at `offset` of content of `size` bytes. */
export function newChunkBuffer(size: number, offset: number): Uint8Array {
  return new Uint8Array(paddedLength(Math.min(CHUNK_SIZE, size - offset)));
}

/**
 * Seals chunks of one blob. The key and every chunk's plaintext are wiped,
 * whether it succeeds or not; the plaintext passes through libsodium's
 * memory, which is wiped too.
 */
export function sealChunks(key: Uint8Array, blobId: string, chunkCount: number, chunks: PlainChunk[]): Uint8Array[] {
  let keyInMemory: SodiumArea | null = null;
  let plainArea: SodiumArea | null = null;
  let sealedArea: SodiumArea | null = null;
  try {
    keyInMemory = keyArea(key);
    plainArea = SodiumArea.allocateToOverwrite(CHUNK_SIZE); // each seal writes all it reads
    sealedArea = SodiumArea.allocateToOverwrite(CHUNK_SIZE + AEAD_TAG_BYTES);
    return chunks.map(({ index, plain, length }) => {
      const padded = paddedLength(length);
      if (!Number.isSafeInteger(length) || length < 0 || length > CHUNK_SIZE || plain.byteLength < padded)
        throw new VaultError('invalid-input', 'A document chunk to seal is malformed.');
      plainArea!.write(plain.subarray(0, padded));
      const nonce = randomBytes(NONCE_BYTES);
      aeadSeal(
        keyInMemory!,
        nonce,
        chunkAssociatedData(blobId, index, chunkCount),
        plainArea!,
        0,
        padded,
        sealedArea!,
        0,
      );
      const env = new Uint8Array(NONCE_BYTES + padded + AEAD_TAG_BYTES);
      env.set(nonce);
      env.set(sealedArea!.view(0, padded + AEAD_TAG_BYTES), NONCE_BYTES);
      return env;
    });
  } finally {
    key.fill(0);
    for (const { plain } of chunks) plain.fill(0);
    keyInMemory?.free();
    plainArea?.free();
    sealedArea?.free();
  }
}

/** Opens a stored chunk; its plaintext passes through libsodium's memory, which is wiped after. The key stays the caller's. */
export function openChunk(key: Uint8Array, blob: BlobShape, index: number, env: Uint8Array): Uint8Array {
  const length = index === blob.chunkCount - 1 ? blob.size - index * CHUNK_SIZE : CHUNK_SIZE;
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
        chunkAssociatedData(blob.blobId, index, blob.chunkCount),
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

/** Opens chunks of one blob; the key (the job's copy) is wiped afterwards. */
export function openChunks(key: Uint8Array, blob: BlobShape, chunks: SealedChunk[]): Uint8Array[] {
  const opened: Uint8Array[] = [];
  try {
    for (const { index, env } of chunks) opened.push(openChunk(key, blob, index, env));
    return opened;
  } catch (error) {
    for (const plain of opened) plain.fill(0); // one failed: none is handed back
    throw error;
  } finally {
    key.fill(0);
  }
}
