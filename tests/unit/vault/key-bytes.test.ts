/** Keys kept as bytes (crypto/key-bytes.ts): the record layout with byte fields, and hex read and written as bytes. */
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { newIdentityKeys, readIdentityKeyFile, writeIdentityKeyFile } from '../../../renderer/src/vault/worker/bundle';
import { openJson, openRecord, sealJson } from '../../../renderer/src/vault/worker/crypto/envelope';
import { deriveKeyEncryptionKey } from '../../../renderer/src/vault/worker/crypto/kdf';
import {
  bytesOfHexDigits,
  decodeWithByteFields,
  encodeWithByteFields,
  hexDigitsOf,
} from '../../../renderer/src/vault/worker/crypto/key-bytes';

beforeAll(async () => {
  await sodium.ready;
});

const ascii = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('records with byte fields', () => {
  it('seal and open a key as bytes, the other fields as JSON, and never write the key as text', () => {
    const recordsKey = sodium.randombytes_buf(32);
    const key = sodium.randombytes_buf(32);
    const address = { table: 'case-key', id: 'row-1' };
    const env = sealJson(recordsKey, address, 2, { caseId: 'case-1', key });
    const plain = openRecord(recordsKey, address, env);
    expect(plain[0]).toBe(1);
    expect(Buffer.from(plain).includes(Buffer.from(key))).toBe(true);
    for (const text of [
      sodium.to_hex(key),
      sodium.to_base64(key),
      sodium.to_base64(key, sodium.base64_variants.ORIGINAL),
    ])
      expect(ascii(plain)).not.toContain(text);
    const opened = openJson(recordsKey, address, env) as { caseId: string; key: Uint8Array };
    expect(opened.caseId).toBe('case-1');
    expect(opened.key).toBeInstanceOf(Uint8Array);
    expect(opened.key).toEqual(key);
    // A copy of its own: wiping it leaves nothing else changed.
    opened.key.fill(0);
    expect(key.some((byte) => byte !== 0)).toBe(true);
  });

  it('keeps values without byte fields as plain JSON (rows of every other kind unchanged)', () => {
    const recordsKey = sodium.randombytes_buf(32);
    const address = { table: 'case', id: 'c' };
    const value = { id: 'c', title: 'Zq', tags: ['a'], nested: { n: 1 } };
    const env = sealJson(recordsKey, address, 1, value);
    expect(new TextDecoder().decode(openRecord(recordsKey, address, env))).toBe(JSON.stringify(value));
    expect(openJson(recordsKey, address, env)).toEqual(value);
  });

  it('round-trips several fields and refuses malformed layouts', () => {
    const sign = sodium.randombytes_buf(64);
    const box = sodium.randombytes_buf(32);
    const encoded = encodeWithByteFields({ name: 'Zq', signSecretKey: sign, boxSecretKey: box, createdAt: 5 });
    expect(decodeWithByteFields(encoded)).toEqual({ name: 'Zq', signSecretKey: sign, boxSecretKey: box, createdAt: 5 });
    for (const bad of [
      encoded.subarray(0, 10), // cut inside a field
      Uint8Array.from([1, 0, ...new TextEncoder().encode('{}')]), // no field
      Uint8Array.from([1, 1, 1, 0x41, 0, 1, 7, ...new TextEncoder().encode('{"A":1}')]), // a field twice
      Uint8Array.from([1, 1, 1, 0x41, 0, 1, 7, ...new TextEncoder().encode('[1]')]), // not an object
    ])
      expect(() => decodeWithByteFields(bad)).toThrow(/malformed/);
  });
});

