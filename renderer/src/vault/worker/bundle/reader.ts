import sodium from 'libsodium-wrappers-sumo';
import { newSha256, type Sha256Hasher } from '../crypto/sha256';
import { SecretStream, SodiumArea } from '../crypto/sodium-memory';
import {
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  MAX_MANIFEST_BYTES,
  SEALED_CHUNK_BYTES,
  SIGNATURE_BYTES,
  SIGNATURE_CONTEXT,
} from './constants';
import { ByteQueue } from './byte-queue';
import { BundleError } from './errors';
import { openHeader, readHeaderFacts, type HeaderFacts } from './header';
import { recipientKeyId } from './identity';
import { manifestSchema, type Manifest } from './manifest';
import { concat } from './writer';

export type BundleEvent =
  /** The verified manifest: signature, header hash and this reader's place among the recipients all checked. */
  | { kind: 'manifest'; manifest: Manifest }
  /** Bytes of item `index`, in order: up to 1 MiB per event, at least one event per push while an item lasts. */
  | { kind: 'item-data'; index: number; bytes: Uint8Array }
  /** Item `index` is complete and its SHA-256 matches the manifest. */
  | { kind: 'item-end'; index: number };

// Read when used: libsodium.js fills in its constants only once `sodium.ready` has resolved.
const tagMessage = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const tagFinal = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

type Phase = 'header' | 'manifest-length' | 'manifest' | 'signature' | 'items' | 'done';

/** Item bytes gathered before they are handed out as one event. */
const BATCH_BYTES = 1024 * 1024;

/** What opening the payload needs, in libsodium's memory (crypto/sodium-memory.ts), made once the header opens. */
interface Payload {
  stream: SecretStream;
  /** The header MAC: every chunk's associated data. */
  mac: SodiumArea;
  /** One sealed chunk, and its plaintext. */
  sealed: SodiumArea;
  plain: SodiumArea;
  /** The current item's bytes not yet handed out. */
  batch: SodiumArea;
}

/**
 * Reads a bundle pushed to it in pieces of any size, holding at most one
 * chunk: header (limits checked before anything is allocated, our stanza
 * found, MAC verified), then the payload chunk by chunk (each authenticated,
 * the last one required to be final and nothing after it), then the signed
 * manifest and every item's hash. Anything wrong throws a BundleError and the
 * reader is then unusable. Chunks are opened, and items hashed, in
 * libsodium's memory, wiped as they are used and freed when the reader
 * finishes, fails or is closed.
 */
export class BundleReader {
  private readonly input = new ByteQueue();
  /** Plaintext before the items (manifest length, manifest, signature), gathered across chunks. */
  private readonly plain = new ByteQueue();
  private facts: HeaderFacts | null = null;
  private payload: Payload | null = null;
  private batchUsed = 0;
  private headerHash = '';
  private phase: Phase = 'header';
  private manifestLength = 0;
  private manifestRaw: Uint8Array | null = null;
  private manifest: Manifest | null = null;
  private itemIndex = 0;
  private itemRead = 0;
  private itemHash: Sha256Hasher | null = null;
  private streamEnded = false;
  private failed = false;

  constructor(private readonly keys: { boxPublicKey: Uint8Array; boxSecretKey: Uint8Array }) {}

  /** What the header reveals, once it has arrived. */
  get headerFacts(): HeaderFacts | null {
    return this.facts;
  }

  push(bytes: Uint8Array): BundleEvent[] {
    return this.guard(() => {
      this.input.push(bytes);
      const events: BundleEvent[] = [];
      if (this.phase === 'header') this.readHeader();
      // A chunk is opened only when more bytes follow it, so the last one is known to be last.
      while (this.payload && !this.streamEnded && this.input.length > SEALED_CHUNK_BYTES)
        this.openChunk(SEALED_CHUNK_BYTES, false, events);
      if (this.streamEnded && this.input.length > 0)
        throw new BundleError('payload-trailing', 'There are bytes after the end of the bundle.');
      this.flushBatch(events);
      return events;
    });
  }

  /** The input has ended: opens the last chunk and checks that everything the manifest lists was there. */
  finish(): BundleEvent[] {
    return this.guard(() => {
      const events: BundleEvent[] = [];
      if (this.phase === 'header' || !this.payload)
        throw new BundleError(
          this.facts || this.input.length >= 8 ? 'header-malformed' : 'not-a-bundle',
          'The bundle ends inside its header.',
        );
      if (!this.streamEnded) {
        if (this.input.length <= CHUNK_OVERHEAD)
          throw new BundleError('payload-truncated', 'The bundle is cut short: its final chunk is missing.');
        this.openChunk(this.input.length, true, events);
      }
      this.flushBatch(events);
      if (this.phase !== 'done')
        throw new BundleError('item-size-mismatch', 'The bundle ends before every item listed in it.');
      this.close();
      return events;
    });
  }

