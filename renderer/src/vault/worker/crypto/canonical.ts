/**
 * Unambiguous byte encoding of a list of fields, for associated data, MACs
 * and hash chains: each field is a one-byte type, a 4-byte big-endian length
 * and its bytes. Two different lists never encode to the same bytes.
 */
export type CanonicalField = string | number | Uint8Array;

const TYPE_STRING = 1;
const TYPE_UINT = 2;
const TYPE_BYTES = 3;

const encoder = new TextEncoder();

function fieldBytes(field: CanonicalField): [number, Uint8Array] {
  if (typeof field === 'string') return [TYPE_STRING, encoder.encode(field)];
  if (typeof field === 'number') {
    if (!Number.isSafeInteger(field) || field < 0) throw new RangeError('canonical numbers are non-negative integers');
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(field));
    return [TYPE_UINT, bytes];
  }
  return [TYPE_BYTES, field];
}

export function canonicalBytes(fields: readonly CanonicalField[]): Uint8Array {
  const parts = fields.map(fieldBytes);
  const total = parts.reduce((sum, [, bytes]) => sum + 5 + bytes.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const [type, bytes] of parts) {
    view.setUint8(offset, type);
    view.setUint32(offset + 1, bytes.byteLength);
    out.set(bytes, offset + 5);
    offset += 5 + bytes.byteLength;
  }
  return out;
}
