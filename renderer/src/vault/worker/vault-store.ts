import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { envelopeSchemaVersion, envelopeTag, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { blindIndex, randomId, wipeKeys, type VaultKeys } from './crypto/keys';
import { randomBytes } from './crypto/random';
import {
  EMPTY_HEAD,
  nextEntry,
  verifyChain,
  type CustodyEntry,
  type CustodyEntryInput,
  type LogHead,
  type LogVerdict,
} from './custody-log';
import { deleteChunksOf } from './blob-store';
import { upgradeRecord, type MigrationTable } from './migrations';
import type { VaultHeader } from './crypto/header';
import type { BlobRow, RecordRow, VaultDatabase } from './storage/database';

/** Logical tables, the schema version their records are written with, and
 * the steps that upgrade older records (none yet: every table is at 1). */
export const RECORD_MIGRATIONS = {
  case: { current: 1, steps: [] },
  document: { current: 1, steps: [] },
  'document-text': { current: 1, steps: [] },
  'annotation-page': { current: 1, steps: [] },
  hearing: { current: 1, steps: [] },
  'timeline-event': { current: 1, steps: [] },
  identity: { current: 1, steps: [] },
  contact: { current: 1, steps: [] },
  'bundle-import': { current: 1, steps: [] },
  'case-key': { current: 1, steps: [] },
  settings: { current: 1, steps: [] },
  draft: { current: 1, steps: [] },
  'search-snapshot': { current: 1, steps: [] },
  'log-head': { current: 1, steps: [] },
  'log-entry': { current: 1, steps: [] },
} as const satisfies MigrationTable;

export type LogicalTable = keyof typeof RECORD_MIGRATIONS;
const schemaVersion = (table: LogicalTable): number => RECORD_MIGRATIONS[table].current;

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

/** Writes made together: all of them land, or none. */
export interface VaultChange {
  put?: RecordRow[];
  delete?: string[];
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

/** What the search snapshot's pointer row id, and every snapshot blob's tag, are keyed hashes of (search/search-snapshot.ts). */
export const SEARCH_SNAPSHOT_POINTER = 'search-snapshot';
export const SEARCH_SNAPSHOT_BLOB = 'search-snapshot-blob';

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
    const logRows = (change.log ?? []).map((input) => {
      const entry = nextEntry(head, input, this.actor);
      head = { count: entry.seq, lastHash: entry.hash };
      entries.push(entry);
      const id = randomId();
      return { id, env: sealJson(keys.custodyLog, { table: 'log-entry', id }, schemaVersion('log-entry'), entry) };
    });
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
        const deleted = change.delete?.length ? await this.db.records.bulkGet(change.delete) : [];
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
        if (change.delete?.length) await this.db.records.bulkDelete(change.delete);
        const puts = [...(change.put ?? []), ...(headRow ? [headRow] : [])];
        if (puts.length) await this.db.records.bulkPut(puts);
        if (logRows.length) await this.db.log.bulkAdd(logRows);
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
        ids: [...(change.put ?? []).map((row) => row.id), ...(change.delete ?? [])],
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
    const blobIds = await this.db.blobs.where('tag').equals(this.blind(SEARCH_SNAPSHOT_BLOB)).primaryKeys();
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

  /** Row ids of a case: its records and its key, for deletion. */
  async caseRowIds(caseId: string): Promise<string[]> {
    const ids = await this.db.records.where('owner').equals(this.ownerOf(caseId)).primaryKeys();
    return [...ids, this.caseKeyRowId(caseId)];
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

  async readLog(): Promise<{ entries: CustodyEntry[]; unreadable: number }> {
    const rows = await this.db.log.toArray();
    const entries: CustodyEntry[] = [];
    let unreadable = 0;
    for (const row of rows) {
      try {
        entries.push(this.decode(this.liveKeys.custodyLog, 'log-entry', row.id, row.env) as CustodyEntry);
      } catch {
        unreadable += 1;
      }
    }
    entries.sort((a, b) => a.seq - b.seq);
    return { entries, unreadable };
  }

  async verifyLog(): Promise<LogVerdict> {
    const { entries, unreadable } = await this.readLog();
    let head: LogHead;
    try {
      head = (await this.readLogHead()) ?? EMPTY_HEAD;
    } catch {
      return { ok: false, count: entries.length, firstBrokenSeq: entries.length + 1, reason: 'altered' };
    }
    return verifyChain(entries, head, unreadable);
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