  private guard<T>(work: () => T): T {
    if (this.failed) throw new BundleError('payload-malformed', 'This reader already refused the bundle.');
    try {
      return work();
    } catch (error) {
      this.failed = true;
      this.wipe();
      if (error instanceof BundleError) throw error;
      // Anything else reached from bad input is still bad input, reported as such.
      throw new BundleError('payload-malformed', 'The bundle could not be read.', { cause: error });
    }
  }

  /** Wipes and frees what the reader holds in libsodium's memory; it can read no more. Idempotent. */
  close(): void {
    this.failed = true;
    this.wipe();
  }

  private wipe(): void {
    const payload = this.payload;
    this.payload = null;
    this.itemHash?.close();
    this.itemHash = null;
    if (!payload) return;
    payload.stream.close();
    for (const area of [payload.mac, payload.sealed, payload.plain, payload.batch]) area.free();
  }

  private readHeader(): void {
    if (this.input.length === 0) return;
    this.facts ??= readHeaderFacts(this.input.peek(Math.min(this.input.length, 18)));
    if (!this.facts || this.input.length < this.facts.headerBytes) return;
    const header = this.input.take(this.facts.headerBytes);
    const opened = openHeader(header, this.facts, this.keys.boxPublicKey, this.keys.boxSecretKey);
    const stream = SecretStream.pull(opened.payloadKey, opened.streamHeader);
    sodium.memzero(opened.payloadKey);
    if (!stream) throw new BundleError('header-malformed', 'The bundle header is not valid.');
    const made: SodiumArea[] = [];
    try {
      for (const size of [opened.mac.byteLength, SEALED_CHUNK_BYTES, CHUNK_BYTES, BATCH_BYTES])
        made.push(SodiumArea.allocate(size));
    } catch (error) {
      stream.close();
      for (const area of made) area.free();
      throw error;
    }
    const [mac, sealed, plain, batch] = made as [SodiumArea, SodiumArea, SodiumArea, SodiumArea];
    mac.write(opened.mac);
    this.payload = { stream, mac, sealed, plain, batch };
    this.headerHash = opened.hash;
    this.phase = 'manifest-length';
  }

  /** Opens the next `length` input bytes as one chunk and consumes its plaintext. */
  private openChunk(length: number, last: boolean, events: BundleEvent[]): void {
    const { stream, mac, sealed, plain } = this.payload!;
    this.input.drain(length, (part, offset) => sealed.write(part, offset));
    // libsodium signals a failed pull (forged, reordered, wrong key) by its return value, not by throwing.
    const tag = stream.open(sealed, 0, length, mac, plain, 0);
    if (tag === false) throw new BundleError('payload-corrupt', 'A part of the bundle was altered, moved or replaced.');
    const plainLength = length - CHUNK_OVERHEAD;
    if (plainLength === 0) throw new BundleError('payload-malformed', 'The bundle has an empty chunk.');
    if (tag === tagFinal()) {
      if (!last) throw new BundleError('payload-trailing', 'There are bytes after the end of the bundle.');
      this.streamEnded = true;
    } else if (tag === tagMessage()) {
      if (last) throw new BundleError('payload-truncated', 'The bundle is cut short: its final chunk is missing.');
    } else {
      throw new BundleError('payload-malformed', 'The bundle has a chunk of an unknown kind.');
    }
    let itemsFrom = 0;
    if (this.phase !== 'items') {
      // Before the items: manifest length, manifest and signature, gathered from copies (they may span chunks).
      const copy = plain.copyOut(0, plainLength);
      this.plain.push(copy);
      const reached = this.consumePlain(events);
      if (reached === 'items' || reached === 'done') {
        // What the queue still holds is this chunk's tail, where the items start: they are read from `plain`,
        // and the copy of them is dropped and wiped.
        itemsFrom = plainLength - this.plain.length;
        this.plain.drain(this.plain.length, () => undefined);
        copy.fill(0);
      } else itemsFrom = plainLength;
    }
    if (this.phase === 'items') this.consumeItems(plain, itemsFrom, plainLength - itemsFrom, events);
    else if (this.phase === 'done' && itemsFrom < plainLength)
      throw new BundleError('item-size-mismatch', 'The bundle holds more than its manifest lists.');
    plain.wipe(0, plainLength);
  }

