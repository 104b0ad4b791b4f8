import sodium from 'libsodium-wrappers-sumo';
import { canonicalBytes } from './canonical';
import { VaultError } from './errors';
import { NOT_AUTHENTIC, openRecordInMemory, sealRecordInMemory } from './sodium-memory';
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

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface RecordAddress {
  table: string;
  id: string;
}

/**
 * canonicalBytes(['ev-record', ENVELOPE_VERSION, table, id, schemaVersion]),
 * byte for byte, made without its general steps: built for every record
 * sealed or opened (thousands for one list), where those steps (a UTF-8
 * encoding per field, 64-bit numbers through BigInt) cost as much as the
 * cipher. The first three fields are the same for every row of a table.
 */
function associatedData(address: RecordAddress, schemaVersion: number): Uint8Array {
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 0)
    throw new RangeError('canonical numbers are non-negative integers');
  let prefix = AD_PREFIXES.get(address.table);
  if (prefix === undefined) {
    prefix = canonicalBytes(['ev-record', ENVELOPE_VERSION, address.table]);
    // Tables are a fixed set of names; the bound only keeps a caller's mistake from growing this without end.
    if (AD_PREFIXES.size < 256) AD_PREFIXES.set(address.table, prefix);
  }
  const id = address.id;
  // Row ids are ASCII (hex, or names like 'log-head'): one byte a character. Any other text is encoded.
  const idBytes = isAscii(id) ? null : encoder.encode(id);
  const idLength = idBytes?.byteLength ?? id.length;
  const out = new Uint8Array(prefix.byteLength + 5 + idLength + 5 + 8);
  out.set(prefix);
  let at = prefix.byteLength;
  const view = new DataView(out.buffer);
  view.setUint8(at, FIELD_STRING);
  view.setUint32(at + 1, idLength);
  at += 5;
  if (idBytes) out.set(idBytes, at);
  else for (let char = 0; char < id.length; char++) out[at + char] = id.charCodeAt(char);
  at += idLength;
  view.setUint8(at, FIELD_UINT);
  view.setUint32(at + 1, 8);
  view.setUint32(at + 5, Math.floor(schemaVersion / 2 ** 32));
  view.setUint32(at + 9, schemaVersion >>> 0);
  return out;
}

/** The field types of canonical.ts. */
const FIELD_STRING = 1;
const FIELD_UINT = 2;
const AD_PREFIXES = new Map<string, Uint8Array>();

function isAscii(text: string): boolean {
  for (let at = 0; at < text.length; at++) if (text.charCodeAt(at) > 0x7f) return false;
  return true;
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
  const padded = new Uint8Array(paddedLength(data.byteLength, block));
  padded.set(data);
  padded[data.byteLength] = 0x80;
  return padded;
}

function paddedLength(length: number, block: number): number {
  return (Math.floor(length / block) + 1) * block;
}

/** Writes the padding after the `length` bytes at the start of `into` (every byte up to the block's end); returns
 * the padded length. */
function padInPlace(into: Uint8Array, length: number, block: number): number {
  const padded = paddedLength(length, block);
  into[length] = 0x80;
  into.fill(0, length + 1, padded);
  return padded;
}

/** The length of what `padded` holds before its padding, or -1 if the padding is malformed. */
function unpaddedLength(padded: Uint8Array, block: number): number {
  if (padded.byteLength === 0 || padded.byteLength % block !== 0) return -1;
  let end = padded.byteLength - 1;
  const floor = padded.byteLength - block;
  while (end >= floor && padded[end] === 0) end -= 1;
  return end < floor || padded[end] !== 0x80 ? -1 : end;
}

export function unpadFromBlock(padded: Uint8Array, block: number): Uint8Array {
  const end = unpaddedLength(padded, block);
  if (end < 0) throw new RangeError('bad padding');
  return padded.slice(0, end);
}

function envelopeHeader(schemaVersion: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = ENVELOPE_VERSION;
  new DataView(header.buffer).setUint16(1, schemaVersion);
  return header;
}

/**
 * Seals in libsodium's memory (sodium-memory.ts, sealRecordInMemory): the
 * plaintext is padded where it is encrypted, and the key and plaintext
 * copies there are wiped before this returns.
 */
export function sealRecord(
  key: Uint8Array,
  address: RecordAddress,
  schemaVersion: number,
  plaintext: Uint8Array,
): Uint8Array {
  const block = paddingBlockForPlaintext(plaintext.byteLength);
  return sealRecordInMemory(
    key,
    associatedData(address, schemaVersion),
    envelopeHeader(schemaVersion),
    paddedLength(plaintext.byteLength, block),
    (into) => {
      into.set(plaintext);
      return padInPlace(into, plaintext.byteLength, block);
    },
  );
}

