import { unzlibSync } from 'fflate';

/**
 * A WOFF 1.0 font file as the plain TrueType/OpenType file it wraps (W3C WOFF 1.0 §3–5): each table inflated when it
 * was stored compressed, a new table directory in front. HarfBuzz and the subsetter read only plain files, and the
 * app bundles its Khmer font as WOFF (WOFF2 would need Brotli and the glyf transform undone, for no gain here).
 */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const view = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.byteLength < 44 || view.getUint32(0) !== 0x774f4646) throw new Error('Not a WOFF 1.0 font file.');
  const flavor = view.getUint32(4);
  const count = view.getUint16(12);
  if (woff.byteLength < 44 + count * 20) throw new Error('A WOFF font file whose table directory is cut short.');

  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let index = 0; index < count; index++) {
    const entry = 44 + index * 20;
    const offset = view.getUint32(entry + 4);
    const stored = view.getUint32(entry + 8);
    const length = view.getUint32(entry + 12);
    if (offset + stored > woff.byteLength) throw new Error('A WOFF font table past the end of the file.');
    const raw = woff.subarray(offset, offset + stored);
    const data = stored < length ? unzlibSync(raw, { out: new Uint8Array(length) }) : raw;
    if (data.byteLength !== length) throw new Error('A WOFF font table of the wrong length.');
    tables.push({ tag: view.getUint32(entry), checksum: view.getUint32(entry + 16), data });
  }

  const padded = (length: number) => (length + 3) & ~3;
  const headerSize = 12 + 16 * count;
  const sfnt = new Uint8Array(tables.reduce((size, table) => size + padded(table.data.byteLength), headerSize));
  const out = new DataView(sfnt.buffer);
  // The binary-search fields of the sfnt header (OpenType "Table directory").
  const entrySelector = Math.floor(Math.log2(Math.max(count, 1)));
  const searchRange = 2 ** entrySelector * 16;
  out.setUint32(0, flavor);
  out.setUint16(4, count);
  out.setUint16(6, searchRange);
  out.setUint16(8, entrySelector);
  out.setUint16(10, count * 16 - searchRange);
  let offset = headerSize;
  for (const [index, table] of tables.entries()) {
    const record = 12 + index * 16;
    out.setUint32(record, table.tag);
    out.setUint32(record + 4, table.checksum);
    out.setUint32(record + 8, offset);
    out.setUint32(record + 12, table.data.byteLength);
    sfnt.set(table.data, offset);
    offset += padded(table.data.byteLength);
  }
  return sfnt;
}
