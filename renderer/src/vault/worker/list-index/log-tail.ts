/**
 * The custody log's last row ids, oldest first, as one sealed `log-tail`
 * row: the home screen shows the latest entries without opening the whole
 * log (270,000 entries in a coordinator's vault). Log rows have random ids
 * and their order is sealed inside them, so without this the only way to the
 * newest is through every row.
 *
 * Kept by the commit that appends the entries (VaultStore.commitNow); the
 * store checks what it names against the chain before showing it (the
 * entries must end at the head the integrity map binds, each linked to the
 * one before), and reads the whole log instead whenever that fails.
 */
import type { RecordRow, VaultDatabase } from '../storage/database';

/** Rows kept: more than the home screen shows, so a few entries lost to a check still leave enough. */
export const LOG_TAIL_LENGTH = 50;

/**
 * One log row as the tail names it: its id, and the case its entry is about
 * ('' for a vault-wide entry). The entry's details are sealed with that case's
 * key; naming the case here (sealed too) lets the home screen open those few
 * keys, not every case's to find which one the entry's tag belongs to.
 */
export type TailRow = [rowId: string, caseId: string];

export interface LogTailHost {
  db: VaultDatabase;
  rowId(): string;
  seal(rowId: string, value: { rows: TailRow[] }): RecordRow;
  /** Opens the tail row (throws if it does not open). */
  open(row: RecordRow): unknown;
  /** Whether the integrity map holds this row as current. */
  current(row: RecordRow): Promise<boolean>;
}

function rowsOf(value: unknown): TailRow[] | undefined {
  const rows = (value as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) &&
    rows.every(
      (row) => Array.isArray(row) && row.length === 2 && typeof row[0] === 'string' && typeof row[1] === 'string',
    )
    ? (rows as TailRow[])
    : undefined;
}

export class LogTail {
  constructor(private readonly host: LogTailHost) {}

  private opened(row: RecordRow): TailRow[] | undefined {
    try {
      return rowsOf(this.host.open(row));
    } catch {
      return undefined;
    }
  }

  /** The log rows the tail names, oldest first, or undefined when there is none that opens. */
  async rows(): Promise<{ rows: TailRow[]; row: RecordRow } | undefined> {
    const row = await this.host.db.records.get(this.host.rowId());
    const rows = row && this.opened(row);
    return rows && row && { rows, row };
  }

  /** The tail row naming the last of `rows` (oldest first). */
  rowFor(rows: readonly TailRow[]): RecordRow {
    return this.host.seal(this.host.rowId(), { rows: rows.slice(-LOG_TAIL_LENGTH) });
  }

  /**
   * Inside a commit's transaction: the tail with `appended` (new log rows,
   * in chain order) added, or removed (`drop`, or a tail that does not open
   * or is not the one the integrity map holds: a commit must not make an
   * older copy current again). Cases deleted in this commit are named no
   * more: a deleted case's id must not outlive its key (threat model, "What a
   * passphrase holder sees of a deleted case"). With no tail stored nothing
   * is written: the next reader builds it.
   */
  async changesFor(
    appended: readonly TailRow[],
    deletedCases: ReadonlySet<string>,
    drop: boolean,
  ): Promise<{ put: RecordRow[]; remove: string[] }> {
    if (!drop && appended.length === 0) return { put: [], remove: [] };
    const row = await this.host.db.records.get(this.host.rowId());
    if (!row) return { put: [], remove: [] };
    const rows = drop ? undefined : this.opened(row);
    if (!rows || !(await this.host.current(row))) return { put: [], remove: [row.id] };
    const named = [...rows, ...appended].map(([id, caseId]): TailRow => [id, deletedCases.has(caseId) ? '' : caseId]);
    return { put: [this.rowFor(named)], remove: [] };
  }
}
