/**
 * The sealed list index (issue 18): for each listed kind (cases, documents,
 * hearings, annotated pages), the entry every record shows in the vault-wide
 * lists, in a fixed number of shards, each sealed with the records key as
 * one `list-index` row. Opening a list reads those rows, not every record:
 * at 50,000 documents, 64 rows instead of 50,000.
 *
 * It is kept true by the store's commit, in the same transaction as the
 * records it reflects (VaultStore.commitNow calls `changesFor`): a record
 * sealed through the store's typed door (`seal`) carries its entry, and the
 * shards its id falls in are rewritten with it; a deleted record leaves
 * them. Each kind's summary row (what the home screen counts) names the
 * envelope tag of every shard as last written, and the integrity map vouches
 * for the summary like any records row: an older shard or summary put back
 * is not used, and the list is then built again from the records themselves.
 *
 * Whatever the commit cannot follow makes the index go, not lie: a row of a
 * listed kind written without an entry (a row copied as ciphertext), a shard
 * that does not open or is of another version, or a re-key (its shards would
 * name rows by ids the re-key changes) removes that kind's shards in the same
 * transaction; the next list reads every record, and writes the index again
 * (`rowsFor`) only if nothing changed meanwhile and nothing was damaged.
 */
import { envelopeTag } from '../crypto/envelope';
import type { RecordRow, VaultDatabase } from '../storage/database';
import {
  LISTED_KINDS,
  listEntryOf,
  type ListEntryOfKind,
  type ListSummaryOfKind,
  type ListedKind,
} from '../record-kinds';

/** Shards per listed kind: a commit rewrites the few its ids fall in (at 50,000 documents, about 800 entries each). */
export const LIST_INDEX_SHARDS = 64;

/** A stored shard: [row id, case id, entry] per listed record. */
export interface ListIndexShard {
  kind: string;
  shard: number;
  version: number;
  entries: [string, string, unknown][];
}

/** The shard of a row id: FNV-1a over its UTF-16 code units (ids are visible anyway). */
export function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < id.length; at++) {
    hash ^= id.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % LIST_INDEX_SHARDS;
}

/**
 * A stored summary of a listed kind (list-entries.ts, ListSummaryOf), and
 * the root of its index: the envelope tag (random nonce, new at every write)
 * of each shard as last written. The integrity map vouches for this row; this
 * row vouches for the shards, so a list checks one row against the map, not
 * 64 (each in a bucket of its own to open after an unlock).
 */
export interface ListIndexSummary {
  kind: string;
  version: number;
  summary: unknown;
  shards: string[];
}

/** The two kinds of row the index is made of. */
type IndexTable = 'list-index' | 'list-summary';

/** What the store lends the index: its database, names and keys stay the store's. */
export interface ListIndexHost {
  db: VaultDatabase;
  /** The row id of a shard (a keyed hash). */
  shardRowId(kind: ListedKind, shard: number): string;
  /** The row id of a kind's summary (a keyed hash). */
  summaryRowId(kind: ListedKind): string;
  /** The stored (keyed) name of a record kind. */
  kindName(kind: ListedKind): string;
  seal(table: IndexTable, rowId: string, value: ListIndexShard | ListIndexSummary): RecordRow;
  /** Opens a row of the index (throws if it does not open). */
  open(table: IndexTable, row: RecordRow): unknown;
  /** Whether the integrity map holds each of these rows as current. */
  current(rows: readonly RecordRow[]): Promise<boolean>;
}

/** A record's entry, noted when the store seals its row and looked up when that row is committed. */
const noted = new WeakMap<RecordRow, { caseId: string; entry: unknown }>();

export function noteListEntry(row: RecordRow, caseId: string, entry: unknown): void {
  noted.set(row, { caseId, entry });
}

function isShard(value: unknown, kind: ListedKind, shard: number): value is ListIndexShard {
  const candidate = value as Partial<ListIndexShard> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.kind === kind &&
    candidate.shard === shard &&
    candidate.version === listEntryOf(kind).version &&
    Array.isArray(candidate.entries)
  );
}

function isSummary(value: unknown, kind: ListedKind): value is ListIndexSummary {
  const candidate = value as Partial<ListIndexSummary> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.kind === kind &&
    candidate.version === listEntryOf(kind).version &&
    typeof candidate.summary === 'object' &&
    candidate.summary !== null &&
    Array.isArray(candidate.shards) &&
    candidate.shards.length === LIST_INDEX_SHARDS
  );
}

export class ListIndex {
  private kindsByName: Map<string, ListedKind> | null = null;

  constructor(private readonly host: ListIndexHost) {}

