import { z } from '../../zod';
import { BACKUP_FORMAT, TABLE_CODES, type TableCode } from './constants';

/**
 * The sealed index of one run (docs/backup-format.md, "Run index"): which
 * rows the run added or replaced (and where their bytes are), which it
 * removed, and a digest of the whole state after it.
 */
const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const count = z.number().int().nonnegative();
/** Row ids and keyed hashes as the vault stores them: printable, short. */
const field = z.string().max(200);

/** One row: table, id, extra fields (records: kind and owner; blobs: tag), fingerprint, pack, offset, length. */
export const putEntrySchema = z.tuple([
  z.enum(TABLE_CODES),
  field,
  field,
  field,
  z.string().max(64),
  count,
  count,
  count,
]);
export type PutEntry = z.infer<typeof putEntrySchema>;

export const runIndexSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  set: hex(16),
  vault: hex(16),
  seq: z.number().int().positive(),
  /** Random: names this run wherever its file is copied or renamed (the vault remembers it). */
  run: hex(16),
  /** BLAKE2b-256 of the previous run's whole file; null for the first run. */
  prev: hex(32).nullable(),
  createdAt: z.string().max(40),
  /** The vault's custody-log head when the run was read: how many entries, and the last one's hash. */
  logHead: z.object({ count, lastHash: z.string().max(128) }),
  /** The packs this run wrote (its `put` entries point into them by position). */
  packs: z.array(z.object({ id: hex(16), size: count, hash: hex(32) })),
  put: z.array(putEntrySchema),
  delete: z.array(z.tuple([z.enum(TABLE_CODES), field])),
  /** The whole state after this run: rows, bytes and digest (state.ts). */
  state: z.object({ rows: count, bytes: count, digest: hex(32) }),
  /** Set on the first run a prune writes (its `prev` is null): the run number the pruned runs end at. */
  rebase: z.object({ end: z.number().int().positive() }).optional(),
  /** Set on each run a prune writes: the run (number and file hash) it stands for. */
  was: z.object({ seq: z.number().int().positive(), hash: hex(32) }).optional(),
  /** The run's recovery tag (recovery-tag.ts), when the vault that wrote it held its recovery key's tag key. */
  recoveryTag: hex(32).optional(),
});
export type RunIndex = z.infer<typeof runIndexSchema>;

export const rowKey = (table: TableCode, id: string): string => `${table}:${id}`;
