import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from '../crypto/random';
import { newSha256, type Sha256Hasher } from '../crypto/sha256';
import { SecretStream, SodiumArea } from '../crypto/sodium-memory';
import {
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  FILE_KEY_BYTES,
  MAX_ITEMS,
  MAX_RECIPIENTS,
  SEALED_CHUNK_BYTES,
  SIGNATURE_CONTEXT,
} from './constants';
import { BundleError } from './errors';
import { deriveBundleKeys, writeHeader } from './header';
import { recipientKeyId, type IdentityKeys } from './identity';
import { manifestBytes, manifestItemSchema, type Manifest, type ManifestItem } from './manifest';

export interface BundleWriterOptions {
  sender: IdentityKeys & { name: string };
  /** X25519 public keys of everyone who may open the bundle (the sender too, if they want to). */
  recipients: readonly Uint8Array[];
  /** Every item, in the order its bytes will be written; sizes and SHA-256 known up front. */
  items: readonly ManifestItem[];
  bundleId?: string;
  createdAt?: Date;
  /**
   * Hash each item's bytes as they pass and refuse a mismatch (default). A
   * caller whose bytes are already authenticated (the vault's own AEAD
   * chunks, hashed at intake) may skip this pass; readers check every hash
   * regardless.
   */
  checkHashes?: boolean;
}

// Read when used: libsodium.js fills in its constants only once `sodium.ready` has resolved.
const tagMessage = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const tagFinal = () => sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

/** Sealed chunks the output area holds before it grows: a 1 MiB export piece and its records. */
const OUTPUT_CHUNKS = 18;

/**
 * Writes one bundle as a stream: `header` first, then, after each `write`
 * and after `finish`, whatever `takeSealed` returns, in order. Plaintext is
 * staged and sealed in libsodium's memory (crypto/sodium-memory.ts): one
 * chunk of it at most, wiped as it goes, and one copy out per take however
 * many chunks were sealed. Each item's bytes are hashed as they pass and
 * must match the manifest, so a bundle that would be refused on import is
 * refused here first.
 */
export class BundleWriter {
  readonly header: Uint8Array;
  readonly manifest: Manifest;
  private readonly stream: SecretStream;
  /** The header MAC, bound to every chunk as associated data. */
  private readonly mac: SodiumArea;
  /** Plaintext of the chunk being filled. */
  private readonly staging: SodiumArea;
  private staged = 0;
  /** Sealed chunks not yet taken; grows if one write seals more than it holds. */
  private output: SodiumArea;
  private outputUsed = 0;
  private itemIndex = 0;
  private itemWritten = 0;
  private itemHash: Sha256Hasher | null = null;
  private finished = false;
  private closed = false;
  private readonly checkHashes: boolean;

