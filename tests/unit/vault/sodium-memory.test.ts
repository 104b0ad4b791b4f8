import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SecretStream,
  SodiumArea,
  aeadOpen,
  aeadSeal,
  keyArea,
} from '../../../renderer/src/vault/worker/crypto/sodium-memory';

beforeAll(async () => {
  await sodium.ready;
});

const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;

/** True if `needle` occurs anywhere in libsodium's memory. */
function inHeap(needle: Uint8Array): boolean {
  return Buffer.from(heap()).includes(Buffer.from(needle));
}

function areaWith(bytes: Uint8Array, size = bytes.byteLength): SodiumArea {
  const area = SodiumArea.allocate(size);
  area.write(bytes);
  return area;
}

describe('libsodium memory areas', () => {
  it('are wiped when freed and refuse use afterwards', () => {
    const marker = sodium.randombytes_buf(64);
    const area = areaWith(marker);
    expect(inHeap(marker)).toBe(true);
    area.free();
    expect(inHeap(marker)).toBe(false);
    expect(() => area.view()).toThrow();
    area.free(); // twice: nothing happens
  });

  it('start zeroed, whatever freed memory held (the padding of a chunk is sealed from it)', () => {
    // The wrappers free their copies unwiped: this leaves 300,000 bytes of 0x41 in freed memory.
    sodium.crypto_generichash(32, new Uint8Array(300_000).fill(0x41), null);
    const area = SodiumArea.allocate(1024 * 1024);
    expect(area.view().every((byte) => byte === 0)).toBe(true);
    area.free();
  });

  it('refuse ranges outside the area', () => {
    const area = SodiumArea.allocate(16);
    expect(() => area.write(new Uint8Array(17))).toThrow(RangeError);
    expect(() => area.copyOut(8, 9)).toThrow(RangeError);
    expect(() => area.view(-1, 2)).toThrow(RangeError);
    area.free();
  });
});

describe('XChaCha20-Poly1305 in libsodium memory', () => {
  it('interoperates with the wrappers both ways, and leaves no plaintext or key behind', () => {
    const key = sodium.randombytes_buf(32);
    const nonce = sodium.randombytes_buf(24);
    const ad = new TextEncoder().encode('associated');
    const plain = sodium.randombytes_buf(100_000);

    const keyInHeap = keyArea(key);
    const source = areaWith(plain);
    const sealed = SodiumArea.allocate(plain.byteLength + 16);
    aeadSeal(keyInHeap, nonce, ad, source, 0, plain.byteLength, sealed, 0);
    const ciphertext = sealed.copyOut(0, sealed.size);
    expect(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key)).toEqual(plain);

    const fromWrapper = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, null, nonce, key);
    const opened = SodiumArea.allocate(plain.byteLength);
    expect(aeadOpen(keyInHeap, nonce, ad, fromWrapper, opened, 0)).toBe(true);
    expect(opened.copyOut(0, opened.size)).toEqual(plain);

    for (const area of [keyInHeap, source, sealed, opened]) area.free();
    expect(inHeap(plain.subarray(0, 64))).toBe(false);
    expect(inHeap(key)).toBe(false);
  });

  it('reports a flipped bit, other associated data or a short input as false', () => {
    const key = keyArea(sodium.randombytes_buf(32));
    const nonce = sodium.randombytes_buf(24);
    const ad = new Uint8Array([1]);
    const source = areaWith(new Uint8Array([1, 2, 3]));
    const sealed = SodiumArea.allocate(19);
    aeadSeal(key, nonce, ad, source, 0, 3, sealed, 0);
    const good = sealed.copyOut(0, 19);
    const out = SodiumArea.allocate(3);
    const flipped = good.slice();
    flipped[5]! ^= 1;
    expect(aeadOpen(key, nonce, ad, flipped, out, 0)).toBe(false);
    expect(aeadOpen(key, nonce, new Uint8Array([2]), good, out, 0)).toBe(false);
    expect(aeadOpen(key, nonce, ad, good.subarray(0, 15), out, 0)).toBe(false);
    expect(aeadOpen(key, nonce, ad, good, out, 0)).toBe(true);
    for (const area of [key, source, sealed, out]) area.free();
  });
});

describe('secretstream in libsodium memory', () => {
  const tagMessage = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const tagFinal = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

  it('seals what the wrappers open, and opens what they seal, tags included', () => {
    const key = sodium.randombytes_buf(32);
    const ad = areaWith(sodium.randombytes_buf(32));
    const chunks = [sodium.randombytes_buf(1000), sodium.randombytes_buf(10)];

    const { stream, header } = SecretStream.push(key);
    const sealed = chunks.map((chunk, index) => {
      const source = areaWith(chunk);
      const out = SodiumArea.allocate(chunk.byteLength + 17);
      stream.seal(source, 0, chunk.byteLength, ad, out, 0, index === 0 ? tagMessage() : tagFinal());
      source.free();
      const bytes = out.copyOut(0, out.size);
      out.free();
      return bytes;
    });
    stream.close();
    const pull = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const adBytes = ad.copyOut(0, 32);
    const first = sodium.crypto_secretstream_xchacha20poly1305_pull(pull, sealed[0]!, adBytes);
    const second = sodium.crypto_secretstream_xchacha20poly1305_pull(pull, sealed[1]!, adBytes);
    expect(first && first.message).toEqual(chunks[0]);
    expect(first && first.tag).toBe(tagMessage());
    expect(second && second.tag).toBe(tagFinal());

    const reader = SecretStream.pull(key, header);
    if (!reader) throw new Error('the header was refused');
    const into = SodiumArea.allocate(1000);
    const input = areaWith(sealed[0]!);
    expect(reader.open(input, 0, sealed[0]!.byteLength, ad, into, 0)).toBe(tagMessage());
    expect(into.copyOut(0, 1000)).toEqual(chunks[0]);
    // The same chunk again is out of order: refused.
    expect(reader.open(input, 0, sealed[0]!.byteLength, ad, into, 0)).toBe(false);
    for (const area of [ad, into, input]) area.free();
    reader.close();
  });

  it('refuses a header of the wrong length and a chunk shorter than its overhead', () => {
    const key = sodium.randombytes_buf(32);
    expect(SecretStream.pull(key, new Uint8Array(23))).toBe(false);
    const reader = SecretStream.pull(key, sodium.randombytes_buf(24));
    if (!reader) throw new Error('the header was refused');
    const area = SodiumArea.allocate(32);
    expect(reader.open(area, 0, 16, area, area, 0)).toBe(false);
    area.free();
    reader.close();
  });
});
