import { z } from '../../zod';
import { FORMAT_VERSION, MAX_ITEM_BYTES, MAX_ITEMS, MAX_RECIPIENTS } from './constants';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

/** What a bundle can carry; the app gives each type its meaning. */
export const BUNDLE_ITEM_TYPES = [
  'case',
  'document',
  'document-bytes',
  'document-text',
  'annotation',
  'hearing',
  'timeline-event',
  'custody-log',
] as const;
export type BundleItemType = (typeof BUNDLE_ITEM_TYPES)[number];

export const manifestItemSchema = z.strictObject({
  id: z.string().min(1).max(200),
  type: z.enum(BUNDLE_ITEM_TYPES),
  size: z.number().int().nonnegative().max(MAX_ITEM_BYTES),
  sha256: hex32,
});
export type ManifestItem = z.infer<typeof manifestItemSchema>;

/**
 * The signed manifest: who sent the bundle, for whom, for which header, and
 * every item with its size and hash. It is the first thing in the encrypted
 * payload, so only recipients learn any of it.
 */
export const manifestSchema = z.strictObject({
  format: z.literal('evidence-vault-bundle'),
  version: z.literal(FORMAT_VERSION),
  bundleId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.iso.datetime(),
  sender: z.strictObject({
    name: z.string().max(200),
    signingKey: hex32,
    encryptionKey: hex32,
  }),
  /** Recipient key ids (see recipientKeyId), in stanza order. */
  recipients: z.array(hex32).min(1).max(MAX_RECIPIENTS),
  /** BLAKE2b-256 of the exact header bytes, MAC included. */
  headerHash: hex32,
  items: z.array(manifestItemSchema).max(MAX_ITEMS),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The manifest as signed: JSON with the schema's key order (the writer builds it; readers verify the bytes). */
export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest));
}
