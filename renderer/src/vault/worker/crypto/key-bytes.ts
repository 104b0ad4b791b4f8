import { VaultError } from './errors';

/**
 * Keys as bytes, never as text. A JavaScript string cannot be wiped: a key
 * once turned into base64 or hex stays in the heap until the worker ends. So
 * records that hold keys (a case key, a document's content key, the
 * identity's secret keys) are sealed in a layout that keeps the key bytes
 * apart from the other fields, and opened straight into Uint8Arrays the
 * caller wipes:
 *
 *   0x01                      marks the layout (JSON text never starts with a byte below 0x20)
 *   u8 n                      how many byte fields (1–16)
 *   n × { u8 name length, name (ASCII), u16 length (big-endian), the bytes }
 *   the other fields, as UTF-8 JSON of one object (no key in them)
 *
 * `sealJson`/`openJson` (envelope.ts) use it for any value with a
 * Uint8Array among its own top-level fields; every other value is JSON as
 * before. The envelope and its associated data are unchanged.
 */
export const BYTE_FIELDS_MARKER = 0x01;
const MAX_BYTE_FIELDS = 16;
const MAX_FIELD_BYTES = 0xffff;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Whether `value` is a plain object with at least one Uint8Array among its own fields. */
export function hasByteFields(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return false;
  for (const field of Object.values(value)) if (field instanceof Uint8Array) return true;
  return false;
}

/** `value` in the layout above. The caller wipes the result once sealed; the fields' own bytes stay the caller's. */
export function encodeWithByteFields(value: Record<string, unknown>): Uint8Array {
  const binary: [Uint8Array, Uint8Array][] = [];
  const rest: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (!(field instanceof Uint8Array)) {
      rest[name] = field;
      continue;
    }
    if (!NAME.test(name) || field.byteLength > MAX_FIELD_BYTES)
      throw new VaultError('invalid-input', 'A byte field cannot be stored.', name);
    binary.push([encoder.encode(name), field]);
  }
  if (binary.length === 0 || binary.length > MAX_BYTE_FIELDS)
    throw new VaultError('invalid-input', 'A record holds too many byte fields.');
  const json = encoder.encode(JSON.stringify(rest));
  let size = 2 + json.byteLength;
  for (const [name, bytes] of binary) size += 1 + name.byteLength + 2 + bytes.byteLength;
  const out = new Uint8Array(size);
  out[0] = BYTE_FIELDS_MARKER;
  out[1] = binary.length;
  let at = 2;
  for (const [name, bytes] of binary) {
    out[at] = name.byteLength;
    out.set(name, at + 1);
    at += 1 + name.byteLength;
    out[at] = bytes.byteLength >> 8;
    out[at + 1] = bytes.byteLength & 0xff;
    out.set(bytes, at + 2);
    at += 2 + bytes.byteLength;
  }
  out.set(json, at);
  return out;
}

/**
 * A value read from the layout above: the byte fields copied into new
 * Uint8Arrays (the caller's to wipe), the others parsed from the JSON. The
 * input is left as it is (its owner wipes it).
 */
export function decodeWithByteFields(bytes: Uint8Array): Record<string, unknown> {
  const malformed = () => new VaultError('record-tampered', 'A stored record is malformed.');
  if (bytes[0] !== BYTE_FIELDS_MARKER || bytes.byteLength < 2) throw malformed();
  const count = bytes[1]!;
  if (count === 0 || count > MAX_BYTE_FIELDS) throw malformed();
  const fields = new Map<string, Uint8Array>();
  let at = 2;
  try {
    for (let index = 0; index < count; index++) {
      const nameLength = bytes[at];
      if (nameLength === undefined || at + 1 + nameLength + 2 > bytes.byteLength) throw malformed();
      const name = decoder.decode(bytes.subarray(at + 1, at + 1 + nameLength));
      at += 1 + nameLength;
      const length = (bytes[at]! << 8) | bytes[at + 1]!;
      at += 2;
      if (!NAME.test(name) || fields.has(name) || at + length > bytes.byteLength) throw malformed();
      fields.set(name, bytes.slice(at, at + length));
      at += length;
    }
    let rest: unknown;
    try {
      rest = JSON.parse(decoder.decode(bytes.subarray(at)));
    } catch {
      throw malformed();
    }
    if (rest === null || typeof rest !== 'object' || Array.isArray(rest)) throw malformed();
    const value = rest as Record<string, unknown>;
    for (const [name, field] of fields) {
      if (Object.hasOwn(value, name)) throw malformed();
      value[name] = field;
    }
    return value;
  } catch (error) {
    for (const field of fields.values()) field.fill(0);
    throw error instanceof VaultError ? error : malformed();
  }
}

// ── hex as bytes ──────────────────────────────────────────────────────────
// Files whose format carries keys as hex text (the identity key file, docs/bundle-format.md) are written and
// read byte by byte: the hex digits go straight between bytes and key, never through a string. Branch-free
// and table-free, as libsodium's sodium_bin2hex and sodium_hex2bin, so the timing does not depend on the key.

/** Lowercase hex digits of `bytes`, as ASCII bytes. */
export function hexDigitsOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength * 2);
  for (let index = 0; index < bytes.byteLength; index++) {
    const byte = bytes[index]!;
    const high = byte >> 4;
    const low = byte & 0xf;
    // 87 + n is 'a' + (n - 10); for n < 10 the mask turns it into 48 + n ('0' + n).
    out[index * 2] = 87 + high + (((high - 10) >> 8) & ~38);
    out[index * 2 + 1] = 87 + low + (((low - 10) >> 8) & ~38);
  }
  return out;
}

/**
 * The bytes that `digits` (ASCII hex, upper or lower case) stand for, or
 * null if any is not a hex digit or the length is odd.
 */
export function bytesOfHexDigits(digits: Uint8Array): Uint8Array | null {
  if (digits.byteLength % 2 !== 0) return null;
  const out = new Uint8Array(digits.byteLength / 2);
  let invalid = 0;
  for (let index = 0; index < digits.byteLength; index++) {
    const char = digits[index]!;
    const number = char ^ 48; // '0'–'9' → 0–9
    const isNumber = ((number - 10) >> 8) & 1;
    const alpha = (char & ~32) - 55; // 'A'–'F' and 'a'–'f' → 10–15
    const isAlpha = (((alpha - 10) ^ (alpha - 16)) >> 8) & 1;
    invalid |= (isNumber | isAlpha) ^ 1;
    const value = (number & -isNumber) | (alpha & -isAlpha);
    out[index >> 1]! |= (value & 0xf) << (index % 2 === 0 ? 4 : 0);
  }
  if (invalid !== 0) {
    out.fill(0);
    return null;
  }
  return out;
}