  private listedKindOf(storedKind: string): ListedKind | undefined {
    this.kindsByName ??= new Map(LISTED_KINDS.map((kind) => [this.host.kindName(kind), kind]));
    return this.kindsByName.get(storedKind);
  }

  /** Row ids by kind, worked out once (keyed hashes: the store's keys do not change while it lives). */
  private readonly rowIds = new Map<ListedKind, { shards: string[]; summary: string }>();

  private idsOf(kind: ListedKind): { shards: string[]; summary: string } {
    let ids = this.rowIds.get(kind);
    if (!ids) {
      ids = {
        shards: Array.from({ length: LIST_INDEX_SHARDS }, (_, shard) => this.host.shardRowId(kind, shard)),
        summary: this.host.summaryRowId(kind),
      };
      this.rowIds.set(kind, ids);
    }
    return ids;
  }

  private shardIds(kind: ListedKind): string[] {
    return this.idsOf(kind).shards;
  }

  /** The rows of `kind`'s index there are (removing an absent one would still rewrite its integrity bucket). */
  private async storedRowIds(kind: ListedKind): Promise<string[]> {
    const ids = [...this.shardIds(kind), this.idsOf(kind).summary];
    const rows = await this.host.db.records.bulkGet(ids);
    return ids.filter((_, at) => rows[at] !== undefined);
  }

  /**
   * Every entry of `kind`, or undefined when its index is not there in full,
   * does not open, is of another version, or is not what the integrity map
   * holds: the caller then reads the records (and may write the index again).
   */
  async read<K extends ListedKind>(kind: K): Promise<{ caseId: string; entry: ListEntryOfKind<K> }[] | undefined> {
    const summaryRowId = this.idsOf(kind).summary;
    const [summaryRow, ...rows] = await this.host.db.records.bulkGet([summaryRowId, ...this.shardIds(kind)]);
    const root = summaryRow && this.opened('list-summary', summaryRow);
    if (!summaryRow || !isSummary(root, kind)) return undefined;
    const entries: { caseId: string; entry: ListEntryOfKind<K> }[] = [];
    for (const [shard, row] of rows.entries()) {
      // The shard the summary names, and no other (an older copy put back has another tag).
      if (row === undefined || envelopeTag(row.env) !== root.shards[shard]) return undefined;
      const value = this.opened('list-index', row);
      if (!isShard(value, kind, shard)) return undefined;
      for (const [, caseId, entry] of value.entries) entries.push({ caseId, entry: entry as ListEntryOfKind<K> });
    }
    return (await this.host.current([summaryRow])) ? entries : undefined;
  }

  /** A row of the index opened, or undefined if it does not open. */
  private opened(table: IndexTable, row: RecordRow): unknown {
    try {
      return this.host.open(table, row);
    } catch {
      return undefined;
    }
  }

  /**
   * The summary of `kind` (what the home screen counts), or undefined when
   * it is not there, does not open, is of another version, or is not what the
   * integrity map holds.
   */
  async summary<K extends ListedKind>(kind: K): Promise<ListSummaryOfKind<K> | undefined> {
    const row = await this.host.db.records.get(this.idsOf(kind).summary);
    const value = row && this.opened('list-summary', row);
    if (!row || !isSummary(value, kind) || !(await this.host.current([row]))) return undefined;
    return value.summary as ListSummaryOfKind<K>;
  }

  /** The summary of these entries, made afresh. */
  summarise<K extends ListedKind>(kind: K, entries: Iterable<ListEntryOfKind<K>>): ListSummaryOfKind<K> {
    const { summary } = listEntryOf(kind);
    const made = summary.empty();
    for (const entry of entries) summary.add(made, entry, 1);
    return made;
  }

  /** The rows of a whole index of `kind`, shards and summary, made from these records (for a derived commit). */
  rowsFor<K extends ListedKind>(
    kind: K,
    records: readonly { id: string; caseId: string; value: unknown }[],
  ): RecordRow[] {
    const { version, of } = listEntryOf(kind);
    const shards = Array.from({ length: LIST_INDEX_SHARDS }, (): [string, string, unknown][] => []);
    const entries: ListEntryOfKind<K>[] = [];
    for (const { id, caseId, value } of records) {
      const entry = of(value as never);
      entries.push(entry);
      shards[shardOf(id)]!.push([id, caseId, entry]);
    }
    const shardRows = shards.map((shardEntries, shard) =>
      this.host.seal('list-index', this.shardIds(kind)[shard]!, {
        kind,
        shard,
        version,
        entries: shardEntries,
      }),
    );
    return [
      ...shardRows,
      this.host.seal('list-summary', this.idsOf(kind).summary, {
        kind,
        version,
        summary: this.summarise(kind, entries),
        shards: shardRows.map((row) => envelopeTag(row.env)),
      }),
    ];
  }

