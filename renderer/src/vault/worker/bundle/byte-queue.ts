/** Bytes waiting to be consumed, kept as the pieces they arrived in (no copy until taken). */
export class ByteQueue {
  private pieces: Uint8Array[] = [];
  private offset = 0;
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.pieces.push(bytes);
    this.length += bytes.byteLength;
  }

  /** Removes and returns the next `count` bytes (count ≤ length), as one array. */
  take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    this.drain(count, (part, offset) => out.set(part, offset));
    return out;
  }

  /** Removes the next `count` bytes (count ≤ length), handing them to `sink` in place, in order (no copy here). */
  drain(count: number, sink: (part: Uint8Array, offset: number) => void): void {
    if (count > this.length) throw new RangeError('ByteQueue.take past the end');
    let filled = 0;
    while (filled < count) {
      const piece = this.pieces[0]!;
      const available = piece.byteLength - this.offset;
      const used = Math.min(available, count - filled);
      sink(piece.subarray(this.offset, this.offset + used), filled);
      filled += used;
      this.offset += used;
      if (this.offset === piece.byteLength) {
        this.pieces.shift();
        this.offset = 0;
      }
    }
    this.length -= count;
  }

  /** The first `count` bytes without removing them (count ≤ length). */
  peek(count: number): Uint8Array {
    const out = this.take(count);
    if (this.offset > 0) {
      this.pieces[0] = this.pieces[0]!.subarray(this.offset);
      this.offset = 0;
    }
    this.pieces.unshift(out);
    this.length += count;
    return out;
  }
}
