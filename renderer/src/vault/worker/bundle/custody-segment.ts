import { z } from '../../zod';
import { CUSTODY_ACTIONS, CUSTODY_TARGET_KINDS } from '../../api';
import { GENESIS_HASH, viewHash, type LogEntryView, type LogHead } from '../custody-log';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

const fullEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.number().int().nonnegative(),
  actor: z.string().max(64),
  action: z.enum(CUSTODY_ACTIONS),
  targetKind: z.enum(CUSTODY_TARGET_KINDS),
  targetId: z.string().max(200),
  caseId: z.string().max(64).optional(),
  contentHashes: z.array(z.string().max(128)).max(1000).optional(),
  /** Version 2: the entry was stored with its details sealed; its hash covers them through this salt. */
  salt: hex32.optional(),
  previousHash: hex32,
  hash: hex32,
});

/** An entry about something not in the bundle: only its place in the chain. */
const redactedEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  redacted: z.literal(true),
  previousHash: hex32,
  hash: hex32,
});

export const custodySegmentSchema = z.strictObject({
  format: z.literal('evidence-vault-custody-log'),
  /** 2 when an entry carries a salt (hashed the sealed way), else 1: version-1 readers refuse those. */
  version: z.union([z.literal(1), z.literal(2)]),
  head: z.strictObject({ count: z.number().int().nonnegative(), lastHash: hex32 }),
  entries: z.array(z.union([fullEntrySchema, redactedEntrySchema])).max(10_000_000),
});
export type CustodySegment = z.infer<typeof custodySegmentSchema>;

/**
 * The sender's custody log as a bundle item: the whole chain, with entries
 * about cases not in the bundle reduced to their links, so a recipient can
 * check the chain without learning about the sender's other cases. Entries
 * about a deleted case are always reduced: their details are gone.
 */
export function custodySegment(
  entries: readonly LogEntryView[],
  head: LogHead,
  keep: (entry: Exclude<LogEntryView, { aboutDeletedCase: true }>) => boolean,
): CustodySegment {
  const out = entries.map((entry) =>
    entry.aboutDeletedCase !== true && keep(entry)
      ? { ...entry }
      : { seq: entry.seq, redacted: true as const, previousHash: entry.previousHash, hash: entry.hash },
  );
  return {
    format: 'evidence-vault-custody-log',
    version: out.some((entry) => 'salt' in entry && entry.salt !== undefined) ? 2 : 1,
    head: { ...head },
    entries: out,
  };
}

export type SegmentVerdict = { ok: true; entries: number; redacted: number } | { ok: false; reason: string };

/** Checks a custody-log item: readable, every full entry's hash recomputed, every link and the head matched. */
export function verifyCustodySegment(bytes: Uint8Array): SegmentVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: 'the custody log is not readable' };
  }
  const result = custodySegmentSchema.safeParse(parsed);
  if (!result.success) return { ok: false, reason: 'the custody log is not valid' };
  const { head, entries } = result.data;
  if (entries.length !== head.count)
    return { ok: false, reason: `the custody log has ${entries.length} of ${head.count} entries` };
  let previousHash = GENESIS_HASH;
  let redacted = 0;
  for (const [index, entry] of entries.entries()) {
    if (entry.seq !== index + 1)
      return { ok: false, reason: `custody log entry ${index + 1} is missing or out of order` };
    if (entry.previousHash !== previousHash)
      return { ok: false, reason: `custody log entry ${entry.seq} does not follow the one before` };
    if ('redacted' in entry) redacted += 1;
    else {
      const { hash, ...body } = entry;
      if (body.salt !== undefined && result.data.version < 2)
        return { ok: false, reason: 'the custody log is not valid' };
      if (viewHash(body) !== hash) return { ok: false, reason: `custody log entry ${entry.seq} was altered` };
    }
    previousHash = entry.hash;
  }
  if (previousHash !== head.lastHash) return { ok: false, reason: 'the custody log does not end where its head says' };
  return { ok: true, entries: entries.length, redacted };
}
