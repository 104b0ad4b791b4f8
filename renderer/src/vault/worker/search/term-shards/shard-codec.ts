/**
 * One term shard's bytes: the postings of every term whose slot is this
 * shard's, as FlexSearch keeps them (per resolution slot, the numbers of the
 * entries the term scored there). Only ever stored sealed.
 *
 * Layout: version (1 byte) ‖ term count ‖ directory (for each term: UTF-8
 * length ‖ UTF-8 ‖ offset of its postings in the payload ‖ their length) ‖
 * payload (for each term: slot count, then for each slot: id count ‖ ids as
 * ascending deltas). Every integer is an unsigned LEB128 varint. The
 * directory lets a query decode one term without the shard's others.
 */
export const SHARD_FORMAT_VERSION = 1;

/** A term's postings: entry numbers by resolution slot (FlexSearch's `map` value); empty slots are holes. */
export type Postings = (number[] | undefined)[];

class Writer {
  private bytes = new Uint8Array(1024);
  length = 0;

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.byteLength) return;
    const grown = new Uint8Array(Math.max(this.bytes.byteLength * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('shard varint out of range');
    this.room(8);
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.byteLength);
    this.bytes.set(bytes, this.length);
    this.length += bytes.byteLength;
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end: number,
  ) {}

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.end) throw new RangeError('truncated term shard');
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new RangeError('term shard varint too long');
    }
  }

  raw(length: number): Uint8Array {
    if (this.at + length > this.end) throw new RangeError('truncated term shard');
    const bytes = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function encodePostings(out: Writer, postings: Postings): void {
  out.varint(postings.length);
  for (const ids of postings) {
    const sorted = ids && ids.length > 0 ? [...ids].sort((a, b) => a - b) : [];
    out.varint(sorted.length);
    let previous = 0;
    for (const id of sorted) {
      out.varint(id - previous);
      previous = id;
    }
  }
}

/** The shard's bytes for these terms (terms without any posting are left out). */
export function encodeShard(terms: ReadonlyMap<string, Postings>): Uint8Array {
  const payload = new Writer();
  const directory: [Uint8Array, number, number][] = [];
  for (const [term, postings] of terms) {
    if (!postings.some((ids) => ids !== undefined && ids.length > 0)) continue;
    const offset = payload.length;
    encodePostings(payload, postings);
    directory.push([encoder.encode(term), offset, payload.length - offset]);
  }
  const out = new Writer();
  out.varint(SHARD_FORMAT_VERSION);
  out.varint(directory.length);
  for (const [term, offset, length] of directory) {
    out.varint(term.byteLength);
    out.raw(term);
    out.varint(offset);
    out.varint(length);
  }
  out.raw(payload.done());
  return out.done();
}

/**
 * A shard's bytes, read: its directory at once, a term's postings only when
 * asked for. Throws on anything `encodeShard` would not have written.
 */
export class ShardReader {
  private readonly directory = new Map<string, [number, number]>();
  private readonly payloadStart: number;

  constructor(private readonly bytes: Uint8Array) {
    const reader = new Reader(bytes, 0, bytes.byteLength);
    if (reader.varint() !== SHARD_FORMAT_VERSION) throw new RangeError('unknown term shard version');
    const count = reader.varint();
    const entries: [string, number, number][] = [];
    for (let index = 0; index < count; index++) {
      const term = decoder.decode(reader.raw(reader.varint()));
      entries.push([term, reader.varint(), reader.varint()]);
    }
    this.payloadStart = reader.at;
    const payloadLength = bytes.byteLength - reader.at;
    for (const [term, offset, length] of entries) {
      if (offset + length > payloadLength || this.directory.has(term)) throw new RangeError('bad term shard directory');
      this.directory.set(term, [offset, length]);
    }
  }

  terms(): IterableIterator<string> {
    return this.directory.keys();
  }

  has(term: string): boolean {
    return this.directory.has(term);
  }

  /** The term's postings, or undefined if the shard has none for it. */
  postings(term: string): Postings | undefined {
    const place = this.directory.get(term);
    if (!place) return undefined;
    const [offset, length] = place;
    const start = this.payloadStart + offset;
    const reader = new Reader(this.bytes, start, start + length);
    const slots = reader.varint();
    if (slots > 64) throw new RangeError('bad term shard postings');
    const postings: Postings = new Array<number[] | undefined>(slots);
    for (let slot = 0; slot < slots; slot++) {
      const count = reader.varint();
      if (count === 0) continue;
      if (count > length) throw new RangeError('bad term shard postings');
      const ids = new Array<number>(count);
      let previous = 0;
      for (let index = 0; index < count; index++) {
        previous += reader.varint();
        ids[index] = previous;
      }
      postings[slot] = ids;
    }
    if (reader.at !== start + length) throw new RangeError('bad term shard postings');
    return postings;
  }

  /** Every term and its postings. */
  all(): Map<string, Postings> {
    const terms = new Map<string, Postings>();
    for (const term of this.directory.keys()) terms.set(term, this.postings(term)!);
    return terms;
  }
}
