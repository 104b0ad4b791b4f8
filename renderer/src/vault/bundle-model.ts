import { z } from './zod';

/**
 * What an import leaves in the vault (record-kinds.ts: 'bundle-import',
 * 'bundle-receipt', 'received-custody-log'): who signed the bundle, what it
 * took, and the sender's custody log, kept to be checked again later.
 */

const importFields = {
  bundleId: z.string(),
  importedAt: z.number(),
  signer: z.strictObject({ name: z.string(), signingKey: z.string(), status: z.string() }),
  headerHash: z.string(),
  createdAt: z.string(),
  /** Item id → the SHA-256 this vault took in, to tell an update from a conflict next time. */
  items: z.record(z.string(), z.string()),
  /** The items this import wrote, by their id in this vault ("both" gives a new one) → their id in the bundle. */
  taken: z.record(z.string(), z.string()).optional(),
  /** The cases this import created: their records may change only by bundles from the same signer. */
  created: z.array(z.string()).optional(),
};

/**
 * One import, vault-wide, as versions before per-case receipts wrote it
 * (every shape they wrote parses: fields were only ever added, optional).
 */
export const bundleImportSchema = z.strictObject({
  ...importFields,
  /** The sender's custody-log segment, kept as it came (verifiable later). */
  custodyLog: z.string().nullable(),
});
export type BundleImportRecord = z.infer<typeof bundleImportSchema>;

/**
 * How a receipt keeps the sender's custody log: none came; `text`, the
 * segment whole (receipts of schema 1, and a segment that does not parse,
 * kept as it came); or `shared`, the id of the bundle's one
 * 'received-custody-log' record (every entry reduced to its links) and this
 * case's own entries in full, as JSON text. The shared links are kept once
 * per import, not once per case, and nothing in them is about a case.
 */
export const receiptCustodySchema = z.union([
  z.null(),
  z.strictObject({ text: z.string() }),
  z.strictObject({ shared: z.string().regex(/^[0-9a-f]{32}$/), entries: z.string() }),
]);
export type ReceiptCustody = z.infer<typeof receiptCustodySchema>;

/** What one import took into one case: sealed with that case's key, deleted with it. */
export const bundleReceiptSchema = z.strictObject({ ...importFields, custodyLog: receiptCustodySchema });
export type BundleReceipt = z.infer<typeof bundleReceiptSchema>;

/**
 * A sender's custody segment as one import brought it, every entry reduced
 * to its place in the chain (JSON text), and the cases whose receipts point
 * at it: it goes with the last of them.
 */
export const receivedCustodyLogSchema = z.strictObject({
  links: z.string(),
  cases: z.array(z.string()).min(1),
});
export type ReceivedCustodyLog = z.infer<typeof receivedCustodyLogSchema>;

/**
 * The queue of bundle files being opened (record-kinds.ts: 'bundle-queue'):
 * one vault-owned record, sealed with the records key, holding what the
 * coordinator needs to find each file again and decide on it. It never
 * holds a key or a bundle's contents: those are staged in the worker's
 * memory and the pending blobs of an open import, which a lock ends.
 */
export const BUNDLE_QUEUE_LIMIT = 500;
const signerStatusSchema = z.enum(['verified', 'unverified', 'unknown', 'self']);
export const bundleQueueEntrySchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  fileName: z.string().min(1).max(1024),
  size: z.number().int().nonnegative(),
  addedAt: z.number(),
  /**
   * waiting: not read yet; ready: verified and previewed (`decisions` says what it needs before it can be taken);
   * refused: it can never be imported (`error`); failed: taking it failed (`error`); imported: taken (`imported`).
   */
  state: z.enum(['waiting', 'ready', 'refused', 'failed', 'imported']),
  /** What a ready bundle needs decided by the coordinator; empty: it can go with "accept all from verified". */
  decisions: z.array(z.enum(['signer-unknown', 'signer-unverified', 'signer-self', 'conflicts', 'already-imported'])),
  /** Why it was refused or failed: the vault error's code and detail. */
  error: z.strictObject({ code: z.string(), detail: z.string().optional() }).nullable(),
  /** What the verified bundle is: who signed it, and how many of its items each preview status has. */
  bundle: z
    .strictObject({
      bundleId: z.string(),
      createdAt: z.string(),
      signer: z.strictObject({
        name: z.string(),
        signingKey: z.string(),
        status: signerStatusSchema,
        contactName: z.string().nullable(),
      }),
      items: z.number().int().nonnegative(),
      changes: z.strictObject({
        new: z.number().int().nonnegative(),
        update: z.number().int().nonnegative(),
        same: z.number().int().nonnegative(),
        conflict: z.number().int().nonnegative(),
        refused: z.number().int().nonnegative(),
      }),
    })
    .nullable(),
  imported: z
    .strictObject({
      at: z.number(),
      added: z.number().int().nonnegative(),
      updated: z.number().int().nonnegative(),
      kept: z.number().int().nonnegative(),
      /**
       * The cases the bundle holds records of: the entry goes with the deletion of any of them (it says what came
       * in for them). Absent in entries written before it was kept: those go with the deletion of any case.
       */
      cases: z.array(z.string().min(1).max(100)).max(10_000).optional(),
    })
    .nullable(),
});
export type BundleQueueRecordEntry = z.infer<typeof bundleQueueEntrySchema>;
export const bundleQueueSchema = z.strictObject({ entries: z.array(bundleQueueEntrySchema).max(BUNDLE_QUEUE_LIMIT) });
