import { CUSTODY_ACTIONS, CUSTODY_TARGET_KINDS } from './api';
import { z } from './zod';

/**
 * What the custody log's rows hold (worker/custody-log.ts): the chain is
 * verified as a chain, entry by entry, and this is the shape each one may
 * have. Every shape ever written is here: entries written in the clear,
 * entries whose details are sealed with their case's key, entries about a
 * case deleted before details were sealed (reduced), and the sealed details
 * themselves (stored under the same table name, `detail:<seq>`).
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** An entry's place in the chain: what every entry keeps readable with the log key. */
const place = {
  seq: z.number().int().positive(),
  time: z.number(),
  actor: z.string(),
  action: z.enum(CUSTODY_ACTIONS),
  previousHash: hex64,
  hash: hex64,
};

const about = {
  targetKind: z.enum(CUSTODY_TARGET_KINDS),
  targetId: z.string(),
  contentHashes: z.array(z.string()).optional(),
};

/** An entry with every detail readable with the log key (vault-wide, or written before details were sealed). */
const clearEntrySchema = z.strictObject({
  ...place,
  ...about,
  caseId: z.string().optional(),
  /** Only on entries written sealed, once their details are opened. */
  salt: hex64.optional(),
});

/** An entry about a case: its details sealed with the case key (`detail`, base64), committed to by `commitment`. */
const sealedEntrySchema = z.strictObject({
  ...place,
  caseTag: z.string(),
  commitment: hex64,
  detail: z.string(),
});

/** An entry written in the clear about a case deleted since: its details dropped, its hash kept. */
const reducedEntrySchema = z.strictObject({ ...place, reduced: z.literal(true) });

/** What a sealed entry's `detail` opens to, with its case's key. */
export const caseDetailSchema = z.strictObject({ ...about, caseId: z.string(), salt: hex64 });

export const storedLogEntrySchema = z.union([
  clearEntrySchema,
  sealedEntrySchema,
  reducedEntrySchema,
  caseDetailSchema,
]);