  constructor(options: BundleWriterOptions) {
    const { sender, recipients, items } = options;
    this.checkHashes = options.checkHashes ?? true;
    if (recipients.length < 1 || recipients.length > MAX_RECIPIENTS || recipients.some((key) => key.byteLength !== 32))
      throw new BundleError('writer-misuse', `A bundle needs 1 to ${MAX_RECIPIENTS} recipient keys of 32 bytes.`);
    if (items.length > MAX_ITEMS || items.some((item) => !manifestItemSchema.safeParse(item).success))
      throw new BundleError('writer-misuse', 'The bundle items are not valid.');

    const fileKey = randomBytes(FILE_KEY_BYTES);
    const { macKey, payloadKey } = deriveBundleKeys(fileKey);
    const stanzas = recipients.map((key) => sodium.crypto_box_seal(fileKey, key));
    sodium.memzero(fileKey);
    const { stream, header: streamHeader } = SecretStream.push(payloadKey);
    sodium.memzero(payloadKey);
    // Whatever fails from here on must not leave the stream state, or any area made, in libsodium's memory.
    const made: SodiumArea[] = [];
    let signed: Uint8Array;
    let signature: Uint8Array;
    try {
      this.header = writeHeader(stanzas, streamHeader, macKey);
      sodium.memzero(macKey);
      this.manifest = {
        format: 'evidence-vault-bundle',
        version: 1,
        bundleId: options.bundleId ?? sodium.to_hex(randomBytes(16)),
        createdAt: (options.createdAt ?? new Date()).toISOString(),
        sender: {
          name: sender.name,
          signingKey: sodium.to_hex(sender.signPublicKey),
          encryptionKey: sodium.to_hex(sender.boxPublicKey),
        },
        recipients: recipients.map(recipientKeyId),
        headerHash: sodium.to_hex(sodium.crypto_generichash(32, this.header, null)),
        items: items.map((item) => ({ ...item })),
      };
      signed = manifestBytes(this.manifest);
      signature = sodium.crypto_sign_detached(concat(SIGNATURE_CONTEXT, signed), sender.signSecretKey);
      for (const size of [32, CHUNK_BYTES, OUTPUT_CHUNKS * SEALED_CHUNK_BYTES]) made.push(SodiumArea.allocate(size));
    } catch (error) {
      stream.close();
      for (const area of made) area.free();
      throw error;
    }
    this.stream = stream;
    [this.mac, this.staging, this.output] = made as [SodiumArea, SodiumArea, SodiumArea];
    this.mac.write(this.header.subarray(this.header.byteLength - 32));

    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, signed.byteLength);
    this.append(length);
    this.append(signed);
    this.append(signature);
  }

  /** The next bytes of the items, in manifest order. The caller may reuse `bytes` afterwards. */
  write(bytes: Uint8Array): void {
    if (this.finished || this.closed) throw new BundleError('writer-misuse', 'The bundle is already finished.');
    let offset = 0;
    while (offset < bytes.byteLength) {
      const item = this.manifest.items[this.itemIndex];
      if (!item) throw new BundleError('writer-misuse', 'More bytes than the items declare.');
      if (this.itemWritten === item.size) {
        this.endItem(); // an empty item: nothing of it to write
        continue;
      }
      const used = Math.min(item.size - this.itemWritten, bytes.byteLength - offset);
      const piece = bytes.subarray(offset, offset + used);
      if (this.checkHashes) {
        this.itemHash ??= newSha256();
        this.itemHash.updateBytes(piece);
      }
      this.append(piece);
      offset += used;
      this.itemWritten += used;
      if (this.itemWritten === item.size) this.endItem();
    }
  }

  /** Seals the rest as the final chunk; throws if the items are not all complete. */
  finish(): void {
    if (this.finished || this.closed) throw new BundleError('writer-misuse', 'The bundle is already finished.');
    // Items of size 0 at the end have no bytes to trigger their check.
    while (this.manifest.items[this.itemIndex]?.size === 0) this.endItem();
    if (this.itemIndex !== this.manifest.items.length)
      throw new BundleError('writer-misuse', 'The bundle ends before every item was written.');
    // Full chunks are sealed only once more bytes follow, so 1…CHUNK_BYTES bytes are left for the final one.
    this.sealStaged(tagFinal());
    this.finished = true;
    this.stream.close();
    this.staging.free();
    this.mac.free();
  }

  /** The sealed bytes made since the last take (possibly none), as one array. */
  takeSealed(): Uint8Array {
    if (this.closed) throw new BundleError('writer-misuse', 'The bundle writer is closed.');
    const sealed = this.output.copyOut(0, this.outputUsed);
    this.outputUsed = 0;
    if (this.finished) this.close();
    return sealed;
  }

  /** Drops the writer (finished, cancelled or failed): its stream state and buffers are wiped. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.close();
    this.itemHash?.close();
    this.itemHash = null;
    this.staging.free();
    this.mac.free();
    this.output.free();
  }

  /** Stages bytes, sealing each full chunk once a further byte arrives. */
  private append(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.byteLength) {
      if (this.staged === CHUNK_BYTES) this.sealStaged(tagMessage());
      const used = Math.min(CHUNK_BYTES - this.staged, bytes.byteLength - offset);
      this.staging.write(bytes.subarray(offset, offset + used), this.staged);
      this.staged += used;
      offset += used;
    }
  }

  private sealStaged(tag: number): void {
    if (this.outputUsed + SEALED_CHUNK_BYTES > this.output.size) {
      const larger = SodiumArea.allocate(this.output.size * 2);
      larger.copyFrom(this.output, 0, this.outputUsed, 0);
      this.output.free();
      this.output = larger;
    }
    this.stream.seal(this.staging, 0, this.staged, this.mac, this.output, this.outputUsed, tag);
    this.outputUsed += this.staged + CHUNK_OVERHEAD;
    this.staging.wipe(0, this.staged);
    this.staged = 0;
  }

  private endItem(): void {
    const item = this.manifest.items[this.itemIndex]!;
    // A hash state is only made when hashes are checked; close() frees one left unfinished.
    const digest = this.checkHashes ? (this.itemHash ?? newSha256()).hexDigest() : item.sha256;
    this.itemHash = null;
    if (digest !== item.sha256)
      throw new BundleError('writer-misuse', `Item ${this.itemIndex} does not match the SHA-256 given for it.`);
    this.itemIndex += 1;
    this.itemWritten = 0;
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