describe('hex as bytes', () => {
  it('writes and reads what libsodium does, upper or lower case, and refuses anything else', () => {
    for (const length of [0, 1, 32, 64, 255]) {
      const bytes = sodium.randombytes_buf(length);
      const digits = hexDigitsOf(bytes);
      expect(ascii(digits)).toBe(sodium.to_hex(bytes));
      expect(bytesOfHexDigits(digits)).toEqual(bytes);
      expect(bytesOfHexDigits(new TextEncoder().encode(sodium.to_hex(bytes).toUpperCase()))).toEqual(bytes);
    }
    expect(bytesOfHexDigits(Uint8Array.from([0x30]))).toBeNull();
    for (const bad of ['0g', 'g0', '/0', ':0', '@0', '`0', 'G0', ' 0'])
      expect(bytesOfHexDigits(new TextEncoder().encode(bad)), bad).toBeNull();
    const all = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect(ascii(hexDigitsOf(all))).toBe(sodium.to_hex(all));
  });
});

describe('identity key file (format version 1 kept)', () => {
  const SMALL_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };
  const PASSPHRASE = 'a separate passphrase for the key file 7';
  const passphrase = () => new TextEncoder().encode(PASSPHRASE);

  /** The sealed text of a key file. */
  async function innerText(file: string): Promise<string> {
    const parsed = JSON.parse(file) as {
      kdf: { opsLimit: number; memLimit: number; salt: string };
      nonce: string;
      ciphertext: string;
    };
    const from = (text: string) => sodium.from_base64(text, sodium.base64_variants.ORIGINAL);
    const key = await deriveKeyEncryptionKey(passphrase(), {
      algorithm: 'argon2id13',
      ...parsed.kdf,
      salt: from(parsed.kdf.salt),
    });
    return new TextDecoder().decode(
      sodium.crypto_secretbox_open_easy(from(parsed.ciphertext), from(parsed.nonce), key),
    );
  }

  it('writes the same sealed text as before (keys as hex digits), made byte by byte, and reads files written before', async () => {
    const keys = newIdentityKeys();
    const name = 'Zq "quoted" name \\ with \u2028 and signSecretKey":"';
    const file = await writeIdentityKeyFile(name, keys, passphrase(), SMALL_KDF);
    expect(await innerText(file)).toBe(
      JSON.stringify({
        name,
        signSecretKey: sodium.to_hex(keys.signSecretKey),
        boxSecretKey: sodium.to_hex(keys.boxSecretKey),
      }),
    );
    const read = await readIdentityKeyFile(file, passphrase());
    expect(read.name).toBe(name);
    expect(read.signSecretKey).toEqual(keys.signSecretKey);
    expect(read.boxSecretKey).toEqual(keys.boxSecretKey);
    expect(read.boxPublicKey).toEqual(keys.boxPublicKey);
  });

  it('refuses a sealed text whose keys are not where the format puts them', async () => {
    const keys = newIdentityKeys();
    const params = { algorithm: 'argon2id13' as const, ...SMALL_KDF, salt: sodium.randombytes_buf(16) };
    const seal = async (inner: string) => {
      const nonce = sodium.randombytes_buf(24);
      const key = await deriveKeyEncryptionKey(passphrase(), params);
      const b64 = (bytes: Uint8Array) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
      return JSON.stringify({
        format: 'evidence-vault-identity-key',
        version: 1,
        kdf: { algorithm: 'argon2id13', opsLimit: params.opsLimit, memLimit: params.memLimit, salt: b64(params.salt) },
        nonce: b64(nonce),
        ciphertext: b64(sodium.crypto_secretbox_easy(new TextEncoder().encode(inner), nonce, key)),
      });
    };
    const sign = sodium.to_hex(keys.signSecretKey);
    const box = sodium.to_hex(keys.boxSecretKey);
    for (const inner of [
      JSON.stringify({ name: 'a', signSecretKey: sign.slice(2), boxSecretKey: box }), // too short
      JSON.stringify({ name: 'a', signSecretKey: sign, boxSecretKey: `${box.slice(2)}zz` }), // not hex
      JSON.stringify({ name: 'a', signSecretKey: sign }), // missing
      `{"name":"a","signSecretKey":"${sign}","boxSecretKey":"${box}","boxSecretKey":"${box}"}`, // twice
    ])
      await expect(readIdentityKeyFile(await seal(inner), passphrase()), inner.slice(0, 40)).rejects.toThrow(
        /holds no identity/,
      );
  });
});
