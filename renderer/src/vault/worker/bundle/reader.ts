import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';
import {
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
  /** Bytes of item `index`, in order. The array is only valid until the next call: copy what you keep. */
  | { kind: 'item-data'; index: number; bytes: Uint8Array }
  /** Item `index` is complete and its SHA-256 matches the manifest. */
  | { kind: 'item-end'; index: number };

// Read when used: libsodium.js fills in its constants only once `sodium.ready` has resolved.
const tagMessage = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const tagFinal = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

type Phase = 'header' | 'manifest-length' | 'manifest' | 'signature' | 'items' | 'done';

/**
 * Reads a bundle pushed to it in pieces of any size, holding at most one
 * chunk: header (limits checked before anything is allocated, our stanza
 * found, MAC verified), then the payload chunk by chunk (each authenticated,
 * the last one required to be final and nothing after it), then the signed
 * manifest and every item's hash. Anything wrong throws a BundleError and the
 * reader is then unusable.
 */
export class BundleReader {
  private readonly input = new ByteQueue();
  private readonly plain = new ByteQueue();
  private facts: HeaderFacts | null = null;
  private state: StateAddress | null = null;
  private mac: Uint8Array | null = null;
  private headerHash = '';
  private phase: Phase = 'header';
  private manifestLength = 0;
  private manifestRaw: Uint8Array | null = null;
  private manifest: Manifest | null = null;
  private itemIndex = 0;
  private itemRead = 0;
  private itemHash: StateAddress | null = null;
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
      while (this.state && !this.streamEnded && this.input.length > SEALED_CHUNK_BYTES)
        this.openChunk(this.input.take(SEALED_CHUNK_BYTES), false, events);
      if (this.streamEnded && this.input.length > 0)
        throw new BundleError('payload-trailing', 'There are bytes after the end of the bundle.');
      return events;
    });
  }

  /** The input has ended: opens the last chunk and checks that everything the manifest lists was there. */
  finish(): BundleEvent[] {
    return this.guard(() => {
      const events: BundleEvent[] = [];
      if (this.phase === 'header' || !this.state)
        throw new BundleError(
          this.facts || this.input.length >= 8 ? 'header-malformed' : 'not-a-bundle',
          'The bundle ends inside its header.',
        );
      if (!this.streamEnded) {
        if (this.input.length <= CHUNK_OVERHEAD)
          throw new BundleError('payload-truncated', 'The bundle is cut short: its final chunk is missing.');
        this.openChunk(this.input.take(this.input.length), true, events);
      }
      if (this.phase !== 'done')
        throw new BundleError('item-size-mismatch', 'The bundle ends before every item listed in it.');
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

  private wipe(): void {
    this.state = null;
  }

  private readHeader(): void {
    if (this.input.length === 0) return;
    this.facts ??= readHeaderFacts(this.input.peek(Math.min(this.input.length, 18)));
    if (!this.facts || this.input.length < this.facts.headerBytes) return;
    const header = this.input.take(this.facts.headerBytes);
    const opened = openHeader(header, this.facts, this.keys.boxPublicKey, this.keys.boxSecretKey);
    this.state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(opened.streamHeader, opened.payloadKey);
    sodium.memzero(opened.payloadKey);
    this.mac = opened.mac;
    this.headerHash = opened.hash;
    this.phase = 'manifest-length';
  }

  private openChunk(sealed: Uint8Array, last: boolean, events: BundleEvent[]): void {
    let opened: { message: Uint8Array; tag: number } | false;
    try {
      opened = sodium.crypto_secretstream_xchacha20poly1305_pull(this.state!, sealed, this.mac);
    } catch {
      opened = false;
    }
    // libsodium.js signals a failed pull by returning false, not by throwing.
    if (!opened) throw new BundleError('payload-corrupt', 'A part of the bundle was altered, moved or replaced.');
    if (opened.message.byteLength === 0) throw new BundleError('payload-malformed', 'The bundle has an empty chunk.');
    if (opened.tag === tagFinal()) {
      if (!last) throw new BundleError('payload-trailing', 'There are bytes after the end of the bundle.');
      this.streamEnded = true;
    } else if (opened.tag === tagMessage()) {
      if (last) throw new BundleError('payload-truncated', 'The bundle is cut short: its final chunk is missing.');
    } else {
      throw new BundleError('payload-malformed', 'The bundle has a chunk of an unknown kind.');
    }
    this.plain.push(opened.message);
    this.consumePlain(events);
  }

  private consumePlain(events: BundleEvent[]): void {
    for (;;) {
      if (this.phase === 'manifest-length') {
        if (this.plain.length < 4) return;
        const bytes = this.plain.take(4);
        this.manifestLength = new DataView(bytes.buffer).getUint32(0);
        if (this.manifestLength < 2 || this.manifestLength > MAX_MANIFEST_BYTES)
          throw new BundleError('manifest-invalid', 'The bundle manifest has an impossible length.');
        this.phase = 'manifest';
      } else if (this.phase === 'manifest') {
        if (this.plain.length < this.manifestLength) return;
        this.manifestRaw = this.plain.take(this.manifestLength);
        this.phase = 'signature';
      } else if (this.phase === 'signature') {
        if (this.plain.length < SIGNATURE_BYTES) return;
        this.manifest = this.verifyManifest(this.manifestRaw!, this.plain.take(SIGNATURE_BYTES));
        this.manifestRaw = null;
        events.push({ kind: 'manifest', manifest: this.manifest });
        this.phase = 'items';
      } else if (this.phase === 'items') {
        this.consumeItems(events);
        if (this.phase === 'items') return;
      } else {
        if (this.plain.length > 0)
          throw new BundleError('item-size-mismatch', 'The bundle holds more than its manifest lists.');
        return;
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

  private consumeItems(events: BundleEvent[]): void {
    const items = this.manifest!.items;
    for (;;) {
      const item = items[this.itemIndex];
      if (!item) {
        this.phase = 'done';
        return;
      }
      this.itemHash ??= sodium.crypto_hash_sha256_init();
      const wanted = item.size - this.itemRead;
      if (wanted > 0) {
        if (this.plain.length === 0) return;
        const bytes = this.plain.take(Math.min(wanted, this.plain.length));
        sodium.crypto_hash_sha256_update(this.itemHash, bytes);
        this.itemRead += bytes.byteLength;
        events.push({ kind: 'item-data', index: this.itemIndex, bytes });
        if (this.itemRead < item.size) return;
      }
      const digest = sodium.to_hex(sodium.crypto_hash_sha256_final(this.itemHash));
      this.itemHash = null;
      if (digest !== item.sha256)
        throw new BundleError('item-hash-mismatch', `Item ${this.itemIndex} does not match its SHA-256.`);
      events.push({ kind: 'item-end', index: this.itemIndex });
      this.itemIndex += 1;
      this.itemRead = 0;
    }
  }
}
