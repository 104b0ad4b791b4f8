import { Inflate } from 'fflate';
import { OfficeTextError } from './office-text-error';

/**
 * Reads named parts of a zip (DOCX, XLSX and ODT are zips of XML parts) without trusting what the archive says of
 * itself: a zip bomb declares small sizes and inflates to gigabytes. The central directory is walked here (the
 * archive's own table of contents, APPNOTE.TXT §4.3.12) because no well-kept zip reader bounds what an entry
 * inflates to while it inflates; fflate does the DEFLATE decoding, fed a few kilobytes at a time so that
 * decoding stops as soon as a part passes its limit.
 */

/** Entries in one archive: a DOCX has 10–50, a workbook a few hundred. */
export const MAX_ZIP_ENTRIES = 4096;
/** What one XML part may inflate to. */
export const MAX_PART_BYTES = 16 * 1024 * 1024;
/** What all the parts read from one archive may inflate to, together. */
export const MAX_INFLATED_BYTES = 48 * 1024 * 1024;
/** Compressed bytes handed to the decoder per step: a step inflates to at most ~1032× this (DEFLATE's limit). */
const INFLATE_STEP = 4 * 1024;

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

function damaged(): never {
  throw new OfficeTextError('damaged');
}

/** The parts of one archive, read on demand within the limits above. */
export class ZipParts {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;
  private inflatedSoFar = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = this.findEndOfCentralDirectory();
    const count = this.view.getUint16(end + 10, true);
    const directoryOffset = this.view.getUint32(end + 16, true);
    // 0xFFFF / 0xFFFFFFFF say "see the ZIP64 record": no office file this small needs ZIP64.
    if (count === 0xffff || directoryOffset === 0xffffffff) damaged();
    if (count > MAX_ZIP_ENTRIES) throw new OfficeTextError('too-many-entries');
    const names = new TextDecoder('utf-8');
    let at = directoryOffset;
    for (let index = 0; index < count; index++) {
      if (at + 46 > bytes.length || this.view.getUint32(at, true) !== CENTRAL_DIRECTORY_ENTRY) damaged();
      const nameLength = this.view.getUint16(at + 28, true);
      const extraLength = this.view.getUint16(at + 30, true);
      const commentLength = this.view.getUint16(at + 32, true);
      if (at + 46 + nameLength > bytes.length) damaged();
      const entry: ZipEntry = {
        name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        encrypted: (this.view.getUint16(at + 8, true) & 1) === 1,
        method: this.view.getUint16(at + 10, true),
        compressedSize: this.view.getUint32(at + 20, true),
        declaredSize: this.view.getUint32(at + 24, true),
        localHeaderOffset: this.view.getUint32(at + 42, true),
      };
      // Two entries of one name are read differently by different readers: whichever is "the" part is a guess.
      if (this.entries.has(entry.name)) damaged();
      this.entries.set(entry.name, entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** A part's bytes, inflated; null when the archive has no such part. */
  read(name: string): Uint8Array | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    if (entry.encrypted) throw new OfficeTextError('encrypted');
    if (entry.declaredSize > MAX_PART_BYTES || this.inflatedSoFar + entry.declaredSize > MAX_INFLATED_BYTES)
      throw new OfficeTextError('too-large');
    const header = entry.localHeaderOffset;
    if (header + 30 > this.bytes.length || this.view.getUint32(header, true) !== LOCAL_FILE_HEADER) damaged();
    const start = header + 30 + this.view.getUint16(header + 26, true) + this.view.getUint16(header + 28, true);
    if (start + entry.compressedSize > this.bytes.length) damaged();
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    const limit = Math.min(MAX_PART_BYTES, MAX_INFLATED_BYTES - this.inflatedSoFar);
    let part: Uint8Array;
    if (entry.method === 0) part = data;
    else if (entry.method === 8) part = inflateWithin(data, limit);
    else damaged();
    // The size the directory declared must be the size found: a lie there is a damaged (or crafted) archive.
    if (part.length !== entry.declaredSize) damaged();
    if (part.length > limit) throw new OfficeTextError('too-large');
    this.inflatedSoFar += part.length;
    return part;
  }

  /** A part as text (UTF-8, or UTF-16 when it starts with that byte-order mark); null when absent. */
  readText(name: string): string | null {
    const part = this.read(name);
    if (!part) return null;
    const encoding =
      part[0] === 0xff && part[1] === 0xfe ? 'utf-16le' : part[0] === 0xfe && part[1] === 0xff ? 'utf-16be' : 'utf-8';
    return new TextDecoder(encoding).decode(part);
  }

  private findEndOfCentralDirectory(): number {
    // The record is 22 bytes followed by a comment of at most 65,535.
    const last = this.bytes.length - 22;
    for (let at = last; at >= 0 && at >= last - 0xffff; at--)
      if (this.view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
    return damaged();
  }
}

/** DEFLATE-decoded `data`, stopped with "too-large" as soon as it passes `limit` bytes. */
function inflateWithin(data: Uint8Array, limit: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflate = new Inflate((piece, final) => {
    total += piece.length;
    if (total > limit) throw new OfficeTextError('too-large');
    pieces.push(piece);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length || at === 0; at += INFLATE_STEP)
      inflate.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
  } catch (error) {
    if (error instanceof OfficeTextError) throw error;
    damaged();
  }
  if (!ended) damaged();
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    whole.set(piece, offset);
    offset += piece.length;
  }
  return whole;
}
