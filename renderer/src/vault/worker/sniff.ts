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
    return { kind: 'video', mimeType: 'video/mp4' };
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'video', mimeType: 'video/webm' };
  if (looksLikeText(head)) {
    const markdown = /\.(md|markdown)$/i.test(name);
    return { kind: 'text', mimeType: markdown ? 'text/markdown' : 'text/plain' };
  }
  return { kind: 'other', mimeType: 'application/octet-stream' };
}
