import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';
import { randomBytes } from '../crypto/random';
import { PACK_TARGET_BYTES } from './constants';
import { FOLDER_CHUNK_BYTES, type BackupTarget } from './folder';
import { packFileName } from './names';

/** Gathered rows are handed to the target once they reach this size. */
const FLUSH_BYTES = 1024 * 1024;

export interface WrittenPack {
  id: string;
  size: number;
  hash: string;
}

/**
 * Writes rows' stored bytes one after another into pack files of about
 * PACK_TARGET_BYTES, hashing as it goes. A pack is committed to the target
 * when full or at `finish`; `abort` removes the one being written (those
 * already committed are the caller's to remove: no run points at them).
 */
export class PackWriter {
  readonly written: WrittenPack[] = [];
  private current: { id: string; token: string; size: number; hash: StateAddress } | null = null;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly target: BackupTarget,
    private readonly set: string,
    /** Called with the bytes handed to the target, for progress. */
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {}

  /** Appends `bytes`, which are handed over; returns which pack (its position in `written` once finished) and where. */
  async add(bytes: Uint8Array): Promise<{ pack: number; offset: number; length: number }> {
    if (this.current && this.current.size > 0 && this.current.size + bytes.byteLength > PACK_TARGET_BYTES)
      await this.close();
    if (!this.current) {
      const id = sodium.to_hex(randomBytes(16));
      const token = await this.target.beginFile(packFileName(this.set, id));
      this.current = { id, token, size: 0, hash: sodium.crypto_generichash_init(null, 32) };
    }
    const current = this.current;
    const at = { pack: this.written.length, offset: current.size, length: bytes.byteLength };
    sodium.crypto_generichash_update(current.hash, bytes);
    current.size += bytes.byteLength;
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    // Small rows are gathered into one write; a content chunk (1 MiB) goes as it is, without a copy:
    // `bytes` are handed over (the target may move them), the caller does not use them again.
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
    return at;
  }

  private async flush(): Promise<void> {
    if (!this.current || this.pendingBytes === 0) return;
    const parts = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const only = parts.length === 1 ? parts[0]! : null;
    let joined: Uint8Array;
    if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) joined = only;
    else {
      joined = new Uint8Array(total);
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.byteLength;
      }
    }
    // Whole arrays, not views of one: they are handed over, and across a worker boundary they move
    // (a view would carry its entire buffer along, or lose it for the views beside it).
    for (let at = 0; at < joined.byteLength; at += FOLDER_CHUNK_BYTES)
      await this.target.appendFile(
        this.current.token,
        joined.byteLength <= FOLDER_CHUNK_BYTES ? joined : joined.slice(at, at + FOLDER_CHUNK_BYTES),
      );
    this.onBytes(total);
  }

  private async close(): Promise<void> {
    const current = this.current;
    if (!current) return;
    await this.flush();
    await this.target.endFile(current.token, true);
    this.written.push({
      id: current.id,
      size: current.size,
      hash: sodium.to_hex(sodium.crypto_generichash_final(current.hash, 32)),
    });
    this.current = null;
  }

  async finish(): Promise<WrittenPack[]> {
    await this.close();
    return this.written;
  }

  /** Drops the pack being written; returns the names of packs already committed. */
  async abort(): Promise<string[]> {
    const current = this.current;
    this.current = null;
    this.pending = [];
    this.pendingBytes = 0;
    if (current) await this.target.endFile(current.token, false).catch(() => undefined);
    return this.written.map((pack) => packFileName(this.set, pack.id));
  }
}