  /**
   * Inside a commit's transaction: the shard rows to write and the ones to
   * remove so the index follows `puts` and the rows being deleted (as read
   * before deletion). `dropAll`: remove every index (a re-key begins).
   */
  async changesFor(
    puts: readonly RecordRow[],
    deleted: readonly (RecordRow | undefined)[],
    dropAll: boolean,
  ): Promise<{ put: RecordRow[]; remove: string[] }> {
    const drop = new Set<ListedKind>(dropAll ? LISTED_KINDS : []);
    /** Per kind, per shard: entries to set (id → [case, entry]) or remove (id → null). */
    const edits = new Map<ListedKind, Map<number, Map<string, [string, unknown] | null>>>();
    const edit = (kind: ListedKind, id: string, value: [string, unknown] | null) => {
      const byShard = edits.get(kind) ?? new Map<number, Map<string, [string, unknown] | null>>();
      edits.set(kind, byShard);
      const shard = shardOf(id);
      const byId = byShard.get(shard) ?? new Map<string, [string, unknown] | null>();
      byShard.set(shard, byId);
      byId.set(id, value);
    };
    for (const row of deleted) {
      const kind = row && this.listedKindOf(row.kind);
      if (kind) edit(kind, row.id, null);
    }
    for (const row of puts) {
      const kind = this.listedKindOf(row.kind);
      if (!kind) continue;
      const entry = noted.get(row);
      if (entry) edit(kind, row.id, [entry.caseId, entry.entry]);
      else drop.add(kind);
    }

    const put: RecordRow[] = [];
    const remove: string[] = [];
    for (const kind of drop) remove.push(...(await this.storedRowIds(kind)));
    const kinds = [...edits].filter(([kind]) => !drop.has(kind));
    const followed = await Promise.all(kinds.map(([kind, byShard]) => this.follow(kind, byShard)));
    for (const [at, rows] of followed.entries()) {
      if (Array.isArray(rows)) put.push(...rows);
      // Unusable: what is left of it goes; the next list builds it again.
      else if (rows === undefined) remove.push(...(await this.storedRowIds(kinds[at]![0])));
    }
    return { put, remove };
  }

  /**
   * The rows of `kind`'s index rewritten with `byShard`'s edits, its summary
   * moved by them and naming the new shards, or undefined when the index is
   * not there in full or is unusable (a row that does not open, of another
   * version, a shard that is not the one the summary names, or a summary the
   * integrity map does not hold: a commit must not make an older copy current
   * again).
   */
  private async follow(
    kind: ListedKind,
    byShard: Map<number, Map<string, [string, unknown] | null>>,
  ): Promise<RecordRow[] | 'none' | undefined> {
    const { summary: summaryOf, version } = listEntryOf(kind);
    const summaryRowId = this.idsOf(kind).summary;
    // The summary and the shards to rewrite in one read (inside a commit, every round trip counts).
    const edited = [...byShard.keys()];
    const [summaryRow, ...shardRows] = await this.host.db.records.bulkGet([
      summaryRowId,
      ...edited.map((shard) => this.shardIds(kind)[shard]!),
    ]);
    // No index of this kind (never built, or dropped): nothing to follow; the next list builds it whole.
    if (!summaryRow) return 'none';
    const root = this.opened('list-summary', summaryRow);
    if (!isSummary(root, kind)) return undefined;
    const summary = root.summary as ListSummaryOfKind<ListedKind>;
    const shards = [...root.shards];
    const put: RecordRow[] = [];
    for (const [at, shard] of edited.entries()) {
      const byId = byShard.get(shard)!;
      const rowId = this.shardIds(kind)[shard]!;
      const row = shardRows[at];
      if (row === undefined || envelopeTag(row.env) !== shards[shard]) return undefined;
      const value = this.opened('list-index', row);
      if (!isShard(value, kind, shard)) return undefined;
      const entries: [string, string, unknown][] = [];
      for (const stored of value.entries) {
        if (!byId.has(stored[0])) entries.push(stored);
        else summaryOf.add(summary, stored[2] as never, -1);
      }
      for (const [id, change] of byId)
        if (change) {
          entries.push([id, change[0], change[1]]);
          summaryOf.add(summary, change[1] as never, 1);
        }
      const rewritten = this.host.seal('list-index', rowId, { ...value, entries });
      shards[shard] = envelopeTag(rewritten.env);
      put.push(rewritten);
    }
    if (!(await this.host.current([summaryRow]))) return undefined;
    put.push(this.host.seal('list-summary', summaryRowId, { kind, version, summary, shards }));
    return put;
  }
}
