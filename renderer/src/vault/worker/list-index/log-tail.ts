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

/** Row ids kept: more than the home screen shows, so a few entries lost to a check still leave enough. */
export const LOG_TAIL_LENGTH = 50;

export interface LogTailHost {
  db: VaultDatabase;
  rowId(): string;
  seal(rowId: string, value: { ids: string[] }): RecordRow;
  /** Opens the tail row (throws if it does not open). */
  open(row: RecordRow): unknown;
}

function idsOf(value: unknown): string[] | undefined {
  const ids = (value as { ids?: unknown } | null)?.ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
}

export class LogTail {
  constructor(private readonly host: LogTailHost) {}

  /** The ids the tail holds, oldest first, or undefined when there is none that opens. */
  async ids(): Promise<{ ids: string[]; row: RecordRow } | undefined> {
    const row = await this.host.db.records.get(this.host.rowId());
    if (!row) return undefined;
    try {
      const ids = idsOf(this.host.open(row));
      return ids && { ids, row };
    } catch {
      return undefined;
    }
  }

  /** The tail row holding the last of `ids` (oldest first). */
  rowFor(ids: readonly string[]): RecordRow {
    return this.host.seal(this.host.rowId(), { ids: ids.slice(-LOG_TAIL_LENGTH) });
  }

  /**
   * Inside a commit's transaction: the tail with `appended` (new log row ids,
   * in chain order) added, or removed (`drop`, or a tail that does not open).
   * With no tail stored nothing is written: the next reader builds it.
   */
  async changesFor(appended: readonly string[], drop: boolean): Promise<{ put: RecordRow[]; remove: string[] }> {
    if (!drop && appended.length === 0) return { put: [], remove: [] };
    const row = await this.host.db.records.get(this.host.rowId());
    if (!row) return { put: [], remove: [] };
    if (drop) return { put: [], remove: [row.id] };
    let ids: string[] | undefined;
    try {
      ids = idsOf(this.host.open(row));
    } catch {
      ids = undefined;
    }
    return ids ? { put: [this.rowFor([...ids, ...appended])], remove: [] } : { put: [], remove: [row.id] };
  }
}
