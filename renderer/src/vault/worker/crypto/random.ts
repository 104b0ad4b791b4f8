/**
 * Random bytes from the platform CSPRNG (Web Crypto). libsodium.js's
 * randombytes_buf calls back into JavaScript for every few bytes and costs
 * about 140 µs per nonce; this is the same source, called once.
 */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
