import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from './random';
import { VaultError } from './errors';

/**
 * A recovery key is 32 random bytes plus a 3-byte checksum, written as 56
 * Crockford base32 characters in 14 groups of 4 (easy to copy by hand; no
 * I, L, O or U). The checksum tells a typo from a wrong key.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 32;
const CHECKSUM_BYTES = 3;
const GROUP = 4;

function checksum(key: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(CHECKSUM_BYTES, key, sodium.from_string('ev-recovery-key'));
}

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(bytes);
}

export function formatRecoveryKey(key: Uint8Array): string {
  const text = toBase32(new Uint8Array([...key, ...checksum(key)]));
  return text.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? text;
}

/** Accepts any case, spaces or dashes, and the usual look-alikes (O→0, I/L→1). */
export function parseRecoveryKey(text: string): Uint8Array {
  const normalised = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const bytes = normalised.length === 56 ? fromBase32(normalised) : null;
  if (!bytes || bytes.byteLength !== KEY_BYTES + CHECKSUM_BYTES)
    throw new VaultError('recovery-key-mistyped', 'A recovery key has 56 letters and digits in 14 groups of 4.');
  const key = bytes.slice(0, KEY_BYTES);
  if (!sodium.memcmp(checksum(key), bytes.slice(KEY_BYTES)))
    throw new VaultError('recovery-key-mistyped', 'The recovery key has a typo: its check letters do not match.');
  return key;
}

export function newRecoveryKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}
