import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { envelopeSchemaVersion, envelopeTag, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { blindIndex, randomId, wipeKeys, type VaultKeys } from './crypto/keys';
import { randomBytes } from './crypto/random';
import {
  EMPTY_HEAD,
  detailCommitment,
  isReducedEntry,
  isSealedEntry,
  nextEntry,
  nextSealedEntry,
  verifyChain,
  type CaseDetail,
  type CustodyEntry,
  type CustodyEntryInput,
  type LogEntryView,
  type LogHead,
  type LogVerdict,
  type ReducedEntry,
  type SealedEntry,
  type StoredEntry,
} from './custody-log';
import { deleteChunksOf } from './blob-store';
import { upgradeRecord, type MigrationTable } from './migrations';
import type { VaultHeader } from './crypto/header';
import type { BlobRow, RecordRow, VaultDatabase } from './storage/database';
import {
  RECORD_KINDS,
  RECORD_MIGRATIONS,
  type CaseRecordKind,
  type RecordKind,
  type RecordOf,
  type VaultRecordKind,
} from './record-kinds';

export { RECORD_MIGRATIONS };

/** A record kind's stored name (the registry's keys). */
export type LogicalTable = RecordKind;
const schemaVersion = (table: LogicalTable): number => RECORD_KINDS[table].migrations.current;

export interface StoredRecord {
  id: string;
  value: unknown;
}

/** Rows found by a scan: every row's tag, the ones decrypted, and the ones that failed to open. */
export interface TaggedRecords {
  tags: Map<string, string>;
  changed: (StoredRecord & { caseId: string; table: LogicalTable })[];
  damaged: string[];
}

/**
 * A stored record named by everything it must be: its table, the case it
 * belongs to (null: vault-wide) and its id. `table: '*'` matches any table
 * (deleting every row of a case). Deleting by id alone could remove another
 * case's row, so deletions are refs.
 */
export interface RecordRef {
  table: LogicalTable | '*';
  caseId: string | null;
  id: string;
}

/** Writes made together: all of them land, or none. A put or a delete whose id is already stored under
 * another table or case is refused (`record-owner-mismatch`) and nothing lands. */
export interface VaultChange {
  put?: RecordRow[];
  delete?: RecordRef[];
  putBlobs?: BlobRow[];
  /** Blobs to remove together with all their chunks. */
  deleteBlobs?: string[];
  /** A new vault header (passphrase change, recovery, creation), written in the same transaction. */
  header?: VaultHeader;
  log?: CustodyEntryInput[];
  /** Only data derived from records (the search snapshot): not counted in `commits`. */
  derived?: boolean;
  /** Refused (`stale`) if any counted commit landed after `commits` had this value. */
  unlessChangedSince?: number;
}

const LOG_HEAD_ID = 'log-head';
/** Counted commits whose changed row ids are remembered (rowsChangedSince). */
const JOURNAL_COMMITS = 1000;

/** What the search snapshot's pointer row id is a keyed hash of (search/search-snapshot.ts). */
export const SEARCH_SNAPSHOT_POINTER = 'search-snapshot';
/**
 * A snapshot blob's tag is a keyed hash of this and the blob's own random id
 * (searchSnapshotBlobTag): unlike one tag shared by every snapshot, it
 * looks like any document's content tag to someone with the disk, differs
 * from one snapshot to the next, and is still recognised, with the key, from
 * the row alone (no pointer needed). Earlier versions tagged every snapshot
 * blob with the keyed hash of this constant itself; those are found too.
 */
export const SEARCH_SNAPSHOT_BLOB = 'search-snapshot-blob';
export const searchSnapshotBlobTag = (blobId: string): string => `${SEARCH_SNAPSHOT_BLOB}:${blobId}`;

/**
 * Ids of every search snapshot blob, whatever the pointer says (damaged, or
 * left by a crash or a second window): one pass over the blob table's tag
 * index keys, no row read or opened. `blind` is the vault's keyed hash.
 */
export async function searchSnapshotBlobIds(db: VaultDatabase, blind: (value: string) => string): Promise<string[]> {
  const constant = blind(SEARCH_SNAPSHOT_BLOB);
  const ids: string[] = [];
  await db.blobs.orderBy('tag').eachKey((tag, cursor) => {
    const id = String(cursor.primaryKey);
    if (tag !== '' && (tag === constant || tag === blind(searchSnapshotBlobTag(id)))) ids.push(id);
  });
  return ids;
}

/**
 * The unlocked vault's encrypted record store: the one place where records
 * are sealed, opened and written. Records that belong to a case are sealed
 * with that case's own key, so deleting the case's key makes whatever
 * ciphertext lingers on disk unreadable.
 */
export class VaultStore {
  private readonly caseKeys = new Map<string, Uint8Array>();
  private logHead: LogHead = EMPTY_HEAD;
  private commitQueue: Promise<unknown> = Promise.resolve();
  /** Set when the log head cannot be read: changes that need a log entry are refused. */
  private logBroken = false;

  private constructor(
    private readonly db: VaultDatabase,
    private readonly migrations: MigrationTable,
    private keys: VaultKeys | null,
    /** Who the custody log names as actor (the vault id until identities exist). */
    private readonly actor: string,
  ) {}

  static async open(
    db: VaultDatabase,
    keys: VaultKeys,
    actor: string,
    migrations: MigrationTable = RECORD_MIGRATIONS,
  ): Promise<VaultStore> {
    const store = new VaultStore(db, migrations, keys, actor);
    const generation = await db.meta.get('records-generation');
    store.generation = generation?.id === 'records-generation' ? generation.value : '';
    try {
      store.logHead = (await store.readLogHead()) ?? EMPTY_HEAD;
    } catch {
      // A damaged log head must not lock the user out of their evidence:
      // the vault opens read-only for the log, and verification says why.
      store.logBroken = true;
    }
    return store;
  }

  private get liveKeys(): VaultKeys {
    if (!this.keys) throw new VaultError('locked', 'The vault is locked.');
    return this.keys;
  }

  blind(value: string): string {
    return blindIndex(this.liveKeys.blindIndex, value);
  }

  private readonly kinds = new Map<LogicalTable, string>();

  /** The blind index of a table name, computed once per session. */
  private kindOf(table: LogicalTable): string {
    let kind = this.kinds.get(table);
    if (kind === undefined) {
      kind = this.blind(`table:${table}`);
      this.kinds.set(table, kind);
    }
    return kind;
  }

  private ownerOf(caseId: string): string {
    return this.blind(`case:${caseId}`);
  }

  private caseKeyRowId(caseId: string): string {
    return this.blind(`case-key:${caseId}`);
  }

  // ── sealing ──────────────────────────────────────────────────────────────

  sealVaultRecord(table: LogicalTable, id: string, value: unknown): RecordRow {
    const env = sealJson(this.liveKeys.records, { table, id }, schemaVersion(table), value);
    return { id, kind: this.kindOf(table), owner: '', env };
  }

  /** A new case key and the row that stores it (sealed with the records key). */
  newCaseKey(caseId: string): RecordRow {
    const key = randomBytes(32);
    this.caseKeys.set(caseId, key);
    return this.sealVaultRecord('case-key', this.caseKeyRowId(caseId), { caseId, key: sodium.to_base64(key) });
  }

  private async caseKey(caseId: string): Promise<Uint8Array> {
    const cached = this.caseKeys.get(caseId);
    if (cached) return cached;
    const value = await this.readVaultRecord('case-key', this.caseKeyRowId(caseId));
    if (!value || typeof (value as { key?: unknown }).key !== 'string')
      throw new VaultError('not-found', 'This case no longer exists.');
    const key = sodium.from_base64((value as { key: string }).key);
    this.caseKeys.set(caseId, key);
    return key;
  }

  async sealCaseRecord(caseId: string, table: LogicalTable, id: string, value: unknown): Promise<RecordRow> {
    const env = sealJson(await this.caseKey(caseId), { table, id }, schemaVersion(table), value);
    return { id, kind: this.kindOf(table), owner: this.ownerOf(caseId), env };
  }

  // ── typed records: the one door (record-kinds.ts) ─────────────────────────

  /**
   * Parses a value read as `kind` with its registry schema. A record that
   * fails, or whose own `id` or `caseId` field names another row or case
   * (a record moved under another id), reads as tampered.
   */
  private parse<K extends RecordKind>(kind: K, caseId: string | null, id: string, value: unknown): RecordOf<K> {
    const parsed = RECORD_KINDS[kind].schema.safeParse(value);
    const named = parsed.success ? (parsed.data as { id?: unknown; caseId?: unknown }) : null;
    if (
      named === null ||
      (typeof named.id === 'string' && named.id !== id) ||
      (caseId !== null && typeof named.caseId === 'string' && named.caseId !== caseId)
    )
      throw new VaultError('record-tampered', `A stored ${kind} record is malformed.`, kind);
    return named as RecordOf<K>;
  }

  /** The `kind` record `id` of a case (or of the vault, `caseId` null), parsed; undefined when there is none. */
  async find<K extends CaseRecordKind>(kind: K, caseId: string, id: string): Promise<RecordOf<K> | undefined>;
  async find<K extends VaultRecordKind>(kind: K, caseId: null, id: string): Promise<RecordOf<K> | undefined>;
  async find<K extends RecordKind>(kind: K, caseId: string | null, id: string): Promise<RecordOf<K> | undefined> {
    const value = caseId === null ? await this.readVaultRecord(kind, id) : await this.readCaseRecord(caseId, kind, id);
    return value === undefined ? undefined : this.parse(kind, caseId, id, value);
  }

  /** As `find`, but a missing record is a `not-found` error. */
  async read<K extends CaseRecordKind>(kind: K, caseId: string, id: string): Promise<RecordOf<K>>;
  async read<K extends VaultRecordKind>(kind: K, caseId: null, id: string): Promise<RecordOf<K>>;
  async read<K extends RecordKind>(kind: K, caseId: string | null, id: string): Promise<RecordOf<K>> {
    const value = await this.find(kind as CaseRecordKind, caseId as string, id);
    if (value === undefined) throw new VaultError('not-found', 'This item does not exist.', kind);
    return value as RecordOf<K>;
  }

  /** Every `kind` record of a case (or of the vault, `caseId` null), parsed. */
  async list<K extends CaseRecordKind>(kind: K, caseId: string): Promise<{ id: string; value: RecordOf<K> }[]>;
  async list<K extends VaultRecordKind>(kind: K, caseId: null): Promise<{ id: string; value: RecordOf<K> }[]>;
  async list<K extends RecordKind>(kind: K, caseId: string | null): Promise<{ id: string; value: RecordOf<K> }[]> {
    const rows = caseId === null ? await this.listVaultRecords(kind) : await this.listCaseRecords(caseId, kind);
    return rows.map(({ id, value }) => ({ id, value: this.parse(kind, caseId, id, value) }));
  }

  /** Every `kind` record of every case, parsed, with its case; records that fail to open or parse are reported. */
  async listAcrossCases<K extends CaseRecordKind>(
    kind: K,
  ): Promise<{ records: { id: string; caseId: string; value: RecordOf<K> }[]; damaged: string[] }> {
    const { records, damaged } = await this.listAllCaseRecords(kind);
    const parsed: { id: string; caseId: string; value: RecordOf<K> }[] = [];
    for (const record of records) {
      try {
        parsed.push({ ...record, value: this.parse(kind, record.caseId, record.id, record.value) });
      } catch {
        damaged.push(record.id);
      }
    }
    return { records: parsed, damaged };
  }

  /** The row that stores `value` as the `kind` record `id` of a case (or of the vault, `caseId` null). */
  async seal<K extends CaseRecordKind>(kind: K, caseId: string, id: string, value: RecordOf<K>): Promise<RecordRow>;
  async seal<K extends VaultRecordKind>(kind: K, caseId: null, id: string, value: RecordOf<K>): Promise<RecordRow>;
  async seal<K extends RecordKind>(kind: K, caseId: string | null, id: string, value: RecordOf<K>): Promise<RecordRow> {
    const owner = RECORD_KINDS[kind].owner;
    if ((caseId === null && owner === 'case') || (caseId !== null && owner === 'vault'))
      throw new VaultError(
        'invalid-input',
        `A ${kind} record belongs to ${owner === 'case' ? 'a case' : 'the vault'}.`,
      );
    // What would read as tampered is never written (a bundle's record that slipped past its checks, a bug).
    if (!RECORD_KINDS[kind].schema.safeParse(value).success)
      throw new VaultError('invalid-input', `Not a valid ${kind} record.`, kind);
    return caseId === null ? this.sealVaultRecord(kind, id, value) : this.sealCaseRecord(caseId, kind, id, value);
  }

  // ── reading ──────────────────────────────────────────────────────────────

  /** Opens an envelope and upgrades its value to the current schema. */
  private decode(key: Uint8Array, table: LogicalTable, id: string, env: Uint8Array): unknown {
    const value = openJson(key, { table, id }, env);
    return upgradeRecord(this.migrations, table, envelopeSchemaVersion(env), value, `${table} ${id}`);
  }

  async readVaultRecord(table: LogicalTable, id: string): Promise<unknown> {
    const key = this.liveKeys.records;
    const row = await this.db.records.get(id);
    if (!row || row.kind !== this.kindOf(table)) return undefined;
    return this.decode(key, table, id, row.env);
  }

  async listVaultRecords(table: LogicalTable): Promise<StoredRecord[]> {
    const rows = await this.db.records.where({ kind: this.kindOf(table), owner: '' }).toArray();
    return rows.map((row) => ({ id: row.id, value: this.decode(this.liveKeys.records, table, row.id, row.env) }));
  }

  async readCaseRecord(caseId: string, table: LogicalTable, id: string): Promise<unknown> {
    void this.liveKeys; // locked → throws before touching the database
    const row = await this.db.records.get(id);
    if (!row || row.kind !== this.kindOf(table) || row.owner !== this.ownerOf(caseId)) return undefined;
    return this.decode(await this.caseKey(caseId), table, id, row.env);
  }

  /** All records of one table that belong to one case. */
  async listCaseRecords(caseId: string, table: LogicalTable): Promise<StoredRecord[]> {
    const rows = await this.db.records.where({ kind: this.kindOf(table), owner: this.ownerOf(caseId) }).toArray();
    const key = await this.caseKey(caseId);
    return rows.map((row) => ({ id: row.id, value: this.decode(key, table, row.id, row.env) }));
  }

  /**
   * Loads every case key with one query (instead of one read per case). A
   * damaged key row is skipped, not fatal: its case's records then read as
   * damaged, every other case's as usual.
   */
  private async loadAllCaseKeys(): Promise<void> {
    const rows = await this.db.records.where({ kind: this.kindOf('case-key'), owner: '' }).toArray();
    for (const row of rows) {
      let value: { caseId?: unknown; key?: unknown };
      try {
        value = this.decode(this.liveKeys.records, 'case-key', row.id, row.env) as typeof value;
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        continue;
      }
      // A key row copied under another case's id is not that case's key.
      if (
        typeof value.caseId !== 'string' ||
        typeof value.key !== 'string' ||
        this.caseKeyRowId(value.caseId) !== row.id
      )
        continue;
      if (this.caseKeys.has(value.caseId)) continue;
      this.caseKeys.set(value.caseId, sodium.from_base64(value.key));
    }
  }

  /** All records of a table across cases, each with the case it belongs to. */
  async listAllCaseRecords(
    table: LogicalTable,
  ): Promise<{ records: (StoredRecord & { caseId: string })[]; damaged: string[] }> {
    const kind = this.kindOf(table);
    const rows = await this.db.records
      .where('[kind+owner]')
      .between([kind, Dexie.minKey], [kind, Dexie.maxKey])
      .toArray();
    // Rows name their case only by a keyed hash (owner); map it back through the known case keys.
    const caseIdByOwner = () => new Map([...this.caseKeys.keys()].map((caseId) => [this.ownerOf(caseId), caseId]));
    let owners = caseIdByOwner();
    if (rows.some((row) => !owners.has(row.owner))) {
      await this.loadAllCaseKeys();
      owners = caseIdByOwner();
    }
    // One damaged record must not hide all the others: it is reported, not thrown.
    const records: (StoredRecord & { caseId: string })[] = [];
    const damaged: string[] = [];
    for (const row of rows) {
      try {
        const caseId = owners.get(row.owner);
        if (caseId === undefined) throw new VaultError('not-found', 'A record belongs to no known case.');
        const key = await this.caseKey(caseId);
        records.push({ id: row.id, caseId, value: this.decode(key, table, row.id, row.env) });
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        damaged.push(row.id);
      }
    }
    return { records, damaged };
  }

  /**
   * Every row of these tables, each with a tag that changes whenever the row
   * is rewritten (its envelope's random nonce), decrypting only the rows
   * whose tag `isCurrent` does not accept: how derived data (the search
   * index) finds what changed without opening everything.
   */
  async scanCaseRecords(
    tables: readonly LogicalTable[],
    isCurrent: ((id: string, tag: string) => boolean) | Promise<(id: string, tag: string) => boolean>,
  ): Promise<TaggedRecords> {
    // Every table's rows are asked for at once; `isCurrent` may still be on its way meanwhile.
    const tablesRows = await Promise.all(
      tables.map((table) => {
        const kind = this.kindOf(table);
        return this.db.records.where('[kind+owner]').between([kind, Dexie.minKey], [kind, Dexie.maxKey]).toArray();
      }),
    );
    const current = await isCurrent;
    const tags = new Map<string, string>();
    const stale: { row: RecordRow; table: LogicalTable }[] = [];
    for (const [at, rows] of tablesRows.entries())
      for (const row of rows) {
        const tag = envelopeTag(row.env);
        tags.set(row.id, tag);
        if (!current(row.id, tag)) stale.push({ row, table: tables[at]! });
      }
    return this.openTagged(tags, stale);
  }

  /**
   * The rows with these ids that belong to these tables, decrypted, with
   * their tags; ids with no row are `missing`. Rows of other tables are left
   * out. The other half of `scanCaseRecords`, for when the changed ids are
   * known (rowsChangedSince).
   */
  async readCaseRecordsById(
    ids: readonly string[],
    tables: readonly LogicalTable[],
  ): Promise<TaggedRecords & { missing: string[] }> {
    const tableOfKind = new Map(tables.map((table) => [this.kindOf(table), table]));
    const rows = await this.db.records.bulkGet([...ids]);
    const tags = new Map<string, string>();
    const wanted: { row: RecordRow; table: LogicalTable }[] = [];
    const missing: string[] = [];
    for (const [at, row] of rows.entries()) {
      const table = row && tableOfKind.get(row.kind);
      if (!row) missing.push(ids[at]!);
      else if (table !== undefined) {
        tags.set(row.id, envelopeTag(row.env));
        wanted.push({ row, table });
      }
    }
    return { ...(await this.openTagged(tags, wanted)), missing };
  }

  /** Decrypts `rows`; one that fails is reported as damaged and loses its tag, so the next check tries it again. */
  private async openTagged(
    tags: Map<string, string>,
    rows: { row: RecordRow; table: LogicalTable }[],
  ): Promise<TaggedRecords> {
    const changed: TaggedRecords['changed'] = [];
    const damaged: string[] = [];
    const owners = rows.length > 0 ? await this.ownersToCases() : new Map<string, string>();
    for (const { row, table } of rows) {
      try {
        const caseId = owners.get(row.owner);
        if (caseId === undefined) throw new VaultError('not-found', 'A record belongs to no known case.');
        changed.push({
          id: row.id,
          caseId,
          table,
          value: this.decode(await this.caseKey(caseId), table, row.id, row.env),
        });
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        tags.delete(row.id);
        damaged.push(row.id);
      }
    }
    return { tags, changed, damaged };
  }

  /** Case ids by the keyed hash rows carry as owner, every case key loaded. */
  private async ownersToCases(): Promise<Map<string, string>> {
    await this.loadAllCaseKeys();
    return new Map([...this.caseKeys.keys()].map((caseId) => [this.ownerOf(caseId), caseId]));
  }

  // ── writing ──────────────────────────────────────────────────────────────

  /** Everything in `change` plus its custody-log entries, in one
   * transaction. Commits run one after another, so each chains its log
   * entries onto the head the previous one left. */
  commit(change: VaultChange): Promise<CustodyEntry[]> {
    const run = this.commitQueue.then(() => this.commitNow(change));
    this.commitQueue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(change: VaultChange): Promise<CustodyEntry[]> {
    const keys = this.liveKeys;
    if (change.unlessChangedSince !== undefined && change.unlessChangedSince !== this.commits)
      throw new VaultError('invalid-input', 'The vault changed since this was prepared.', 'stale');
    if (this.logBroken && change.log?.length)
      throw new VaultError('log-broken', 'The custody log is damaged; changes are refused until it is repaired.');
    const startHead = this.logHead;
    let head = startHead;
    const entries: CustodyEntry[] = [];
    const logRows: { id: string; env: Uint8Array }[] = [];
    for (const input of change.log ?? []) {
      // An entry about a case keeps only its place in the chain readable with the log key; the details are
      // sealed with the case's key (nextLogEntry).
      const { entry, stored } = await this.nextLogEntry(head, input);
      head = { count: entry.seq, lastHash: entry.hash };
      entries.push(entry);
      const id = randomId();
      logRows.push({
        id,
        env: sealJson(keys.custodyLog, { table: 'log-entry', id }, schemaVersion('log-entry'), stored),
      });
    }
    // Deleting a case also drops the details of its entries written before details were sealed (hashes kept).
    const reducedRows = await this.reducedLegacyRows(
      (change.log ?? []).flatMap((input) =>
        input.action === 'deleted' && input.targetKind === 'case' && input.caseId !== undefined ? [input.caseId] : [],
      ),
    );
    const headRow =
      logRows.length > 0
        ? {
            id: LOG_HEAD_ID,
            kind: this.kindOf('log-head'),
            owner: '',
            env: sealJson(keys.custodyLog, { table: 'log-head', id: LOG_HEAD_ID }, schemaVersion('log-head'), head),
          }
        : undefined;

    // Drafts saved as the user types, and log-only commits, change no record anything is derived from.
    const draftKind = this.kindOf('draft');
    let changesRecords = false;
    let nextGeneration = this.generation;
    await this.db.transaction(
      'rw',
      [this.db.meta, this.db.records, this.db.log, this.db.blobs, this.db.chunks],
      async () => {
        // One writer at a time: a second window's worker may have appended.
        const storedHead = (await this.readLogHead()) ?? EMPTY_HEAD;
        if (storedHead.count !== startHead.count || storedHead.lastHash !== startHead.lastHash)
          throw new VaultError('invalid-input', 'The vault was changed elsewhere (another window?). Reopen it.');
        if (change.header) await this.db.meta.put({ id: 'header', header: change.header });
        const deleteIds = (change.delete ?? []).map((ref) => ref.id);
        await this.refuseForeignRows(change.put ?? [], change.delete ?? []);
        const deleted = deleteIds.length ? await this.db.records.bulkGet(deleteIds) : [];
        const deletesRecords = deleted.some((row) => row !== undefined && row.kind !== draftKind);
        changesRecords =
          !change.derived &&
          (deletesRecords ||
            (change.put ?? []).some((row) => row.kind !== draftKind) ||
            (change.putBlobs?.length ?? 0) > 0 ||
            (change.deleteBlobs?.length ?? 0) > 0);
        if (changesRecords) {
          nextGeneration = sodium.to_hex(randomBytes(16));
          await this.db.meta.put({ id: 'records-generation', value: nextGeneration });
        }
        // Deleted records must not live on in the search snapshot (sealed with the records key, so it would
        // outlive a deleted case's key): it goes in the same transaction; the next search writes a new one.
        if (deletesRecords && !change.derived) await this.dropSearchSnapshot();
        if (deleteIds.length) await this.db.records.bulkDelete(deleteIds);
        const puts = [...(change.put ?? []), ...(headRow ? [headRow] : [])];
        if (puts.length) await this.db.records.bulkPut(puts);
        if (logRows.length) await this.db.log.bulkAdd(logRows);
        if (reducedRows.length) await this.db.log.bulkPut(reducedRows);
        if (change.putBlobs?.length) await this.db.blobs.bulkPut(change.putBlobs);
        for (const blobId of change.deleteBlobs ?? []) {
          await this.db.blobs.delete(blobId);
          await deleteChunksOf(this.db, blobId);
        }
      },
    );
    this.logHead = head;
    if (changesRecords) {
      this.generation = nextGeneration;
      this.commits += 1;
      this.journal.push({
        commit: this.commits,
        ids: [...(change.put ?? []).map((row) => row.id), ...(change.delete ?? []).map((ref) => ref.id)],
      });
      if (this.journal.length > JOURNAL_COMMITS) this.journal.shift();
      for (const listener of this.commitListeners)
        try {
          listener();
        } catch {
          // a listener's failure is its own: the commit has landed
        }
    }
    return entries;
  }

  /**
   * A record's table and case are fixed when it is first written: a put or a
   * delete that names a stored id under another table or case is refused,
   * whoever asks (a bundle carrying another case's ids, a caller's bug).
   * Runs inside the commit's transaction, so nothing lands.
   */
  private async refuseForeignRows(puts: readonly RecordRow[], deletes: readonly RecordRef[]): Promise<void> {
    const wanted = [
      ...puts.map((row): { id: string; kind: string | null; owner: string } => ({
        id: row.id,
        kind: row.kind,
        owner: row.owner,
      })),
      ...deletes.map((ref) => ({
        id: ref.id,
        kind: ref.table === '*' ? null : this.kindOf(ref.table),
        owner: ref.caseId === null ? '' : this.ownerOf(ref.caseId),
      })),
    ];
    if (wanted.length === 0) return;
    const stored = await this.db.records.bulkGet(wanted.map((entry) => entry.id));
    for (const [at, row] of stored.entries()) {
      const entry = wanted[at]!;
      if (row === undefined) continue;
      if ((entry.kind !== null && row.kind !== entry.kind) || row.owner !== entry.owner)
        throw new VaultError(
          'record-owner-mismatch',
          'A change names a record that belongs to another case or is of another kind; nothing was written.',
        );
    }
  }

  /** Whether `ref` may be written: no row has its id, or the row there is of its table and case. */
  async fits(ref: RecordRef & { table: LogicalTable }): Promise<boolean> {
    const row = await this.db.records.get(ref.id);
    if (row === undefined) return true;
    return row.kind === this.kindOf(ref.table) && row.owner === (ref.caseId === null ? '' : this.ownerOf(ref.caseId));
  }

  private readonly commitListeners = new Set<() => void>();

  /** Calls `listener` after every commit that changes records (what `commits` counts); returns how to stop. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** How many entries the custody log holds. */
  get logLength(): number {
    return this.logHead.count;
  }

  /** The stored records generation (see MetaRow): '' until the first change. */
  private generation = '';

  get recordsGeneration(): string {
    return this.generation;
  }

  /** Row ids each recent counted commit wrote or deleted, oldest first. */
  private readonly journal: { commit: number; ids: string[] }[] = [];

  /**
   * Ids of the rows written or deleted since `commits` had the given value
   * in this session, or null when that is too long ago to know (derived
   * data then checks every row).
   */
  rowsChangedSince(commits: number): Set<string> | null {
    if (commits === this.commits) return new Set();
    const oldest = this.journal[0];
    if (commits < 0 || commits > this.commits || !oldest || oldest.commit > commits + 1) return null;
    const ids = new Set<string>();
    for (const entry of this.journal) if (entry.commit > commits) for (const id of entry.ids) ids.add(id);
    return ids;
  }

  /** Removes the search snapshot: its pointer and every blob tagged as a snapshot (a damaged pointer aside). */
  private async dropSearchSnapshot(): Promise<void> {
    await this.db.records.delete(this.blind(SEARCH_SNAPSHOT_POINTER));
    const blobIds = await searchSnapshotBlobIds(this.db, (value) => this.blind(value));
    for (const blobId of blobIds) {
      await this.db.blobs.delete(blobId);
      await deleteChunksOf(this.db, blobId);
    }
  }

  /** How many commits changed records (drafts and log-only commits aside): derived data (the search index)
   * knows when to update. */
  commits = 0;

  /** Keys the blob store seals blob rows and content tags with. */
  get recordsKey(): Uint8Array {
    return this.liveKeys.records;
  }

  get blindIndexKey(): Uint8Array {
    return this.liveKeys.blindIndex;
  }

  get database(): VaultDatabase {
    return this.db;
  }

  /** The rows of a case: its records and its key, for deletion. */
  async caseRows(caseId: string): Promise<RecordRef[]> {
    const ids = await this.db.records.where('owner').equals(this.ownerOf(caseId)).primaryKeys();
    return [
      ...ids.map((id) => ({ table: '*' as const, caseId, id })),
      { table: 'case-key', caseId: null, id: this.caseKeyRowId(caseId) },
    ];
  }

  forgetCaseKey(caseId: string): void {
    const key = this.caseKeys.get(caseId);
    if (key) sodium.memzero(key);
    this.caseKeys.delete(caseId);
  }

  // ── custody log ──────────────────────────────────────────────────────────

  async readLogHead(): Promise<LogHead | undefined> {
    const row = await this.db.records.get(LOG_HEAD_ID);
    if (!row) return undefined;
    return this.decode(this.liveKeys.custodyLog, 'log-head', LOG_HEAD_ID, row.env) as LogHead;
  }

  /**
   * The custody log as read: vault-wide entries as stored; entries about a
   * case with their details opened with its key, or, when that key is gone,
   * as "about a deleted case". `unreadable` counts rows (or sealed details)
   * that fail to open.
   */
  async readLog(): Promise<{ entries: LogEntryView[]; unreadable: number }> {
    const { rows, unreadable } = await this.readStoredLog();
    const { views, damaged } = await this.openLogEntries(rows.map((row) => row.entry));
    return { entries: views, unreadable: unreadable + damaged.length };
  }

  /** Checks the chain; needs no case key (a sealed entry's hash covers its details' commitment). Details that
   * do open must match their commitment. */
  async verifyLog(): Promise<LogVerdict> {
    const { rows, unreadable } = await this.readStoredLog();
    const stored = rows.map((row) => row.entry);
    let head: LogHead;
    try {
      head = (await this.readLogHead()) ?? EMPTY_HEAD;
    } catch {
      return { ok: false, count: stored.length, firstBrokenSeq: stored.length + 1, reason: 'altered' };
    }
    const verdict = verifyChain(stored, head, unreadable);
    if (!verdict.ok) return verdict;
    const { damaged } = await this.openLogEntries(stored);
    if (damaged.length > 0)
      return { ok: false, count: head.count, firstBrokenSeq: Math.min(...damaged), reason: 'altered' };
    return verdict;
  }

  /** Every log row opened with the log key, in chain order; rows that fail to open are counted. */
  private async readStoredLog(): Promise<{ rows: { id: string; entry: StoredEntry }[]; unreadable: number }> {
    const rows = await this.db.log.toArray();
    const opened: { id: string; entry: StoredEntry }[] = [];
    let unreadable = 0;
    for (const row of rows) {
      try {
        opened.push({
          id: row.id,
          entry: this.decode(this.liveKeys.custodyLog, 'log-entry', row.id, row.env) as StoredEntry,
        });
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        unreadable += 1;
      }
    }
    opened.sort((a, b) => a.entry.seq - b.entry.seq);
    return { rows: opened, unreadable };
  }

  /** A case's tag in the log: a keyed hash under the case key, so it means nothing once the key is gone. */
  private logCaseTag(key: Uint8Array): string {
    return sodium.to_hex(sodium.crypto_generichash(16, sodium.from_string('ev-custody-case-tag'), key));
  }

  /** The address a sealed entry's details are bound to (its place in the chain). */
  private static detailAddress(seq: number) {
    return { table: 'log-entry' as const, id: `detail:${seq}` };
  }

  /** The next entry as read, and as stored: an entry about a case has its details sealed with the case key. */
  private async nextLogEntry(
    head: LogHead,
    input: CustodyEntryInput,
  ): Promise<{ entry: CustodyEntry; stored: StoredEntry }> {
    if (input.caseId === undefined) {
      const entry = nextEntry(head, input, this.actor);
      return { entry, stored: entry };
    }
    const key = await this.caseKey(input.caseId);
    const salt = sodium.to_hex(randomBytes(32));
    const { entry, detail, commitment } = nextSealedEntry(head, { ...input, caseId: input.caseId }, this.actor, salt);
    const env = sealJson(key, VaultStore.detailAddress(entry.seq), schemaVersion('log-entry'), detail);
    const stored: SealedEntry = {
      seq: entry.seq,
      time: entry.time,
      actor: entry.actor,
      action: entry.action,
      caseTag: this.logCaseTag(key),
      commitment,
      detail: sodium.to_base64(env),
      previousHash: entry.previousHash,
      hash: entry.hash,
    };
    return { entry, stored };
  }

  /**
   * Stored entries as read. A sealed entry's details open with the key of
   * the case its tag names; with no such key (the case was deleted) it reads
   * as about a deleted case. `damaged`: seqs whose details fail to open or
   * do not match their commitment.
   */
  private async openLogEntries(stored: readonly StoredEntry[]): Promise<{ views: LogEntryView[]; damaged: number[] }> {
    const keyOfTag = () => new Map([...this.caseKeys.values()].map((key) => [this.logCaseTag(key), key]));
    let keys = keyOfTag();
    if (stored.some((entry) => isSealedEntry(entry) && !keys.has(entry.caseTag))) {
      await this.loadAllCaseKeys();
      keys = keyOfTag();
    }
    const views: LogEntryView[] = [];
    const damaged: number[] = [];
    for (const entry of stored) {
      const { seq, time, actor, action, previousHash, hash } = entry;
      const deleted = { seq, time, actor, action, previousHash, hash, aboutDeletedCase: true as const };
      if (isReducedEntry(entry)) views.push(deleted);
      else if (!isSealedEntry(entry)) views.push(entry);
      else {
        const key = keys.get(entry.caseTag);
        if (!key) {
          views.push(deleted);
          continue;
        }
        try {
          const { table, id } = VaultStore.detailAddress(seq);
          const detail = this.decode(key, table, id, sodium.from_base64(entry.detail)) as CaseDetail;
          if (detailCommitment(detail) !== entry.commitment) throw new VaultError('record-tampered', 'altered detail');
          const { salt, targetKind, targetId, caseId, contentHashes } = detail;
          views.push({
            seq,
            time,
            actor,
            action,
            targetKind,
            targetId,
            caseId,
            ...(contentHashes ? { contentHashes } : {}),
            salt,
            previousHash,
            hash,
          });
        } catch (error) {
          if (error instanceof VaultError && error.code === 'locked') throw error;
          damaged.push(seq);
        }
      }
    }
    return { views, damaged };
  }

  /**
   * Entries written before details were sealed (plain, with a case id) that
   * are about a case being deleted, or about one whose key is already gone:
   * rewritten without their details, each under its row id and with its
   * hash, so the chain still links (and matches copies sent in bundles).
   */
  /**
   * At unlock: entries written before details were sealed, about cases whose
   * key is already gone (deleted by an earlier version), lose their details
   * now, hashes kept, in one transaction. Returns how many were reduced.
   */
  async reduceHistoryOfDeletedCases(): Promise<number> {
    const rows = await this.legacyRowsToReduce([]);
    if (rows.length === 0) return 0;
    await this.db.transaction('rw', this.db.log, () => this.db.log.bulkPut(rows));
    return rows.length;
  }

  private async reducedLegacyRows(deleted: readonly string[]): Promise<{ id: string; env: Uint8Array }[]> {
    return deleted.length === 0 ? [] : this.legacyRowsToReduce(deleted);
  }

  /** Legacy entries about `deleted` cases, or about any case whose key row is gone, reduced to their place. */
  private async legacyRowsToReduce(deleted: readonly string[]): Promise<{ id: string; env: Uint8Array }[]> {
    const { rows } = await this.readStoredLog();
    const legacy = rows.flatMap(({ id, entry }) =>
      isSealedEntry(entry) || isReducedEntry(entry) || entry.caseId === undefined
        ? []
        : [{ id, entry, caseId: entry.caseId }],
    );
    if (legacy.length === 0) return [];
    const caseIds = [...new Set(legacy.map((row) => row.caseId))];
    const keyRows = await this.db.records.bulkGet(caseIds.map((caseId) => this.caseKeyRowId(caseId)));
    const gone = new Set([...deleted, ...caseIds.filter((_, at) => keyRows[at] === undefined)]);
    return legacy
      .filter((row) => gone.has(row.caseId))
      .map(({ id, entry: { seq, time, actor, action, previousHash, hash } }) => {
        const reduced: ReducedEntry = { seq, time, actor, action, previousHash, hash, reduced: true };
        return {
          id,
          env: sealJson(this.liveKeys.custodyLog, { table: 'log-entry', id }, schemaVersion('log-entry'), reduced),
        };
      });
  }

  /** Zeroes every key this store holds; it is unusable afterwards. */
  wipe(): void {
    for (const key of this.caseKeys.values()) sodium.memzero(key);
    this.caseKeys.clear();
    this.kinds.clear();
    if (this.keys) wipeKeys(this.keys);
    this.keys = null;
  }
}
