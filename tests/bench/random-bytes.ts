/** Random bytes, like the compressed media and PDFs people attach: a
 * repeating pattern would let IndexedDB's own compression flatter the plain
 * side, while ciphertext never compresses. */
export function incompressibleBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536));
  return bytes;
}
