import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';
import { randomBytes } from '../crypto/random';
import { CHUNK_BYTES, FILE_KEY_BYTES, MAX_ITEMS, MAX_RECIPIENTS, SIGNATURE_CONTEXT } from './constants';
import { ByteQueue } from './byte-queue';
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

/**
 * Writes one bundle as a stream: `header` first, then whatever `write` and
 * `finish` return, in order. Memory stays at one chunk whatever the size.
 * Each item's bytes are hashed as they pass and must match the manifest,
 * so a bundle that would be refused on import is refused here first.
 */
export class BundleWriter {
  readonly header: Uint8Array;
  readonly manifest: Manifest;
  private readonly state: StateAddress;
  private readonly mac: Uint8Array;
  private readonly pending = new ByteQueue();
  private itemIndex = 0;
  private itemWritten = 0;
  private itemHash: StateAddress | null = null;
  private finished = false;
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
    const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(payloadKey);
    sodium.memzero(payloadKey);
    this.state = state;
    this.header = writeHeader(stanzas, streamHeader, macKey);
    sodium.memzero(macKey);
    this.mac = this.header.slice(this.header.byteLength - 32);

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
    const signed = manifestBytes(this.manifest);
    const signature = sodium.crypto_sign_detached(concat(SIGNATURE_CONTEXT, signed), sender.signSecretKey);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, signed.byteLength);
    this.pending.push(length);
    this.pending.push(signed);
    this.pending.push(signature);
  }

  /** The next bytes of the items, in manifest order; returns the sealed chunks now ready. */
  write(bytes: Uint8Array): Uint8Array[] {
    if (this.finished) throw new BundleError('writer-misuse', 'The bundle is already finished.');
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
        this.itemHash ??= sodium.crypto_hash_sha256_init();
        sodium.crypto_hash_sha256_update(this.itemHash, piece);
      }
      // The queue keeps the caller's array: it must not be reused before the chunk is sealed.
      this.pending.push(piece.slice());
      offset += used;
      this.itemWritten += used;
      if (this.itemWritten === item.size) this.endItem();
    }
    return this.sealFullChunks();
  }

  /** Seals the rest as the final chunk; throws if the items are not all complete. */
  finish(): Uint8Array[] {
    if (this.finished) throw new BundleError('writer-misuse', 'The bundle is already finished.');
    // Items of size 0 at the end have no bytes to trigger their check.
    while (this.manifest.items[this.itemIndex]?.size === 0) this.endItem();
    if (this.itemIndex !== this.manifest.items.length)
      throw new BundleError('writer-misuse', 'The bundle ends before every item was written.');
    const out = this.sealFullChunks();
    this.finished = true;
    // Full chunks are sealed only while more bytes follow, so 1…CHUNK_BYTES bytes are left for the final one.
    out.push(this.seal(this.pending.take(this.pending.length), tagFinal()));
    return out;
  }

  private endItem(): void {
    const item = this.manifest.items[this.itemIndex]!;
    // A hash state is only made when hashes are checked: an unfinished one would stay in libsodium's heap.
    const digest = this.checkHashes
      ? sodium.to_hex(sodium.crypto_hash_sha256_final(this.itemHash ?? sodium.crypto_hash_sha256_init()))
      : item.sha256;
    this.itemHash = null;
    if (digest !== item.sha256)
      throw new BundleError('writer-misuse', `Item ${this.itemIndex} does not match the SHA-256 given for it.`);
    this.itemIndex += 1;
    this.itemWritten = 0;
  }

  private sealFullChunks(): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.pending.length > CHUNK_BYTES) out.push(this.seal(this.pending.take(CHUNK_BYTES), tagMessage()));
    return out;
  }

  private seal(plain: Uint8Array, tag: number): Uint8Array {
    return sodium.crypto_secretstream_xchacha20poly1305_push(this.state, plain, this.mac, tag);
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
