import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from './random';
import { canonicalBytes } from './canonical';
import { VaultError } from './errors';
import { BYTE_FIELDS_MARKER, decodeWithByteFields, encodeWithByteFields, hasByteFields } from './key-bytes';

/**
 * A record envelope: version (1 byte) ‖ schema version (2 bytes, big-endian)
 * ‖ 24-byte nonce ‖ XChaCha20-Poly1305 ciphertext of the padded plaintext.
 *
 * The associated data binds the envelope version, the logical table, the
 * record id and the schema version: an envelope copied to another id or
 * table, or relabelled with another schema version, fails to open.
 */
export const ENVELOPE_VERSION = 1;
const HEADER_BYTES = 3;
const NONCE_BYTES = 24;

export interface RecordAddress {
  table: string;
  id: string;
}

function associatedData(address: RecordAddress, schemaVersion: number): Uint8Array {
  return canonicalBytes(['ev-record', ENVELOPE_VERSION, address.table, address.id, schemaVersion]);
}

/** Pads to 256-byte blocks up to 16 KiB and 4 KiB blocks above, so sizes on
 * disk say little about lengths of names or notes. */
const SMALL_BLOCK = 256;
const LARGE_BLOCK = 4096;
const SMALL_LIMIT = 16 * 1024;

function paddingBlockForPlaintext(length: number): number {
  // sodium.pad adds at least one byte, so a plaintext below the limit pads to at most the limit.
  return length < SMALL_LIMIT ? SMALL_BLOCK : LARGE_BLOCK;
}

function paddingBlockForPadded(length: number): number {
  return length <= SMALL_LIMIT ? SMALL_BLOCK : LARGE_BLOCK;
}

/**
 * ISO/IEC 7816-4 padding (0x80 then zeros), byte-for-byte what libsodium's
 * sodium_pad writes, done in JavaScript: one wasm call and copy fewer per
 * record. Only ever applied to plaintext that was authenticated first.
 */
export function padToBlock(data: Uint8Array, block: number): Uint8Array {
  const padded = new Uint8Array((Math.floor(data.byteLength / block) + 1) * block);
  padded.set(data);
  padded[data.byteLength] = 0x80;
  return padded;
}

export function unpadFromBlock(padded: Uint8Array, block: number): Uint8Array {
  if (padded.byteLength === 0 || padded.byteLength % block !== 0) throw new RangeError('bad padding');
  let end = padded.byteLength - 1;
  const floor = padded.byteLength - block;
  while (end >= floor && padded[end] === 0) end -= 1;
  if (end < floor || padded[end] !== 0x80) throw new RangeError('bad padding');
  return padded.slice(0, end);
}

export function sealRecord(
  key: Uint8Array,
  address: RecordAddress,
  schemaVersion: number,
  plaintext: Uint8Array,
): Uint8Array {
  const padded = padToBlock(plaintext, paddingBlockForPlaintext(plaintext.byteLength));
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    padded,
    associatedData(address, schemaVersion),
    null,
    nonce,
    key,
  );
  padded.fill(0);
  const envelope = new Uint8Array(HEADER_BYTES + NONCE_BYTES + ciphertext.byteLength);
  envelope[0] = ENVELOPE_VERSION;
  new DataView(envelope.buffer).setUint16(1, schemaVersion);
  envelope.set(nonce, HEADER_BYTES);
  envelope.set(ciphertext, HEADER_BYTES + NONCE_BYTES);
  return envelope;
}

export function envelopeSchemaVersion(envelope: Uint8Array): number {
  return new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength).getUint16(1);
}

/**
 * What tells one sealing of a record from any other: its random nonce, as
 * hex. A record rewritten with the same value still gets a new tag; nothing
 * is decrypted to read it.
 */
export function envelopeTag(envelope: Uint8Array): string {
  let tag = '';
  for (const byte of envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES))
    tag += byte.toString(16).padStart(2, '0');
  return tag;
}

export function openRecord(key: Uint8Array, address: RecordAddress, envelope: Uint8Array): Uint8Array {
  const where = `${address.table} ${address.id}`;
  if (envelope.byteLength < HEADER_BYTES + NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES)
    throw new VaultError('record-tampered', 'A stored record is truncated.', where);
  if (envelope[0] !== ENVELOPE_VERSION)
    throw new VaultError(
      'unknown-envelope-version',
      'A stored record uses an envelope version this app does not know.',
      where,
    );
  const schemaVersion = envelopeSchemaVersion(envelope);
  const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const ciphertext = envelope.subarray(HEADER_BYTES + NONCE_BYTES);
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext,
      associatedData(address, schemaVersion),
      nonce,
      key,
    );
  } catch {
    throw new VaultError('record-tampered', 'A stored record failed authentication: it was altered or moved.', where);
  }
  try {
    return unpadFromBlock(padded, paddingBlockForPadded(padded.byteLength));
  } catch {
    throw new VaultError('record-tampered', 'A stored record has invalid padding.', where);
  } finally {
    // The unpadded copy is the caller's to wipe; this one would otherwise linger (a record may hold a key).
    padded.fill(0);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Seals `value` as JSON; a value with Uint8Array fields (keys) keeps them as
 * bytes beside the JSON of the others (key-bytes.ts), so a key never
 * becomes a string.
 */
export function sealJson(key: Uint8Array, address: RecordAddress, schemaVersion: number, value: unknown): Uint8Array {
  const bytes = hasByteFields(value) ? encodeWithByteFields(value) : encoder.encode(JSON.stringify(value));
  try {
    return sealRecord(key, address, schemaVersion, bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Opens what sealJson sealed: byte fields come back as new Uint8Arrays, the caller's to wipe. */
export function openJson(key: Uint8Array, address: RecordAddress, envelope: Uint8Array): unknown {
  const bytes = openRecord(key, address, envelope);
  try {
    if (bytes[0] === BYTE_FIELDS_MARKER) return decodeWithByteFields(bytes);
    return JSON.parse(decoder.decode(bytes));
  } finally {
    bytes.fill(0);
  }
}