export function envelopeSchemaVersion(envelope: Uint8Array): number {
  if (envelope.byteLength < HEADER_BYTES) throw new RangeError('no envelope header');
  return (envelope[1]! << 8) | envelope[2]!;
}

const HEX_OF_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * What tells one sealing of a record from any other: its random nonce, as
 * hex. A record rewritten with the same value still gets a new tag; nothing
 * is decrypted to read it.
 */
export function envelopeTag(envelope: Uint8Array): string {
  // Read for every row a list checks against the integrity map: two hex digits a byte, from a table.
  let tag = '';
  const end = Math.min(envelope.byteLength, HEADER_BYTES + NONCE_BYTES);
  for (let at = HEADER_BYTES; at < end; at++) tag += HEX_OF_BYTE[envelope[at]!]!;
  return tag;
}

/**
 * Opens `envelope` in libsodium's memory and hands `read` the plaintext
 * there, unpadded (valid only during the call: what it keeps it copies);
 * that memory is wiped before this returns. An envelope that is truncated,
 * does not authenticate for this key and address, or has malformed padding
 * is refused (`record-tampered`).
 */
function openWith<T>(key: Uint8Array, address: RecordAddress, envelope: Uint8Array, read: (plain: Uint8Array) => T): T {
  const where = () => `${address.table} ${address.id}`;
  if (envelope.byteLength < HEADER_BYTES + NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES)
    throw new VaultError('record-tampered', 'A stored record is truncated.', where());
  if (envelope[0] !== ENVELOPE_VERSION)
    throw new VaultError(
      'unknown-envelope-version',
      'A stored record uses an envelope version this app does not know.',
      where(),
    );
  const opened = openRecordInMemory(
    key,
    associatedData(address, envelopeSchemaVersion(envelope)),
    envelope,
    HEADER_BYTES,
    (padded) => {
      const end = unpaddedLength(padded, paddingBlockForPadded(padded.byteLength));
      if (end < 0) throw new VaultError('record-tampered', 'A stored record has invalid padding.', where());
      return read(padded.subarray(0, end));
    },
  );
  if (opened === NOT_AUTHENTIC)
    throw new VaultError('record-tampered', 'A stored record failed authentication: it was altered or moved.', where());
  return opened;
}

/** The plaintext of `envelope`, in a new array the caller wipes (a record may hold a key). */
export function openRecord(key: Uint8Array, address: RecordAddress, envelope: Uint8Array): Uint8Array {
  return openWith(key, address, envelope, (plain) => plain.slice());
}

/** Text up to this many UTF-16 units is encoded straight into libsodium's memory (up to 3 bytes a unit). */
const ENCODE_IN_PLACE_LIMIT = 32 * 1024;

/**
 * Seals `value` as JSON; a value with Uint8Array fields (keys) keeps them as
 * bytes beside the JSON of the others (key-bytes.ts), so a key never
 * becomes a string.
 */
export function sealJson(key: Uint8Array, address: RecordAddress, schemaVersion: number, value: unknown): Uint8Array {
  // JSON.stringify gives undefined for undefined (and functions), which earlier versions sealed as empty text.
  const json = hasByteFields(value) ? null : ((JSON.stringify(value) as string | undefined) ?? '');
  if (json !== null && json.length <= ENCODE_IN_PLACE_LIMIT)
    // The UTF-8 bytes written where they are encrypted: no array of plaintext made in between.
    return sealRecordInMemory(
      key,
      associatedData(address, schemaVersion),
      envelopeHeader(schemaVersion),
      3 * json.length + LARGE_BLOCK,
      (into) => {
        const { written } = encoder.encodeInto(json, into);
        return padInPlace(into, written, paddingBlockForPlaintext(written));
      },
    );
  const bytes = json === null ? encodeWithByteFields(value as Record<string, unknown>) : encoder.encode(json);
  try {
    return sealRecord(key, address, schemaVersion, bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Opens what sealJson sealed: byte fields come back as new Uint8Arrays, the caller's to wipe. */
export function openJson(key: Uint8Array, address: RecordAddress, envelope: Uint8Array): unknown {
  return openWith(key, address, envelope, (plain): unknown =>
    plain[0] === BYTE_FIELDS_MARKER ? decodeWithByteFields(plain) : JSON.parse(decoder.decode(plain)),
  );
}
