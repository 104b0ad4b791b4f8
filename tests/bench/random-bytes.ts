import type { PickedFile } from '../../renderer/src/platform';

/** Random bytes, like the compressed media and PDFs people attach: a
 * repeating pattern would let IndexedDB's own compression flatter the plain
 * side, while ciphertext never compresses. */
export function incompressibleBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536));
  return bytes;
}

/** In-memory bytes read like a picked file: piece by piece. */
export function fileFromBytes(name: string, bytes: Uint8Array): PickedFile {
  return {
    name,
    size: bytes.byteLength,
    async *chunks(chunkSize) {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize)
        yield await Promise.resolve(bytes.slice(offset, offset + chunkSize));
    },
    close: () => Promise.resolve(),
  };
}

/** A picked file of `size` random bytes, made piece by piece as it is read (a 1 GiB file never sits in memory). */
export function syntheticFile(name: string, size: number): PickedFile {
  return {
    name,
    size,
    async *chunks(chunkSize) {
      for (let offset = 0; offset < size; offset += chunkSize)
        yield await Promise.resolve(incompressibleBytes(Math.min(chunkSize, size - offset)));
    },
    close: () => Promise.resolve(),
  };
}
