import type { RecordOf } from '../../record-kinds';
import { rowNames } from '../../row-ids';
import type { RecordRow } from '../../storage/database';
import type { VaultStore } from '../../vault-store';
import type { ShardSource } from './term-shard-db';

/** What is kept in shards: the two indexes' terms (words, and Khmer skeleton pieces), and the catalogue's
 * pieces (catalogue-codec.ts; slot: the piece's number). */
export type ShardSpace = 'words' | 'khmer' | 'entries';

/** A record's byte fields hold at most 64 KiB each, 16 to a record (crypto/key-bytes.ts): a larger shard is split. */
const FIELD_BYTES = 0xffff;
const FIELDS = 16;
const PART_BYTES = FIELD_BYTES * FIELDS;

const rowId = (store: VaultStore, space: ShardSpace, slot: number, part: number) =>
  store.blind(space === 'entries' ? rowNames.searchPiece(slot, part) : rowNames.searchShard(space, slot, part));

/** The record kind a space's rows are: catalogue pieces apart from term shards (a deletion drops them at once). */
export const kindOfSpace = (space: ShardSpace): ShardKind => (space === 'entries' ? 'search-piece' : 'search-shard');

export type ShardKind = 'search-shard' | 'search-piece';

/** A stored shard row to delete. */
export interface ShardRowRef {
  table: ShardKind;
  caseId: null;
  id: string;
}

/** Every stored term shard and catalogue piece row, of any index (listed by kind, none opened). */
export async function storedShardRows(store: VaultStore): Promise<ShardRowRef[]> {
  const rows: ShardRowRef[] = [];
  for (const table of ['search-shard', 'search-piece'] as const)
    for (const id of await store.vaultRowIds(table)) rows.push({ table, caseId: null, id });
  return rows;
}

/**
 * One index's term shards, or the catalogue's pieces, as vault records
 * (kind `search-shard`, or `search-piece`: `kindOfSpace`), sealed with the
 * records key, row ids keyed hashes of space, slot and part.
 * Until the index is first stored from scratch (`stored` false), nothing is
 * read: rows left by an earlier index must not be merged into a new one.
 */
export class StoredShards implements ShardSource {
  /** How many parts each slot's stored shard has, as last read or written (0: none). */
  private readonly parts = new Map<number, number>();

  constructor(
    private readonly store: VaultStore,
    readonly space: ShardSpace,
    public stored: boolean,
  ) {}

  async read(slots: readonly number[]): Promise<Map<number, Uint8Array>> {
    const found = new Map<number, Uint8Array>();
    if (!this.stored || slots.length === 0) return found;
    const firsts = await this.store.findManyInVault(
      kindOfSpace(this.space),
      slots.map((slot) => rowId(this.store, this.space, slot, 0)),
    );
    const pieces = new Map<number, Uint8Array[]>();
    const more: [number, number][] = [];
    for (const slot of slots) {
      const first = firsts.get(rowId(this.store, this.space, slot, 0));
      if (!first || first.slot !== slot || first.space !== this.space || first.part !== 0) {
        this.parts.set(slot, 0);
        continue;
      }
      this.parts.set(slot, first.parts);
      pieces.set(slot, [bytesOf(first)]);
      for (let part = 1; part < first.parts; part++) more.push([slot, part]);
    }
    if (more.length > 0) {
      const rest = await this.store.findManyInVault(
        kindOfSpace(this.space),
        more.map(([slot, part]) => rowId(this.store, this.space, slot, part)),
      );
      for (const [slot, part] of more) {
        const row = rest.get(rowId(this.store, this.space, slot, part));
        // A missing or misplaced part: the shard is damaged, and read as none (a search then misses its terms
        // until the index is rebuilt; the integrity map reports a damaged row).
        if (!row || row.slot !== slot || row.part !== part || row.space !== this.space) pieces.delete(slot);
        else pieces.get(slot)?.push(bytesOf(row));
      }
    }
    for (const [slot, list] of pieces) found.set(slot, join(list));
    return found;
  }

  /**
   * The rows that store these shards' bytes (an empty shard: none), and
   * the ids of rows they replace that are not rewritten (a shard that
   * shrank, or emptied). `remember` records the new part counts once the
   * rows are committed.
   */
  async rowsFor(
    shards: ReadonlyMap<number, Uint8Array>,
  ): Promise<{ put: RecordRow[]; remove: ShardRowRef[]; remember: () => void }> {
    const put: RecordRow[] = [];
    const remove: ShardRowRef[] = [];
    const table = kindOfSpace(this.space);
    const counts = new Map<number, number>();
    for (const [slot, bytes] of shards) {
      const parts = bytes.byteLength === 0 ? 0 : Math.ceil(bytes.byteLength / PART_BYTES);
      counts.set(slot, parts);
      for (let part = 0; part < parts; part++) {
        const value: Record<string, unknown> = { space: this.space, slot, part, parts };
        const piece = bytes.subarray(part * PART_BYTES, (part + 1) * PART_BYTES);
        for (let field = 0; field * FIELD_BYTES < piece.byteLength; field++)
          value[`b${field}`] = piece.subarray(field * FIELD_BYTES, (field + 1) * FIELD_BYTES);
        const id = rowId(this.store, this.space, slot, part);
        put.push(await this.store.seal(kindOfSpace(this.space), null, id, value as RecordOf<'search-shard'>));
      }
      // Only a stored index has rows to replace; a new one's first store removes every earlier row itself.
      const before = this.stored ? (this.parts.get(slot) ?? 0) : 0;
      for (let part = parts; part < before; part++)
        remove.push({ table, caseId: null, id: rowId(this.store, this.space, slot, part) });
    }
    return {
      put,
      remove,
      remember: () => {
        for (const [slot, parts] of counts) this.parts.set(slot, parts);
        this.stored = true;
      },
    };
  }
}

function bytesOf(row: Record<string, unknown>): Uint8Array {
  const fields: Uint8Array[] = [];
  for (let field = 0; field < FIELDS; field++) {
    const bytes = row[`b${field}`];
    if (!(bytes instanceof Uint8Array)) break;
    fields.push(bytes);
  }
  return join(fields);
}

function join(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}
