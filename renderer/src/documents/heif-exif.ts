/**
 * The Exif (TIFF) block of a HEIF image (HEIC phone photos), found through the file's item boxes (ISO/IEC 14496-12
 * §8.11, ISO/IEC 23008-12 annex A). exifr reads HEIC itself but ignores an item location's base offset, which
 * libheif and other encoders use: it then reads the wrong bytes and reports "Malformed EXIF data". Handing it the
 * TIFF block found here works for every layout.
 */

interface Box {
  type: string;
  /** Where its content starts (after the size, type and any large size). */
  start: number;
  end: number;
}

/** The boxes between `from` and `to`. */
function boxes(view: DataView, from: number, to: number): Box[] {
  const found: Box[] = [];
  for (let at = from; at + 8 <= to;) {
    let size = view.getUint32(at);
    let start = at + 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(view.getBigUint64(at + 8));
      start = at + 16;
    } else if (size === 0) size = to - at;
    if (size < start - at || at + size > to) break;
    const type = String.fromCharCode(
      view.getUint8(at + 4),
      view.getUint8(at + 5),
      view.getUint8(at + 6),
      view.getUint8(at + 7),
    );
    found.push({ type, start, end: at + size });
    at += size;
  }
  return found;
}

function uint(view: DataView, at: number, size: number): number {
  if (size === 0) return 0;
  if (size === 2) return view.getUint16(at);
  if (size === 4) return view.getUint32(at);
  if (size === 8) return Number(view.getBigUint64(at));
  throw new RangeError(`field size ${size}`);
}

/** The id of the item of type "Exif" in an iinf box; null when there is none. */
function exifItemId(view: DataView, iinf: Box): number | null {
  const version = view.getUint8(iinf.start);
  const entries = version === 0 ? 4 + 2 : 4 + 4;
  for (const infe of boxes(view, iinf.start + entries, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const infeVersion = view.getUint8(infe.start);
    if (infeVersion < 2) continue;
    const idSize = infeVersion === 2 ? 2 : 4;
    const at = infe.start + 4 + idSize + 2;
    if (at + 4 > infe.end) continue;
    const type = String.fromCharCode(
      view.getUint8(at),
      view.getUint8(at + 1),
      view.getUint8(at + 2),
      view.getUint8(at + 3),
    );
    if (type === 'Exif') return uint(view, infe.start + 4, idSize);
  }
  return null;
}

/** Where item `id`'s data lies in the file (its extents' file offsets and lengths), from an iloc box. */
function itemExtents(view: DataView, iloc: Box, id: number): [number, number][] | null {
  const version = view.getUint8(iloc.start);
  let at = iloc.start + 4;
  const offsetSize = view.getUint8(at) >> 4;
  const lengthSize = view.getUint8(at) & 15;
  const baseOffsetSize = view.getUint8(at + 1) >> 4;
  const indexSize = version === 1 || version === 2 ? view.getUint8(at + 1) & 15 : 0;
  at += 2;
  const idSize = version < 2 ? 2 : 4;
  const count = uint(view, at, idSize);
  at += idSize;
  // Every item and extent is read inside the box: a crafted count (65,535 extents of zero-sized fields each) must
  // not loop past it.
  const perExtent = indexSize + offsetSize + lengthSize;
  for (let item = 0; item < count && at < iloc.end; item++) {
    const itemId = uint(view, at, idSize);
    at += idSize;
    // Only data in the file itself (construction method 0) is read.
    const constructionMethod = version === 1 || version === 2 ? view.getUint16(at) & 15 : 0;
    if (version === 1 || version === 2) at += 2;
    at += 2; // data reference index
    const baseOffset = uint(view, at, baseOffsetSize);
    at += baseOffsetSize;
    const extentCount = view.getUint16(at);
    at += 2;
    if (extentCount * Math.max(perExtent, 1) > iloc.end - at) return null;
    const extents: [number, number][] = [];
    for (let extent = 0; extent < extentCount; extent++) {
      at += indexSize;
      const offset = uint(view, at, offsetSize);
      at += offsetSize;
      const length = uint(view, at, lengthSize);
      at += lengthSize;
      extents.push([baseOffset + offset, length]);
    }
    if (itemId === id) return constructionMethod === 0 ? extents : null;
  }
  return null;
}

/** The TIFF block of a HEIF image's Exif item; null when the bytes are not HEIF or carry no Exif. */
export function heifExifTiff(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const top = boxes(view, 0, bytes.length);
    if (top[0]?.type !== 'ftyp') return null;
    const meta = top.find((box) => box.type === 'meta');
    if (!meta) return null;
    // meta is a full box: version and flags first.
    const inside = boxes(view, meta.start + 4, meta.end);
    const iinf = inside.find((box) => box.type === 'iinf');
    const iloc = inside.find((box) => box.type === 'iloc');
    if (!iinf || !iloc) return null;
    const id = exifItemId(view, iinf);
    const extents = id === null ? null : itemExtents(view, iloc, id);
    if (!extents || extents.length !== 1) return null;
    const [offset, length] = extents[0]!;
    if (offset + length > bytes.length || length < 8) return null;
    // The item starts with the offset of the TIFF header within the rest (past an "Exif\0\0" some writers keep).
    const tiff = offset + 4 + view.getUint32(offset);
    return tiff < offset + length ? bytes.subarray(tiff, offset + length) : null;
  } catch {
    // A box that says it is longer than the file: not an image whose metadata can be read.
    return null;
  }
}