  /** Reads what comes before the items, as far as the bytes go; returns the phase reached. */
  private consumePlain(events: BundleEvent[]): Phase {
    for (;;) {
      if (this.phase === 'manifest-length') {
        if (this.plain.length < 4) return this.phase;
        const bytes = this.plain.take(4);
        this.manifestLength = new DataView(bytes.buffer).getUint32(0);
        if (this.manifestLength < 2 || this.manifestLength > MAX_MANIFEST_BYTES)
          throw new BundleError('manifest-invalid', 'The bundle manifest has an impossible length.');
        this.phase = 'manifest';
      } else if (this.phase === 'manifest') {
        if (this.plain.length < this.manifestLength) return this.phase;
        this.manifestRaw = this.plain.take(this.manifestLength);
        this.phase = 'signature';
      } else if (this.phase === 'signature') {
        if (this.plain.length < SIGNATURE_BYTES) return this.phase;
        this.manifest = this.verifyManifest(this.manifestRaw!, this.plain.take(SIGNATURE_BYTES));
        this.manifestRaw = null;
        events.push({ kind: 'manifest', manifest: this.manifest });
        this.phase = 'items';
      } else {
        return this.phase; // the items: read from libsodium's memory by consumeItems
      }
    }
  }

  private verifyManifest(raw: Uint8Array, signature: Uint8Array): Manifest {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      throw new BundleError('manifest-invalid', 'The bundle manifest is not readable.');
    }
    const result = manifestSchema.safeParse(parsed);
    if (!result.success) throw new BundleError('manifest-invalid', 'The bundle manifest is not valid.');
    const manifest = result.data;
    const signingKey = sodium.from_hex(manifest.sender.signingKey);
    // crypto_sign_verify_detached returns false (it does not throw) on a bad signature.
    let verified: boolean;
    try {
      verified = sodium.crypto_sign_verify_detached(signature, concat(SIGNATURE_CONTEXT, raw), signingKey);
    } catch {
      verified = false;
    }
    if (!verified) throw new BundleError('signature-invalid', 'The bundle signature does not verify.');
    if (manifest.headerHash !== this.headerHash)
      throw new BundleError('header-hash-mismatch', 'The bundle was signed for another header.');
    if (!manifest.recipients.includes(recipientKeyId(this.keys.boxPublicKey)))
      throw new BundleError('not-a-named-recipient', 'The sender did not address this bundle to you.');
    return manifest;
  }

  /** Takes `length` plaintext bytes at `offset` in `plain` as item bytes: hashed, gathered, checked at each item's end. */
  private consumeItems(plain: SodiumArea, offset: number, length: number, events: BundleEvent[]): void {
    const items = this.manifest!.items;
    let used = 0;
    for (;;) {
      const item = items[this.itemIndex];
      if (!item) {
        this.phase = 'done';
        if (used < length)
          throw new BundleError('item-size-mismatch', 'The bundle holds more than its manifest lists.');
        return;
      }
      this.itemHash ??= newSha256();
      const wanted = item.size - this.itemRead;
      if (wanted > 0) {
        if (used === length) return;
        const count = Math.min(wanted, length - used);
        this.itemHash.update(plain, offset + used, count);
        if (this.batchUsed + count > BATCH_BYTES) this.flushBatch(events);
        this.payload!.batch.copyFrom(plain, offset + used, count, this.batchUsed);
        this.batchUsed += count;
        used += count;
        this.itemRead += count;
        if (this.itemRead < item.size) return;
      }
      this.flushBatch(events);
      const digest = this.itemHash.hexDigest();
      this.itemHash = null;
      if (digest !== item.sha256)
        throw new BundleError('item-hash-mismatch', `Item ${this.itemIndex} does not match its SHA-256.`);
      events.push({ kind: 'item-end', index: this.itemIndex });
      this.itemIndex += 1;
      this.itemRead = 0;
    }
  }

  /** Hands out the current item's gathered bytes as one event, and wipes them from libsodium's memory. */
  private flushBatch(events: BundleEvent[]): void {
    if (this.batchUsed === 0 || !this.payload) return;
    events.push({ kind: 'item-data', index: this.itemIndex, bytes: this.payload.batch.copyOut(0, this.batchUsed) });
    this.payload.batch.wipe(0, this.batchUsed);
    this.batchUsed = 0;
  }
}
