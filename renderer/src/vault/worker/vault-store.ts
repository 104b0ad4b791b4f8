import { sealedBlobIds } from './sealed-blob';
import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { envelopeSchemaVersion, envelopeTag, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { blindIndex, deriveSubkey, randomId, wipeKeys, type VaultKeys } from './crypto/keys';
import { randomBytes } from './crypto/random';
import {
  EMPTY_HEAD,
  custodyCaseTag,
  custodyDetailAddress,
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
import { rowNames } from './row-ids';
import { IntegrityMap, isMarkedHead, LOG_HEAD_ROW_ID, markedHead, sameHead, type TaggedRow } from './integrity-map';
import { upgradeRecord, type MigrationTable } from './migrations';
import type { VaultHeader } from './crypto/header';
import type { BlobRow, RecordRow, VaultDatabase } from './storage/database';
import {
  RECORD_KINDS,
  RECORD_MIGRATIONS,
  listEntryOf,
  type CaseRecordKind,
  type ListEntryOfKind,
  type ListSummaryOfKind,
  type ListedKind,
  type RecordKind,
  type RecordOf,
  type VaultRecordKind,
} from './record-kinds';
import { ListIndex, LogTail, LOG_TAIL_LENGTH, noteListEntry } from './list-index';
import { storedRowsAt } from './storage/stored-rows';
import { yieldToWorker } from './yield-to-worker';

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
  /** A re-key's journal (rekey/): written with the new header that starts it (the search snapshot, derived
   * data under the old keys, goes with it), or `null`: removed with the entry that ends it. */
  rekeyJournal?: Uint8Array | null;
  log?: CustodyEntryInput[];
  /** Only data derived from records, or bookkeeping nothing is derived from (the search index, a backup set's
   * state, a maintenance marker): not counted in `commits`, the records generation kept. */
  derived?: boolean;
  /** Refused (`stale`) if any counted commit landed after `commits` had this value. */
  unlessChangedSince?: number;
  /**
   * Refused (`stale`) unless, inside the transaction, the stored records generation and the custody log's length
   * are these: for derived data written from what was read before (another window's commits included).
   */
  onlyIfStored?: { generation?: string; logCount?: number; noRekey?: boolean };
}

/** A custody-log entry about the vault itself (no case: its details need no case key). */
type VaultWideEntry = CustodyEntryInput & { caseId?: undefined };

/** The custody log head's row id (fixed: there is one). */
export const LOG_HEAD_ID = LOG_HEAD_ROW_ID;

/** A stored log head as the chain knows it ({count, lastHash}; the integrity map's mark left out). */
function storedHeadValue(value: unknown): LogHead {
  const { count, lastHash } = value as LogHead;
  return { count, lastHash };
}
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

/**
 * Ids of every search snapshot blob, whatever the pointer says (damaged, or
 * left by a crash or a second window): one pass over the blob table's tag
 * index keys, no row read or opened. `blind` is the vault's keyed hash.
 */
export function searchSnapshotBlobIds(db: VaultDatabase, blind: (value: string) => string): Promise<string[]> {
  return sealedBlobIds({ database: db, blind }, [SEARCH_SNAPSHOT_BLOB], [SEARCH_SNAPSHOT_BLOB]);
}

/**
 * The unlocked vault's encrypted record store: the one place where records
 * are sealed, opened and written. Records that belong to a case are sealed
 * with that case's own key, so deleting the case's key makes whatever
 * ciphertext lingers on disk unreadable.
 */
export class VaultStore {
  private readonly caseKeys = new Map<string, Uint8Array>();
  /** Case keys replaced in this session (newCaseKey on a case that had one): wiped with the others at lock. */
  private readonly retiredCaseKeys: Uint8Array[] = [];
  private logHead: LogHead = EMPTY_HEAD;
  private commitQueue: Promise<unknown> = Promise.resolve();
  /** Set when the log head cannot be read: changes that need a log entry are refused. */
  private logBroken = false;
  /** Which sealing of each records row is current (integrity-map.ts): checked on every read, kept by every commit. */
  private readonly integrity: IntegrityMap;
  /** What the vault-wide lists show, sealed apart and kept by every commit (list-index/). */
  private readonly lists: ListIndex;
  /** The custody log's last row ids, kept by every commit that appends to it (list-index/log-tail.ts). */
  private readonly logTail: LogTail;

  private constructor(
    private readonly db: VaultDatabase,
    private readonly migrations: MigrationTable,
    private keys: VaultKeys | null,
    /** Who the custody log names as actor (the vault id until identities exist). */
    private readonly actor: string,
  ) {
    this.integrity = new IntegrityMap(db, () => this.liveKeys.records);
    this.lists = new ListIndex({
      db,
      shardRowId: (kind, shard) => this.blind(rowNames.listIndex(kind, shard)),
      summaryRowId: (kind) => this.blind(rowNames.listSummary(kind)),
      kindName: (kind) => this.kindOf(kind),
      seal: (table, rowId, value) => this.sealVaultRecord(table, rowId, value),
      open: (table, row) => this.decode(this.liveKeys.records, table, row.id, row.env),
      current: async (rows) => (await this.staleRows(rows)).size === 0,
    });
    this.logTail = new LogTail({
      db,
      rowId: () => this.blind(rowNames.logTail()),
      seal: (rowId, value) => this.sealVaultRecord('log-tail', rowId, value),
      open: (row) => this.decode(this.liveKeys.records, 'log-tail', row.id, row.env),
      current: async (row) => (await this.staleRows([row])).size === 0,
    });
  }

  static async open(
    db: VaultDatabase,
    keys: VaultKeys,
    actor: string,
    migrations: MigrationTable = RECORD_MIGRATIONS,
  ): Promise<VaultStore> {
    const store = new VaultStore(db, migrations, keys, actor);
    const generation = await db.meta.get('records-generation');
    store.generation = generation?.id === 'records-generation' ? generation.value : '';
    // The root is read now; a vault from before the map gets one (trust on first use).
    if (!(await store.integrity.syncRoot()) || store.integrity.state !== 'ok') await store.buildIntegrityMap(false);
    try {
      store.logHead = (await store.readLogHead()) ?? EMPTY_HEAD;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'locked') throw error;
      // A damaged or rolled-back log head must not lock the user out of their evidence:
      // the vault opens read-only for the log, and verification says why.
      store.logBroken = true;
      // Changes that need no log entry still compare the head as stored (another window's commits).
      store.logHead = await store.storedLogHead().catch(() => EMPTY_HEAD);
    }
    return store;
  }

  // ── the integrity map: which sealing of each row is current ─────────────

  /**
   * After unlock, in the background, `pause`d before each batch (the vault
   * service waits there for the page's calls): every bucket of the
   * integrity map opened (IntegrityMap.warm) before the first reads ask for
   * them. A search's first queries otherwise opened two dozen buckets each
   * and took several times as long as the rest. Never rejects: a lock ends
   * it, and a bucket that does not open stays unopened (its rows are refused
   * when read, as before).
   */
  warmIntegrityMap(pause: () => Promise<void> = yieldToWorker): Promise<void> {
    return this.integrity.warm(pause).catch(() => undefined);
  }

  /**
   * Builds the integrity map from the rows as they are now, in one
   * transaction, and marks the log head (see integrity-map.ts, HEAD_MARK).
   * `rebuild` false (at open, no usable root found): only for a vault from
   * before the map, told by no root and an unmarked log head, or for an empty
   * database (a vault being created, perhaps again after a creation that did
   * not land and left a map under another key). A vault with rows whose head
   * is marked, or does not open, or that has rows but no head, or whose root
   * is there but does not hold, lost its map on disk or had it replaced: it is
   * left as it is (every read refused as `record-rolled-back`), not trusted
   * again as it is.
   */
  private async buildIntegrityMap(rebuild: boolean, entry?: VaultWideEntry): Promise<void> {
    const install = await this.db.transaction('rw', [this.db.records, this.db.state, this.db.log], async () => {
      let firstUse = rebuild;
      if (!rebuild) {
        const rootThere = await this.integrity.syncRoot();
        // Another window may have built it meanwhile.
        if (this.integrity.state === 'ok') return undefined;
        const empty = (await this.db.records.count()) === 0 && (await this.db.log.count()) === 0;
        firstUse = empty || !rootThere;
      }
      const headRow = await this.db.records.get(LOG_HEAD_ROW_ID);
      let stored: unknown;
      try {
        stored = headRow && this.decode(this.liveKeys.custodyLog, 'log-head', LOG_HEAD_ROW_ID, headRow.env);
      } catch (error) {
        if (rebuild || (error instanceof VaultError && error.code === 'locked')) throw error;
        firstUse = false;
      }
      if (!rebuild) {
        // No root: a vault from before the map has an unmarked head (a vault with rows always has a head).
        if (firstUse && (await this.db.records.count()) > 0)
          firstUse = headRow !== undefined && !isMarkedHead(stored) && !(await this.hasMapEraCaseKeys());
        if (!firstUse) return undefined;
      }
      let head = stored === undefined ? EMPTY_HEAD : storedHeadValue(stored);
      // A rebuild the user asked for says so in the log, in this same transaction (the map and its reason land
      // together).
      if (entry) {
        const logged = nextEntry(head, entry, this.actor);
        head = { count: logged.seq, lastHash: logged.hash };
        const id = randomId();
        const schema = schemaVersion('log-entry');
        await this.db.log.add({
          id,
          env: sealJson(this.liveKeys.custodyLog, { table: 'log-entry', id }, schema, logged),
        });
      }
      // The head is sealed again with its mark: from now on, a map that goes missing is not rebuilt from rows.
      const marked =
        headRow || entry
          ? { id: LOG_HEAD_ID, kind: this.kindOf('log-head'), owner: '', ...headRow, env: this.sealLogHead(head) }
          : undefined;
      if (marked) await this.db.records.put(marked);
      // The list index and the log tail are not taken as they are stored: rows put back and accepted here would
      // otherwise be vouched for with them, and every later commit would follow them. The next lists build them again.
      // The search index's pointer goes with its term shards: a catalogue left without them would find nothing.
      const derived = new Set(
        (['list-index', 'list-summary', 'log-tail', 'search-shard', 'search-piece', 'search-snapshot'] as const).map(
          (table) => this.kindOf(table),
        ),
      );
      const allRows = await this.db.records.toArray();
      const dropped = allRows.filter((row) => derived.has(row.kind)).map((row) => row.id);
      if (dropped.length) await this.db.records.bulkDelete(dropped);
      const rows = allRows
        .filter((row) => !derived.has(row.kind))
        .map((row) => (row.id === LOG_HEAD_ID && marked ? marked : row));
      return this.integrity.build(rows, head);
    });
    install?.();
  }

  /**
   * Whether a case key is stored as bytes (schema 2): only versions that keep the integrity map write those
   * (key-storage-upgrade.ts rewrites every older one at the first unlock). An unmarked log head is not proof
   * enough that a vault is from before the map: a head copied from before the upgrade opens as well. With such a
   * case key here, the map was removed, not never made. (Putting back old copies of every case key too is close
   * to rolling back the whole vault, which needs an outside anchor anyway.)
   */
  private async hasMapEraCaseKeys(): Promise<boolean> {
    const kind = this.kindOf('case-key');
    let found = false;
    await this.db.records
      .where('[kind+owner]')
      .between([kind, Dexie.minKey], [kind, Dexie.maxKey])
      .until(() => found)
      .each((row) => {
        if (envelopeSchemaVersion(row.env) >= 2) found = true;
      });
    return found;
  }

  /**
   * Builds the integrity map afresh from the rows as they are now, in one
   * transaction, after any commit under way, whatever map was there (even
   * one sealed under another key). For whoever rewrote rows outside
   * `commit` (the re-key, at its end), and to accept the vault as it is
   * once a rollback was reported and dealt with. The log head must open.
   */
  rebuildIntegrityMap(entry?: VaultWideEntry): Promise<void> {
    const run = this.commitQueue.then(async () => {
      await this.buildIntegrityMap(true, entry);
      this.logHead = (await this.readLogHead()) ?? EMPTY_HEAD;
      this.logBroken = false;
    });
    this.commitQueue = run.catch(() => undefined);
    return run;
  }

  /** The custody log head's envelope: its value with the mark every head written with a map carries. */
  private sealLogHead(head: LogHead): Uint8Array {
    return sealJson(
      this.liveKeys.custodyLog,
      { table: 'log-head', id: LOG_HEAD_ID },
      schemaVersion('log-head'),
      markedHead(head),
    );
  }

  /**
   * Ids of `rows` (as read) and `absent` (read and not found) that are not
   * what the integrity map holds. A mismatch is checked once more against
   * the disk, root, buckets and rows read in one transaction, before it
   * counts: the map in memory may be a commit behind the rows read (this
   * store's own commit landing between the read and the check, or another
   * window's).
   */
  private async staleRows(rows: readonly TaggedRow[], absent: readonly string[] = []): Promise<Set<string>> {
    const first = await this.integrity.stale(rows, absent);
    if (first.length === 0) return new Set();
    const again = await this.db.transaction('r', [this.db.records, this.db.state], async () => {
      await this.integrity.syncRoot();
      const fresh = await this.db.records.bulkGet(first);
      return this.integrity.stale(
        fresh.filter((row) => row !== undefined),
        first.filter((_, at) => fresh[at] === undefined),
      );
    });
    return new Set(again);
  }

  /** Refuses (`record-rolled-back`) unless every row read, and every id not found, is what the map holds. */
  private async requireCurrent(
    table: LogicalTable,
    rows: readonly TaggedRow[],
    absent: readonly string[] = [],
  ): Promise<void> {
    const stale = await this.staleRows(rows, absent);
    if (stale.size === 0) return;
    const [id] = stale;
    throw new VaultError(
      'record-rolled-back',
      'A stored record is not the version this vault last wrote: an older copy put back, a record removed, or a deleted one restored.',
      `${table} ${id}`,
    );
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
      kind = this.blind(rowNames.kind(table));
      this.kinds.set(table, kind);
    }
    return kind;
  }

  /**
   * Case ids by the keyed hash their rows carry as owner, for every case a row was sealed for in this session:
   * how a commit finds, from a row alone, the case key row it needs (refuseRowsOfDeletedCases).
   */
  private readonly caseOfOwner = new Map<string, string>();

  private ownerOf(caseId: string): string {
    const owner = this.blind(rowNames.owner(caseId));
    this.caseOfOwner.set(owner, caseId);
    return owner;
  }

  private caseKeyRowId(caseId: string): string {
    return this.blind(rowNames.caseKey(caseId));
  }

  // ── sealing ──────────────────────────────────────────────────────────────

  sealVaultRecord(table: LogicalTable, id: string, value: unknown): RecordRow {
    const env = sealJson(this.liveKeys.records, { table, id }, schemaVersion(table), value);
    return { id, kind: this.kindOf(table), owner: '', env };
  }

  /**
   * A new case key and the row that stores it (sealed with the records key).
   * The key is sealed as bytes (`{caseId, key: Uint8Array}`, key-bytes.ts),
   * never as text; the store keeps it until the case is deleted or the
   * vault locks (both wipe it).
   */
  newCaseKey(caseId: string): RecordRow {
    const key = randomBytes(32);
    // A key this one replaces (a case given a new key) may still be in use by a read under way: it is wiped at
    // lock, not now.
    const earlier = this.caseKeys.get(caseId);
    if (earlier) this.retiredCaseKeys.push(earlier);
    this.caseKeys.set(caseId, key);
    return this.sealVaultRecord('case-key', this.caseKeyRowId(caseId), { caseId, key });
  }

  /**
   * The key a case key row holds (its value as read: a row of schema 1,
   * `key` as base64, is decoded to bytes by the registry's migration,
   * record-kinds.ts), or undefined when the row does not hold the key of
   * `caseId` (null: of the case it names): a row copied under another case's
   * id, or malformed. A key not returned is wiped.
   */
  private caseKeyOfValue(
    caseId: string | null,
    rowId: string,
    value: unknown,
  ): { caseId: string; key: Uint8Array } | undefined {
    const { caseId: named, key } = (value ?? {}) as { caseId?: unknown; key?: unknown };
    if (
      typeof named !== 'string' ||
      (caseId !== null && named !== caseId) ||
      this.caseKeyRowId(named) !== rowId ||
      !(key instanceof Uint8Array) ||
      key.byteLength !== 32
    ) {
      if (key instanceof Uint8Array) sodium.memzero(key);
      return undefined;
    }
    return { caseId: named, key };
  }

  /** The case's key: from the cache, or read once as bytes and kept (wiped at lock or with the case). */
  private async caseKey(caseId: string): Promise<Uint8Array> {
    const cached = this.caseKeys.get(caseId);
    if (cached) return cached;
    const rowId = this.caseKeyRowId(caseId);
    const opened = this.caseKeyOfValue(caseId, rowId, await this.readVaultRecord('case-key', rowId));
    if (!opened) throw new VaultError('not-found', 'This case no longer exists.');
    // Another read may have cached it meanwhile: one copy is kept, the other wiped.
    const raced = this.caseKeys.get(caseId);
    if (raced) {
      sodium.memzero(opened.key);
      return raced;
    }
    this.caseKeys.set(caseId, opened.key);
    return opened.key;
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

  /**
   * Several `kind` records of their cases at once, parsed, by id: one read of
   * the rows and one integrity check for all (a search's snippets read dozens).
   * A record that is missing, not of that kind and case, damaged or not the
   * sealing the integrity map holds is left out; only a lock throws.
   */
  async findMany<K extends CaseRecordKind>(
    kind: K,
    refs: readonly { caseId: string; id: string }[],
  ): Promise<Map<string, RecordOf<K>>> {
    void this.liveKeys; // locked → throws before touching the database
    const [rows] = await Promise.all([
      this.db.records.bulkGet(refs.map((ref) => ref.id)),
      this.openCaseKeys(refs.map((ref) => ref.caseId)),
    ]);
    const found = new Map<string, RecordOf<K>>();
    const opened: RecordRow[] = [];
    for (const [at, row] of rows.entries()) {
      const { caseId, id } = refs[at]!;
      if (!row || row.kind !== this.kindOf(kind) || row.owner !== this.ownerOf(caseId)) continue;
      try {
        found.set(id, this.parse(kind, caseId, id, this.decode(await this.caseKey(caseId), kind, id, row.env)));
        opened.push(row);
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
      }
    }
    for (const id of await this.staleRows(opened)) found.delete(id);
    return found;
  }

  /**
   * Several records of a vault-owned kind at once, by id: one read of the
   * rows and one integrity check for all (a search query reads a few term
   * shards, a sweep dozens). Missing, damaged or stale rows are left out;
   * only a lock throws.
   */
  async findManyInVault<K extends VaultRecordKind>(kind: K, ids: readonly string[]): Promise<Map<string, RecordOf<K>>> {
    const key = this.liveKeys.records; // locked → throws before touching the database
    const rows = await this.db.records.bulkGet([...ids]);
    const found = new Map<string, RecordOf<K>>();
    const opened: RecordRow[] = [];
    for (const [at, row] of rows.entries()) {
      const id = ids[at]!;
      if (!row || row.kind !== this.kindOf(kind) || row.owner !== '') continue;
      try {
        found.set(id, this.parse(kind, null, id, this.decode(key, kind, id, row.env)));
        opened.push(row);
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
      }
    }
    for (const id of await this.staleRows(opened)) found.delete(id);
    return found;
  }

  /** The row ids of every record of a vault-owned kind (nothing opened). */
  async vaultRowIds(kind: VaultRecordKind): Promise<string[]> {
    void this.liveKeys;
    return (await this.db.records.where({ kind: this.kindOf(kind), owner: '' }).primaryKeys()).map(String);
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
    if (caseId === null) return this.sealVaultRecord(kind, id, value);
    const row = await this.sealCaseRecord(caseId, kind, id, value);
    // Its entry in the vault-wide lists travels with the row to the commit that writes it (list-index/).
    if ('listEntry' in RECORD_KINDS[kind])
      noteListEntry(row, caseId, listEntryOf(kind as ListedKind).of(value as RecordOf<ListedKind>));
    return row;
  }

  // ── reading ──────────────────────────────────────────────────────────────

  /** Opens an envelope and upgrades its value to the current schema. */
  private decode(key: Uint8Array, table: LogicalTable, id: string, env: Uint8Array): unknown {
    const value = openJson(key, { table, id }, env);
    return upgradeRecord(this.migrations, table, envelopeSchemaVersion(env), value, `${table} ${id}`);
  }

  // Every read opens the row first (an altered row reads as `record-tampered`), then checks it is the sealing
  // the integrity map holds (`record-rolled-back`); a row not found whose id the map holds was dropped.

  async readVaultRecord(table: LogicalTable, id: string): Promise<unknown> {
    const key = this.liveKeys.records;
    const row = await this.db.records.get(id);
    if (!row) {
      await this.requireCurrent(table, [], [id]);
      return undefined;
    }
    if (row.kind !== this.kindOf(table)) return undefined;
    const value = this.decode(key, table, id, row.env);
    await this.requireCurrent(table, [row]);
    return value;
  }

  async listVaultRecords(table: LogicalTable): Promise<StoredRecord[]> {
    const rows = await this.db.records.where({ kind: this.kindOf(table), owner: '' }).toArray();
    const records = rows.map((row) => ({
      id: row.id,
      value: this.decode(this.liveKeys.records, table, row.id, row.env),
    }));
    await this.requireCurrent(table, rows);
    return records;
  }

  async readCaseRecord(caseId: string, table: LogicalTable, id: string): Promise<unknown> {
    void this.liveKeys; // locked → throws before touching the database
    const row = await this.db.records.get(id);
    if (!row) {
      await this.requireCurrent(table, [], [id]);
      return undefined;
    }
    if (row.kind !== this.kindOf(table) || row.owner !== this.ownerOf(caseId)) return undefined;
    const value = this.decode(await this.caseKey(caseId), table, id, row.env);
    await this.requireCurrent(table, [row]);
    return value;
  }

  /** All records of one table that belong to one case. */
  async listCaseRecords(caseId: string, table: LogicalTable): Promise<StoredRecord[]> {
    const rows = await this.db.records.where({ kind: this.kindOf(table), owner: this.ownerOf(caseId) }).toArray();
    const key = await this.caseKey(caseId);
    const records = rows.map((row) => ({ id: row.id, value: this.decode(key, table, row.id, row.env) }));
    await this.requireCurrent(table, rows);
    return records;
  }

  /**
   * Loads every case key with one query (instead of one read per case). A
   * damaged key row is skipped, not fatal: its case's records then read as
   * damaged, every other case's as usual.
   */
  private async loadAllCaseKeys(): Promise<void> {
    for (const opened of await this.openCaseKeyRows(() => true)) {
      if (this.caseKeys.has(opened.caseId)) sodium.memzero(opened.key);
      else this.caseKeys.set(opened.caseId, opened.key);
    }
  }

  /**
   * Opens the keys of these cases that are not open yet, in one read of
   * their rows and one integrity check (a search's snippets read rows of
   * dozens of cases; one read each would cost a round trip per case). A key
   * that does not open is left out: `caseKey` then reads it alone, and fails.
   */
  private async openCaseKeys(caseIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(caseIds)].filter((caseId) => !this.caseKeys.has(caseId));
    if (missing.length < 2) return;
    const rowIds = missing.map((caseId) => this.caseKeyRowId(caseId));
    const rows = (await this.db.records.bulkGet(rowIds)).filter(
      (row): row is RecordRow => row !== undefined && row.kind === this.kindOf('case-key') && row.owner === '',
    );
    const stale = await this.staleRows(rows);
    for (const row of rows) {
      if (stale.has(row.id)) continue;
      let value: unknown;
      try {
        value = this.decode(this.liveKeys.records, 'case-key', row.id, row.env);
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        continue;
      }
      const opened = this.caseKeyOfValue(null, row.id, value);
      if (!opened) continue;
      if (this.caseKeys.has(opened.caseId)) sodium.memzero(opened.key);
      else this.caseKeys.set(opened.caseId, opened.key);
    }
  }

  /**
   * The case key rows `wanted` picks, opened (keys as bytes, the caller's to
   * keep or wipe). Rows that do not open, do not hold their case's key (a
   * key row copied under another case's id), or are not the sealing the
   * integrity map holds are left out: their cases read as damaged.
   */
  private async openCaseKeyRows(
    wanted: (row: RecordRow) => boolean,
  ): Promise<{ caseId: string; key: Uint8Array; row: RecordRow }[]> {
    const rows = (await this.db.records.where({ kind: this.kindOf('case-key'), owner: '' }).toArray()).filter(wanted);
    const stale = rows.length > 0 ? await this.staleRows(rows) : new Set<string>();
    const opened: { caseId: string; key: Uint8Array; row: RecordRow }[] = [];
    for (const row of rows) {
      if (stale.has(row.id)) continue;
      let value: unknown;
      try {
        value = this.decode(this.liveKeys.records, 'case-key', row.id, row.env);
      } catch (error) {
        if (error instanceof VaultError && error.code === 'locked') throw error;
        continue;
      }
      const key = this.caseKeyOfValue(null, row.id, value);
      if (key) opened.push({ ...key, row });
    }
    return opened;
  }

  /**
   * Case key rows still in an older form (schema 1: the key as base64 text),
   * each with the row that replaces it (the key as bytes), for the one-time
   * rewrite at unlock (key-storage-upgrade.ts). Reading them makes the
   * base64 string once more; that string cannot be wiped, which is why they
   * are rewritten. Damaged rows are left as they are.
   */
  async legacyCaseKeyRows(): Promise<{ old: RecordRow; next: RecordRow }[]> {
    const current = schemaVersion('case-key');
    // Only rows the integrity map holds as current: a rewrite must not make an older copy put back current.
    const opened = await this.openCaseKeyRows((row) => envelopeSchemaVersion(row.env) < current);
    return opened.map(({ caseId, key, row }) => {
      try {
        return { old: row, next: this.sealVaultRecord('case-key', row.id, { caseId, key }) };
      } finally {
        sodium.memzero(key);
      }
    });
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
    // So is one rolled back (an older copy put back, a deleted one restored).
    const opened = new Set(records.map((record) => record.id));
    const rolledBack = await this.staleRows(rows.filter((row) => opened.has(row.id)));
    if (rolledBack.size === 0) return { records, damaged };
    damaged.push(...rolledBack);
    return { records: records.filter((record) => !rolledBack.has(record.id)), damaged };
  }

  /**
   * Every row of these tables, each with a tag that changes whenever the row
   * is rewritten (its envelope's random nonce), decrypting only the rows
   * whose tag `isCurrent` does not accept: how derived data (the search
   * index) finds what changed without opening everything. `onOpened` hears how many of the rows to decrypt are
   * done, after each one.
   */
  async scanCaseRecords(
    tables: readonly LogicalTable[],
    isCurrent: ((id: string, tag: string) => boolean) | Promise<(id: string, tag: string) => boolean>,
    onOpened?: (opened: number, toOpen: number) => void,
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
    const unchanged: RecordRow[] = [];
    for (const [at, rows] of tablesRows.entries())
      for (const row of rows) {
        const tag = envelopeTag(row.env);
        tags.set(row.id, tag);
        if (!current(row.id, tag)) stale.push({ row, table: tables[at]! });
        else unchanged.push(row);
      }
    // Rows the caller already reflects are not opened, but are still checked against the integrity map (an older
    // copy put back together with an older search snapshot would otherwise keep its place in the index).
    const rolledBack = await this.staleRows(unchanged);
    const scanned = await this.openTagged(tags, stale, onOpened);
    for (const id of rolledBack) {
      tags.delete(id);
      scanned.damaged.push(id);
    }
    return scanned;
  }

  /**
   * The rows with these ids that belong to these tables, decrypted, with
   * their tags; ids with no row are `missing`, or `damaged` when the
   * integrity map still holds them (a dropped row). Rows of other tables are
   * left out. The other half of `scanCaseRecords`, for when the changed ids
   * are known (rowsChangedSince).
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
    const dropped = await this.staleRows([], missing);
    const read = await this.openTagged(tags, wanted);
    read.damaged.push(...dropped);
    return { ...read, missing: missing.filter((id) => !dropped.has(id)) };
  }

  /** Decrypts `rows`; one that fails, or is not the sealing the integrity map holds, is reported as damaged and
   * loses its tag, so the next check tries it again. */
  private async openTagged(
    tags: Map<string, string>,
    rows: { row: RecordRow; table: LogicalTable }[],
    onOpened?: (opened: number, toOpen: number) => void,
  ): Promise<TaggedRecords> {
    const changed: TaggedRecords['changed'] = [];
    const damaged: string[] = [];
    const owners = rows.length > 0 ? await this.ownersToCases() : new Map<string, string>();
    onOpened?.(0, rows.length);
    for (const [at, { row, table }] of rows.entries()) {
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
      onOpened?.(at + 1, rows.length);
    }
    const opened = new Set(changed.map((record) => record.id));
    const rolledBack = await this.staleRows(rows.flatMap(({ row }) => (opened.has(row.id) ? [row] : [])));
    if (rolledBack.size === 0) return { tags, changed, damaged };
    for (const id of rolledBack) {
      tags.delete(id);
      damaged.push(id);
    }
    return { tags, changed: changed.filter((record) => !rolledBack.has(record.id)), damaged };
  }

  /** Case ids by the keyed hash rows carry as owner, every case key loaded. */
  private async ownersToCases(): Promise<Map<string, string>> {
    await this.loadAllCaseKeys();
    return new Map([...this.caseKeys.keys()].map((caseId) => [this.ownerOf(caseId), caseId]));
  }

  // ── the vault-wide lists: from their sealed index, or from the records ───

  /** The records generation as stored now (another window's commits included). */
  async storedGeneration(): Promise<string> {
    const row = await this.db.meta.get('records-generation');
    return row?.id === 'records-generation' ? row.value : '';
  }

  /**
   * Every record of a listed kind as the vault-wide lists show it (its
   * entry: list-index/list-entries.ts), with its case. Read from the list
   * index when it is there in full and current; otherwise from the records,
   * opened one by one (damaged ones reported), and the index written again
   * when none was damaged and nothing changed meanwhile.
   */
  async listEntries<K extends ListedKind>(
    kind: K,
  ): Promise<{ entries: { caseId: string; entry: ListEntryOfKind<K> }[]; damaged: string[] }> {
    const indexed = await this.lists.read(kind);
    if (indexed) return { entries: indexed, damaged: [] };
    const generation = await this.storedGeneration();
    const { records, damaged } = await this.listAcrossCases(kind);
    const { of } = listEntryOf(kind);
    const entries = records.map(({ caseId, value }) => ({ caseId, entry: of(value as RecordOf<K>) }));
    // Not during a re-key (rows are then in two key domains), and not over damage the records would report. (While
    // the index is used, lists report no damage: a record altered on disk since is refused when it is opened.)
    if (damaged.length === 0)
      await this.writeDerived({
        put: this.lists.rowsFor(kind, records),
        onlyIfStored: { generation, noRekey: true },
      });
    return { entries, damaged };
  }

  /**
   * What the home screen counts over a listed kind (list-index/list-entries.ts): the summary kept beside its
   * index, or, when that cannot be used, made from the entries (and the index written again, as listEntries does).
   */
  async listSummary<K extends ListedKind>(kind: K): Promise<ListSummaryOfKind<K>> {
    return (
      (await this.lists.summary(kind)) ??
      this.lists.summarise(
        kind,
        (await this.listEntries(kind)).entries.map(({ entry }) => entry),
      )
    );
  }

  /**
   * The summary kept beside `kind`'s index, or undefined when it is not there, does not open or is not what the
   * integrity map holds. Only the summary row is read (the shards are checked when they are read).
   */
  storedListSummary<K extends ListedKind>(kind: K): Promise<ListSummaryOfKind<K> | undefined> {
    return this.lists.summary(kind);
  }

  /** A derived commit whose refusal (the vault changed meanwhile) or failure only means it is tried again later. */
  private async writeDerived(change: VaultChange): Promise<void> {
    try {
      await this.commit({ ...change, derived: true });
    } catch (error) {
      if (error instanceof VaultError && error.code === 'locked') throw error;
    }
  }

  /**
   * The custody log's latest `count` entries, newest first, as readLog
   * shows them: through the log tail, checked against the chain (they end at
   * the head the integrity map binds, each linked to the one before), or,
   * when that fails, from the whole log (and the tail written again).
   */
  async recentLog(count: number): Promise<LogEntryView[]> {
    // A damaged or rolled-back head must not take the home screen with it: the whole log is shown, no tail written.
    const head = await this.readLogHead().catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'locked') throw error;
      return undefined;
    });
    const tail = await this.logTail.rows();
    if (head && tail && (await this.staleRows([tail.row])).size === 0) {
      const ids = tail.rows.map(([id]) => id);
      const rows = await this.db.log.bulkGet(ids);
      const read: { id: string; entry: StoredEntry }[] = [];
      for (const [at, row] of rows.entries())
        try {
          if (row)
            read.push({
              id: ids[at]!,
              entry: this.decode(this.liveKeys.custodyLog, 'log-entry', ids[at]!, row.env) as StoredEntry,
            });
        } catch (error) {
          if (error instanceof VaultError && error.code === 'locked') throw error;
        }
      read.sort((a, b) => a.entry.seq - b.entry.seq);
      const stored = read.map(({ entry }) => entry);
      const last = stored.at(-1);
      const chained =
        stored.length === Math.min(LOG_TAIL_LENGTH, head.count) &&
        (head.count === 0 || (last?.seq === head.count && last.hash === head.lastHash)) &&
        stored.every(
          (entry, at) =>
            at === 0 || (entry.seq === stored[at - 1]!.seq + 1 && entry.previousHash === stored[at - 1]!.hash),
        );
      if (chained) {
        const shown = read.slice(-count);
        // Only the keys of the cases these entries name (a deleted case's is gone: its entries say so).
        const caseOf = new Map(tail.rows);
        for (const caseId of new Set(shown.map(({ id }) => caseOf.get(id) ?? '')))
          if (caseId !== '')
            await this.caseKey(caseId).catch((error: unknown) => {
              if (error instanceof VaultError && error.code === 'locked') throw error;
            });
        return (
          await this.openLogEntries(
            shown.map(({ entry }) => entry),
            { loadAllKeys: false },
          )
        ).views.reverse();
      }
    }
    const logCount = head?.count ?? 0;
    const { rows } = await this.readStoredLog();
    const { views } = await this.openLogEntries(rows.slice(-LOG_TAIL_LENGTH).map((row) => row.entry));
    if (head && rows.length === head.count) {
      // Each entry's case by its tag (every case key is loaded now), so one whose details fail to open is named too.
      const caseOfTag = new Map([...this.caseKeys].map(([caseId, key]) => [custodyCaseTag(key), caseId]));
      const tailRows = rows
        .slice(-LOG_TAIL_LENGTH)
        .map(({ id, entry }): [string, string] => [
          id,
          isSealedEntry(entry) ? (caseOfTag.get(entry.caseTag) ?? '') : '',
        ]);
      await this.writeDerived({ put: [this.logTail.rowFor(tailRows)], onlyIfStored: { logCount } });
    }
    return views.slice(-count).reverse();
  }

  // ── writing ──────────────────────────────────────────────────────────────

  /** Everything in `change` plus its custody-log entries, in one
   * transaction. Commits run one after another, so each chains its log
   * entries onto the head the previous one left. */
  commit(change: VaultChange): Promise<CustodyEntry[]> {
    const run = this.commitQueue.then(async () => {
      // A commit that deletes records drops the search snapshot: what still reads it reads what it needs first.
      if (!change.derived && (change.delete ?? []).some((ref) => ref.table !== 'draft'))
        await this.beforeDeleting?.().catch(() => undefined);
      return this.commitNow(change);
    });
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
            env: this.sealLogHead(head),
          }
        : undefined;

    // Drafts saved as the user types, and log-only commits, change no record anything is derived from.
    const draftKind = this.kindOf('draft');
    let changesRecords = false;
    let nextGeneration = this.generation;
    let installMap: (() => void) | undefined;
    await this.db.transaction(
      'rw',
      [this.db.meta, this.db.records, this.db.log, this.db.blobs, this.db.chunks, this.db.state],
      async () => {
        // One writer at a time: a second window's worker may have appended. (Read as stored: the integrity map's
        // view of the head is the map's business, in `apply` below and in readLogHead.)
        const headNow = await this.db.records.get(LOG_HEAD_ID);
        const storedHead = headNow
          ? storedHeadValue(this.decode(keys.custodyLog, 'log-head', LOG_HEAD_ID, headNow.env))
          : EMPTY_HEAD;
        if (!sameHead(storedHead, startHead))
          throw new VaultError('invalid-input', 'The vault was changed elsewhere (another window?). Reopen it.');
        if (change.onlyIfStored) {
          const { generation, logCount, noRekey } = change.onlyIfStored;
          if (
            (generation !== undefined && generation !== (await this.storedGeneration())) ||
            (logCount !== undefined && logCount !== storedHead.count) ||
            (noRekey && (await this.db.meta.get('rekey')) !== undefined)
          )
            throw new VaultError('invalid-input', 'The vault changed since this was prepared.', 'stale');
        }
        /** Rows removed besides `change.delete`: the search snapshot's pointer, list index and log tail rows. */
        const dropped: string[] = [];
        if (change.header) await this.db.meta.put({ id: 'header', header: change.header });
        if (change.rekeyJournal === null) await this.db.meta.delete('rekey');
        else if (change.rekeyJournal) {
          await this.db.meta.put({ id: 'rekey', env: change.rekeyJournal });
          // The search index's terms too: sealed under the old keys, rebuilt after the re-key.
          dropped.push(...(await this.dropSearchSnapshot()), ...(await this.dropSearchShards()));
        }
        const deleteIds = (change.delete ?? []).map((ref) => ref.id);
        await this.refuseForeignRows(change.put ?? [], change.delete ?? []);
        await this.refuseRowsOfDeletedCases(change.put ?? [], deleteIds, change.log ?? []);
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
        if (deletesRecords && !change.derived) dropped.push(...(await this.dropSearchSnapshot()));
        // The list index and the log tail follow the rows and entries written here, in this same transaction; a
        // re-key beginning removes them (derived under the old keys, and naming rows by ids it changes).
        const startsRekey = change.rekeyJournal !== undefined && change.rekeyJournal !== null;
        // The map as stored now (another window may have committed since), for the checks the index makes.
        await this.integrity.syncRoot();
        const listing = this.lists.changesFor(change.put ?? [], deleted, startsRekey);
        const deletedCases = new Set(
          (change.log ?? []).flatMap((input) =>
            input.action === 'deleted' && input.targetKind === 'case' && input.caseId !== undefined
              ? [input.caseId]
              : [],
          ),
        );
        const tailing = this.logTail.changesFor(
          logRows.map((row, at): [string, string] => [row.id, change.log?.[at]?.caseId ?? '']),
          deletedCases,
          startsRekey,
        );
        // Asked for together: their reads go to IndexedDB in one round trip.
        const [listed, tail] = await Promise.all([listing, tailing]);
        dropped.push(...listed.remove, ...tail.remove);
        if (deleteIds.length) await this.db.records.bulkDelete(deleteIds);
        if (listed.remove.length || tail.remove.length)
          await this.db.records.bulkDelete([...listed.remove, ...tail.remove]);
        const puts = [...(change.put ?? []), ...listed.put, ...tail.put, ...(headRow ? [headRow] : [])];
        if (puts.length) await this.db.records.bulkPut(puts);
        // The integrity map follows every row written or removed, in this same transaction (after re-reading its
        // root: another window may have committed since); the log head it binds moves with the head row.
        const removed = [...deleteIds, ...dropped];
        if (puts.length > 0 || removed.length > 0)
          installMap = await this.integrity.apply(puts, removed, headRow ? head : undefined);
        if (logRows.length) await this.db.log.bulkAdd(logRows);
        if (reducedRows.length) await this.db.log.bulkPut(reducedRows);
        if (change.putBlobs?.length) await this.db.blobs.bulkPut(change.putBlobs);
        for (const blobId of change.deleteBlobs ?? []) {
          await this.db.blobs.delete(blobId);
          await deleteChunksOf(this.db, blobId);
        }
      },
    );
    installMap?.();
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
    const stored = await storedRowsAt(
      this.db.records,
      wanted.map((entry) => entry.id),
      this.integrity.estimatedRows(),
    );
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

  /**
   * A case's rows are sealed with its key before the commit that writes them; a deletion of the case may land in
   * between (an intake, a draft or an extracted text finishing just as the case is deleted, here or in another
   * window). Inside the commit's transaction, rows and custody-log entries of a case whose key row is gone are
   * refused (`case-deleted`), so nothing lands under a case that no longer exists. What counts is the state inside
   * the transaction: a key row this change puts (a case created, or one a bundle brings) is there; one this change
   * deletes is gone for its rows (a log entry about the case, as deleteCase's own, was written while it existed).
   */
  private async refuseRowsOfDeletedCases(
    puts: readonly RecordRow[],
    deleteIds: readonly string[],
    log: readonly CustodyEntryInput[],
  ): Promise<void> {
    const keyKind = this.kindOf('case-key');
    const putKeys = new Set(puts.flatMap((row) => (row.kind === keyKind ? [row.id] : [])));
    const deletedKeys = new Set(deleteIds);
    /** Case key row ids the change needs stored, each with whether this change may delete it. */
    const needed = new Map<string, boolean>();
    for (const row of puts) {
      if (row.owner === '') continue;
      const caseId = this.caseOfOwner.get(row.owner);
      // Every case row is sealed by this store (sealCaseRecord), which notes its case: one that was not is a bug.
      if (caseId === undefined)
        throw new VaultError('record-owner-mismatch', 'A change names a record of no known case; nothing was written.');
      const keyId = this.caseKeyRowId(caseId);
      if (!putKeys.has(keyId)) needed.set(keyId, false);
    }
    for (const input of log) {
      if (input.caseId === undefined) continue;
      const keyId = this.caseKeyRowId(input.caseId);
      if (!putKeys.has(keyId) && !needed.has(keyId)) needed.set(keyId, true);
    }
    if (needed.size === 0) return;
    const ids = [...needed.keys()];
    const stored = await this.db.records.bulkGet(ids);
    for (const [at, id] of ids.entries()) {
      const row = stored[at];
      const gone = row === undefined || row.kind !== keyKind || (deletedKeys.has(id) && !needed.get(id));
      if (gone)
        throw new VaultError(
          'case-deleted',
          'The case this change belongs to was deleted meanwhile; nothing was written.',
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
  private beforeDeleting: (() => Promise<void>) | null = null;

  /**
   * Has `listener` awaited before every commit that deletes rows (one
   * deleting a record drops the search snapshot in its transaction, the
   * catalogue pieces a search index restored from it may not have read
   * yet). One listener; returns how to stop. It runs in the commit queue:
   * it may read, never commit (that would wait for itself).
   */
  beforeDeletion(listener: () => Promise<void>): () => void {
    this.beforeDeleting = listener;
    return () => {
      if (this.beforeDeleting === listener) this.beforeDeleting = null;
    };
  }

  /** Calls `listener` after every commit that changes records (what `commits` counts); returns how to stop. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** The custody-log head a stored head row holds: for a backup, which reads the row in its own transaction. */
  logHeadOf(env: Uint8Array): LogHead {
    return storedHeadValue(this.decode(this.liveKeys.custodyLog, 'log-head', LOG_HEAD_ID, env));
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

  /** Removes the search snapshot: its pointer, its catalogue's pieces (they name every entry) and every blob
   * tagged as a snapshot (a damaged pointer aside). Returns the rows' ids, for the integrity map. */
  private async dropSearchSnapshot(): Promise<string[]> {
    const pointer = this.blind(SEARCH_SNAPSHOT_POINTER);
    await this.db.records.delete(pointer);
    const pieces = await this.vaultRowIds('search-piece');
    await this.db.records.bulkDelete(pieces);
    const blobIds = await searchSnapshotBlobIds(this.db, (value) => this.blind(value));
    for (const blobId of blobIds) {
      await this.db.blobs.delete(blobId);
      await deleteChunksOf(this.db, blobId);
    }
    return [pointer, ...pieces];
  }

  /** Removes every term shard of the search index (at a re-key). Returns their row ids, for the integrity map. */
  private async dropSearchShards(): Promise<string[]> {
    const ids = await this.vaultRowIds('search-shard');
    await this.db.records.bulkDelete(ids);
    return ids;
  }

  /** How many commits changed records (drafts and log-only commits aside): derived data (the search index)
   * knows when to update. */
  commits = 0;

  /** Keys the blob store seals blob rows and content tags with. */
  get recordsKey(): Uint8Array {
    return this.liveKeys.records;
  }

  /** A new copy of the backup key (backup/): the caller wipes it when the run ends. */
  backupKey(): Uint8Array {
    return deriveSubkey(this.liveKeys.master, 'backup');
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

  /** Wipes and drops the cached key of a deleted case. */
  forgetCaseKey(caseId: string): void {
    const key = this.caseKeys.get(caseId);
    if (key) sodium.memzero(key);
    this.caseKeys.delete(caseId);
  }

  // ── custody log ──────────────────────────────────────────────────────────

  /**
   * The custody log's head, checked like any record against the integrity
   * map, and against the head the map's root binds: an older head put back
   * together with the last log rows dropped is `record-rolled-back`.
   */
  async readLogHead(): Promise<LogHead | undefined> {
    void this.liveKeys; // locked → throws before touching the database
    const attempt = async () => {
      const row = await this.db.records.get(LOG_HEAD_ID);
      const head = row && storedHeadValue(this.decode(this.liveKeys.custodyLog, 'log-head', LOG_HEAD_ID, row.env));
      const stale = await this.integrity.stale(row ? [row] : [], row ? [] : [LOG_HEAD_ID]);
      const bound = this.integrity.head;
      return { head, current: stale.length === 0 && bound !== undefined && sameHead(bound, head ?? EMPTY_HEAD) };
    };
    let read = await attempt();
    // As for any row (staleRows): checked once more against the disk, in one transaction, before it counts.
    if (!read.current)
      read = await this.db.transaction('r', [this.db.records, this.db.state], async () => {
        await this.integrity.syncRoot();
        return attempt();
      });
    if (!read.current)
      throw new VaultError(
        'record-rolled-back',
        'The custody log head is not the one this vault last wrote: the log was rolled back.',
        'log-head',
      );
    return read.head;
  }

  /** The custody log's head as stored, not checked against the integrity map (verification reports that apart). */
  private async storedLogHead(): Promise<LogHead> {
    const row = await this.db.records.get(LOG_HEAD_ID);
    return row ? storedHeadValue(this.decode(this.liveKeys.custodyLog, 'log-head', LOG_HEAD_ID, row.env)) : EMPTY_HEAD;
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

  /** The hash of the custody-log entry at `seq` (1-based), or undefined if the log has no such entry. */
  async logHashAt(seq: number): Promise<string | undefined> {
    const { rows } = await this.readStoredLog();
    return rows.find((row) => row.entry.seq === seq)?.entry.hash;
  }

  /** Checks the chain; needs no case key (a sealed entry's hash covers its details' commitment). Details that
   * do open must match their commitment. */
  async verifyLog(): Promise<LogVerdict> {
    const { rows, unreadable } = await this.readStoredLog();
    const stored = rows.map((row) => row.entry);
    let head: LogHead | undefined;
    try {
      head = await this.storedLogHead();
    } catch (error) {
      if (error instanceof VaultError && error.code === 'locked') throw error;
    }
    // Every records row against the integrity map read afresh, and every id it holds against the rows.
    const { stale: rolledBack } = await this.db.transaction('r', [this.db.records, this.db.state], () =>
      this.integrity.audit(head),
    );
    const alsoRolledBack = (verdict: LogVerdict): LogVerdict =>
      !verdict.ok && rolledBack > 0 ? { ...verdict, rolledBack } : verdict;
    if (head === undefined)
      return alsoRolledBack({ ok: false, count: stored.length, firstBrokenSeq: stored.length + 1, reason: 'altered' });
    const verdict = verifyChain(stored, head, unreadable);
    if (!verdict.ok) return alsoRolledBack(verdict);
    const { damaged } = await this.openLogEntries(stored);
    if (damaged.length > 0)
      return alsoRolledBack({ ok: false, count: head.count, firstBrokenSeq: Math.min(...damaged), reason: 'altered' });
    // The chain holds (up to `count`), but records are not the versions it last wrote.
    if (rolledBack > 0)
      return { ok: false, count: head.count, firstBrokenSeq: head.count + 1, reason: 'record-rolled-back', rolledBack };
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
    const env = sealJson(key, custodyDetailAddress(entry.seq), schemaVersion('log-entry'), detail);
    const stored: SealedEntry = {
      seq: entry.seq,
      time: entry.time,
      actor: entry.actor,
      action: entry.action,
      caseTag: custodyCaseTag(key),
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
  private async openLogEntries(
    stored: readonly StoredEntry[],
    { loadAllKeys = true } = {},
  ): Promise<{ views: LogEntryView[]; damaged: number[] }> {
    const keyOfTag = () => new Map([...this.caseKeys.values()].map((key) => [custodyCaseTag(key), key]));
    let keys = keyOfTag();
    // Unless the caller loaded the keys these entries need (a tag with no key is then about a deleted case).
    if (loadAllKeys && stored.some((entry) => isSealedEntry(entry) && !keys.has(entry.caseTag))) {
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
          const { table, id } = custodyDetailAddress(seq);
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

  /** Zeroes every key this store holds (all Uint8Arrays: no key is ever kept as text); unusable afterwards. */
  wipe(): void {
    this.integrity.forget();
    for (const key of [...this.caseKeys.values(), ...this.retiredCaseKeys]) sodium.memzero(key);
    this.caseKeys.clear();
    this.caseOfOwner.clear();
    this.retiredCaseKeys.length = 0;
    this.kinds.clear();
    if (this.keys) wipeKeys(this.keys);
    this.keys = null;
  }
}
