import sodium from 'libsodium-wrappers-sumo';
import {
  BundleReader,
  BundleWriter,
  newIdentityKeys,
  type BundleEvent,
  type BundleWriterOptions,
  type IdentityKeys,
  type Manifest,
  type ManifestItem,
} from '../../../renderer/src/vault/worker/bundle';
import { concat } from '../../../renderer/src/vault/worker/bundle/writer';

export interface Party extends IdentityKeys {
  name: string;
}

export function party(name: string): Party {
  return { ...newIdentityKeys(), name };
}

export function sha256(bytes: Uint8Array): string {
  return sodium.to_hex(sodium.crypto_hash_sha256(bytes));
}

export function itemsOf(contents: readonly Uint8Array[]): ManifestItem[] {
  return contents.map((bytes, index) => ({
    id: `item-${index}`,
    type: 'document-bytes',
    size: bytes.byteLength,
    sha256: sha256(bytes),
  }));
}

/** The writer's own concat, for arrays of parts. */
export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  return concat(...parts);
}

/** A whole bundle in memory: the writer's header and chunks, in order. */
export function writeBundle(
  sender: Party,
  recipients: readonly Party[],
  contents: readonly Uint8Array[],
  options: { bundleId?: string; createdAt?: Date } = {},
): Uint8Array {
  return writeBundleItems(
    { sender, recipients: recipients.map((recipient) => recipient.boxPublicKey), items: itemsOf(contents), ...options },
    contents,
  );
}

/** The same with the writer's options as given (explicit manifest items, recipients' keys): `contents` in item order. */
export function writeBundleItems(options: BundleWriterOptions, contents: readonly Uint8Array[]): Uint8Array {
  const writer = new BundleWriter(options);
  const parts = [writer.header];
  for (const bytes of contents) {
    writer.write(bytes);
    parts.push(writer.takeSealed());
  }
  writer.finish();
  parts.push(writer.takeSealed());
  return concatAll(parts);
}

export interface ReadResult {
  manifest: Manifest;
  items: Uint8Array[];
}

/** Reads a bundle fed in pieces of `step` bytes (all at once by default). */
export function readBundle(reader: Party, bytes: Uint8Array, step = bytes.byteLength || 1): ReadResult {
  const bundleReader = new BundleReader(reader);
  const events: BundleEvent[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += step)
    events.push(...bundleReader.push(bytes.subarray(offset, offset + step)));
  events.push(...bundleReader.finish());
  const manifest = events.find((event) => event.kind === 'manifest')?.manifest;
  if (!manifest) throw new Error('no manifest event');
  const pieces = manifest.items.map(() => [] as Uint8Array[]);
  for (const event of events) if (event.kind === 'item-data') pieces[event.index]!.push(event.bytes.slice());
  return { manifest, items: pieces.map(concatAll) };
}
