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
 * them. Shard rows are records rows, so the integrity map vouches for them
 * like any other: an older shard put back reads as not current, and the list
 * is then built again from the records themselves.
 *
 * Whatever the commit cannot follow makes the index go, not lie: a row of a
 * listed kind written without an entry (a row copied as ciphertext), a shard
 * that does not open or is of another version, or a re-key (its shards would
 * name rows by ids the re-key changes) removes that kind's shards in the same
 * transaction; the next list reads every record, and writes the index again
 * (`rowsFor`) only if nothing changed meanwhile and nothing was damaged.
 */
import type { RecordRow, VaultDatabase } from '../storage/database';
import { LISTED_KINDS, listEntryOf, type ListEntryOfKind, type ListedKind } from '../record-kinds';

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

/** What the store lends the index: its database, names and keys stay the store's. */
export interface ListIndexHost {
  db: VaultDatabase;
  /** The row id of a shard (a keyed hash). */
  shardRowId(kind: ListedKind, shard: number): string;
  /** The stored (keyed) name of a record kind. */
  kindName(kind: ListedKind): string;
  seal(rowId: string, shard: ListIndexShard): RecordRow;
  /** Opens a shard row (throws if it does not open). */
  open(row: RecordRow): unknown;
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

export class ListIndex {
  private kindsByName: Map<string, ListedKind> | null = null;

  constructor(private readonly host: ListIndexHost) {}

  private listedKindOf(storedKind: string): ListedKind | undefined {
    this.kindsByName ??= new Map(LISTED_KINDS.map((kind) => [this.host.kindName(kind), kind]));
    return this.kindsByName.get(storedKind);
  }

  private shardIds(kind: ListedKind): string[] {
    return Array.from({ length: LIST_INDEX_SHARDS }, (_, shard) => this.host.shardRowId(kind, shard));
  }

  /** The shard rows of `kind` there are (removing an absent one would still rewrite its integrity bucket). */
  private async storedShardIds(kind: ListedKind): Promise<string[]> {
    const ids = this.shardIds(kind);
    const rows = await this.host.db.records.bulkGet(ids);
    return ids.filter((_, at) => rows[at] !== undefined);
  }

  /**
   * Every entry of `kind`, or undefined when its index is not there in full,
   * does not open, is of another version, or is not what the integrity map
   * holds: the caller then reads the records (and may write the index again).
   */
  async read<K extends ListedKind>(kind: K): Promise<{ caseId: string; entry: ListEntryOfKind<K> }[] | undefined> {
    const rows = await this.host.db.records.bulkGet(this.shardIds(kind));
    const entries: { caseId: string; entry: ListEntryOfKind<K> }[] = [];
    for (const [shard, row] of rows.entries()) {
      if (row === undefined) return undefined;
      let value: unknown;
      try {
        value = this.host.open(row);
      } catch {
        return undefined;
      }
      if (!isShard(value, kind, shard)) return undefined;
      for (const [, caseId, entry] of value.entries) entries.push({ caseId, entry: entry as ListEntryOfKind<K> });
    }
    return (await this.host.current(rows as RecordRow[])) ? entries : undefined;
  }

  /** The shard rows of a whole index of `kind`, made from these records (for a derived commit). */
  rowsFor<K extends ListedKind>(
    kind: K,
    records: readonly { id: string; caseId: string; value: unknown }[],
  ): RecordRow[] {
    const { version, of } = listEntryOf(kind);
    const shards = Array.from({ length: LIST_INDEX_SHARDS }, (): [string, string, unknown][] => []);
    for (const { id, caseId, value } of records) shards[shardOf(id)]!.push([id, caseId, of(value as never)]);
    return shards.map((entries, shard) =>
      this.host.seal(this.host.shardRowId(kind, shard), { kind, shard, version, entries }),
    );
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
    for (const kind of drop) remove.push(...(await this.storedShardIds(kind)));
    for (const [kind, byShard] of edits) {
      if (drop.has(kind)) continue;
      const rewritten: RecordRow[] = [];
      let unusable = false;
      for (const [shard, byId] of byShard) {
        const rowId = this.host.shardRowId(kind, shard);
        const row = await this.host.db.records.get(rowId);
        // No index of this kind (never built, or dropped): nothing to follow; the next list builds it.
        if (row === undefined) continue;
        let value: unknown;
        try {
          value = this.host.open(row);
        } catch {
          value = undefined;
        }
        if (!isShard(value, kind, shard)) {
          unusable = true;
          break;
        }
        const entries = value.entries.filter(([id]) => !byId.has(id));
        for (const [id, change] of byId) if (change) entries.push([id, change[0], change[1]]);
        rewritten.push(this.host.seal(rowId, { ...value, entries }));
      }
      if (unusable) remove.push(...(await this.storedShardIds(kind)));
      else put.push(...rewritten);
    }
    return { put, remove };
  }
}
