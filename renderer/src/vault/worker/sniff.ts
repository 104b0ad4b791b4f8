/**
 * The type of a file from its first bytes, not its name: a PDF renamed
 * "photo.jpg" is still a PDF, and a viewer must never be picked by a lie.
 */
export type DocumentKind = 'pdf' | 'image' | 'text' | 'audio' | 'video' | 'other';

export interface SniffedType {
  kind: DocumentKind;
  mimeType: string;
}

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (bytes.includes(0)) return false;
  try {
    // A cut multi-byte character at the end of the sample is fine.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/**
 * The type of a HEIF still image (ISO/IEC 23008-12: phone photos in HEIC, and AVIF) from its ftyp box's major and
 * compatible brands; null when the box names none of those (a video).
 */
function heifStillType(head: Uint8Array): string | null {
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const brands: string[] = [];
  for (let at = 8; at + 4 <= Math.min(boxSize, head.length); at += at === 8 ? 8 : 4)
    brands.push(String.fromCharCode(...head.subarray(at, at + 4)));
  const [major = '', ...compatible] = brands;
  if (major === 'avif' || major === 'avis') return 'image/avif';
  if (['heic', 'heix', 'heim', 'heis'].includes(major)) return 'image/heic';
  if (major === 'hevc' || major === 'hevx') return 'image/heic-sequence';
  if (major === 'mif1' || major === 'msf1') {
    if (compatible.includes('avif')) return 'image/avif';
    if (compatible.includes('heic') || compatible.includes('heix')) return 'image/heic';
    return 'image/heif';
  }
  return null;
}

const OOXML_FOLDERS: [string, string][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/**
 * The type of a zip from the entries its first bytes show: an OpenDocument file starts with an uncompressed
 * "mimetype" entry naming its type (ODF 1.2 part 3, §3.3); an OOXML one is told by the folders of its parts
 * (word/, xl/, ppt/). Otherwise (or when those entries come later than `head`) just a zip: the office reader
 * tells it apart from the archive's directory.
 */
function zipType(head: Uint8Array): string {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const text = (from: number, length: number) => String.fromCharCode(...head.subarray(from, from + length));
  if (head.length >= 38 && text(30, 8) === 'mimetype' && view.getUint16(8, true) === 0) {
    const declared = text(38 + view.getUint16(28, true), Math.min(view.getUint32(18, true), 100));
    if (/^application\/vnd\.oasis\.opendocument\.[a-z.-]+$/.test(declared)) return declared;
  }
  // The local headers within the head, found by their signature: writers that put an entry's sizes after its data
  // (LibreOffice does) leave no way to step from one header to the next. A signature inside compressed data only
  // mislabels the type shown; what reads the file goes by the archive's directory.
  for (let at = head.indexOf(0x50); at !== -1 && at + 30 <= head.length; at = head.indexOf(0x50, at + 1)) {
    if (view.getUint32(at, true) !== 0x04034b50) continue;
    const name = text(at + 30, view.getUint16(at + 26, true));
    const folder = OOXML_FOLDERS.find(([prefix]) => name.startsWith(prefix));
    if (folder) return folder[1];
  }
  return 'application/zip';
}

/** `head` is the first bytes of the file (4 KiB is plenty). */
export function sniffType(head: Uint8Array, name: string): SniffedType {
  if (startsWith(head, ascii('%PDF-'))) return { kind: 'pdf', mimeType: 'application/pdf' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', mimeType: 'image/jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', mimeType: 'image/png' };
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a')))
    return { kind: 'image', mimeType: 'image/gif' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8))
    return { kind: 'image', mimeType: 'image/webp' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WAVE'), 8))
    return { kind: 'audio', mimeType: 'audio/wav' };
  if (startsWith(head, ascii('OggS'))) return { kind: 'audio', mimeType: 'audio/ogg' };
  if (startsWith(head, ascii('ID3')) || startsWith(head, [0xff, 0xfb]))
    return { kind: 'audio', mimeType: 'audio/mpeg' };
  if (startsWith(head, ascii('fLaC'))) return { kind: 'audio', mimeType: 'audio/flac' };
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (brand.startsWith('M4A')) return { kind: 'audio', mimeType: 'audio/mp4' };
    const still = heifStillType(head);
    if (still) return { kind: 'image', mimeType: still };
    return { kind: 'video', mimeType: 'video/mp4' };
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'other', mimeType: zipType(head) };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'video', mimeType: 'video/webm' };
  if (looksLikeText(head)) {
    const markdown = /\.(md|markdown)$/i.test(name);
    return { kind: 'text', mimeType: markdown ? 'text/markdown' : 'text/plain' };
  }
  return { kind: 'other', mimeType: 'application/octet-stream' };
}
