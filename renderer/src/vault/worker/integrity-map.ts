import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { envelopeTag, openJson, sealJson } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import type { StateRow, VaultDatabase } from './storage/database';

/**
 * The integrity map (issue 15 §3): for every row of the `records` table, its
 * id and the tag of the envelope last written under it (`envelopeTag`, the
 * random nonce: new at every write). Someone with the disk and no key can
 * put an older ciphertext of a record back, drop a row, or put a deleted one
 * back; each still opens. The map says which sealing is current, and cannot
 * be forged or edited without the records key:
 *
 * - The ids are spread over a fixed number of buckets (a non-keyed hash of
 *   the id: ids are visible anyway), each bucket sealed as its own row, so a
 *   commit re-seals only the buckets whose ids it wrote or deleted (about
 *   80 entries each in a vault of 20,000 rows), not the whole map.
 * - A root row holds the BLAKE2b hash of each bucket's sealed envelope and
 *   the custody log's head (count, last hash), sealed too. An older copy of
 *   a bucket no longer has the hash the root names; an older copy of the
 *   root names buckets (or a log head) that are no longer there. Either way
 *   no row is vouched for any more (syncRoot): an older root would still
 *   vouch for the buckets and rows put back with it. Sealed, not a plaintext
 *   digest: someone holding several copies of the disk could otherwise
 *   combine digests of one copy with rows of another.
 *
 * Root and buckets live in their own table (`state`, ids 0 and 1–256: numbers
 * that say nothing), not in `records`: they are not records, and the map does
 * not list itself. Their envelopes use addresses no record kind has.
 *
 * What it cannot catch: the whole vault (records, map and log together) put
 * back as an older copy is consistent with itself. That needs an anchor kept
 * outside the vault (the sender's log head in a bundle; backups later).
 */

export const INTEGRITY_BUCKETS = 256;
/** The root's row id in `state`; bucket `b` is row `b + 1`. */
export const ROOT_ROW_ID = 0;
const bucketRowId = (bucket: number): number => bucket + 1;
/** Schema version of root and bucket envelopes (bound into their associated data like a record's). */
const FORMAT = 1;
const ROOT_ADDRESS = { table: 'integrity-root', id: 'root' };
/** A bucket's address names its index: a bucket copied to another index does not open. */
const bucketAddress = (bucket: number) => ({ table: 'integrity-bucket', id: String(bucket) });
/**
 * BLAKE2b-128 of a bucket's envelope. Enough: the root is sealed, so nobody
 * without the key can name a digest; to pass, an older bucket would have to
 * be a genuine earlier sealing (random nonce) whose digest equals the current
 * one, odds 2^-128. Half of a 32-byte digest's size keeps the root, re-sealed
 * at every commit, at about 9 KiB (sealing it then takes a quarter of the time).
 */
const DIGEST_BYTES = 16;
/** The custody log head's row id in `records` (the store writes it). */
export const LOG_HEAD_ROW_ID = 'log-head';
const EMPTY_DIGEST = '';

/** The custody log's head as the root binds it. */
export interface BoundHead {
  count: number;
  lastHash: string;
}

interface RootValue {
  head: BoundHead;
  /** Per bucket: BLAKE2b-128 (hex) of its sealed envelope, or '' for an empty bucket (no row). */
  buckets: string[];
}

type Entries = ReadonlyMap<string, string>;
const NO_ENTRIES: Entries = new Map();

/** Buckets opened between two pauses of `warm`: about 10 ms of work at 50,000 documents (650 rows a bucket). */
const WARM_BATCH = 8;

/** The bucket of a row id: FNV-1a over its UTF-16 code units. Not keyed: it hides nothing that ids do not show. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < id.length; at++) {
    hash ^= id.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash ^ (hash >>> 16)) >>> 0) % INTEGRITY_BUCKETS;
}

const digestOf = (env: Uint8Array): string => sodium.to_hex(sodium.crypto_generichash(DIGEST_BYTES, env, null));

/**
 * The log head as stored carries this mark in every version that keeps a
 * map: a vault whose head is marked but has no root lost its map (removed on
 * disk), and is not trusted again from its rows as they are; an unmarked head
 * is a vault from before the map (trust on first use). The mark is stored
 * only: the head in memory, in bundles and in the chain stays {count, lastHash}.
 */
const HEAD_MARK = 'integrityMap';

/** The value stored in the custody log's head row. */
export function markedHead(head: BoundHead): BoundHead & { [HEAD_MARK]: true } {
  return { count: head.count, lastHash: head.lastHash, [HEAD_MARK]: true };
}

export function isMarkedHead(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[HEAD_MARK] === true;
}

export const sameHead = (a: BoundHead, b: BoundHead): boolean => a.count === b.count && a.lastHash === b.lastHash;

function rolledBack(message: string, detail: string): VaultError {
  return new VaultError('record-rolled-back', message, detail);
}

const isLocked = (error: unknown) => error instanceof VaultError && error.code === 'locked';

function parseRoot(value: unknown): RootValue {
  const root = value as Partial<RootValue> | null;
  const head = root?.head;
  if (
    !root ||
    !head ||
    typeof head.count !== 'number' ||
    typeof head.lastHash !== 'string' ||
    !Array.isArray(root.buckets) ||
    root.buckets.length !== INTEGRITY_BUCKETS ||
    !root.buckets.every((digest) => typeof digest === 'string')
  )
    throw rolledBack('The integrity map is malformed.', 'integrity root');
  return { head: { count: head.count, lastHash: head.lastHash }, buckets: root.buckets };
}

function parseBucket(value: unknown, bucket: number): Entries {
  const pairs = (value as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(pairs)) throw rolledBack('The integrity map is malformed.', `integrity bucket ${bucket}`);
  const entries = new Map<string, string>();
  for (const pair of pairs as unknown[]) {
    if (
      !Array.isArray(pair) ||
      typeof pair[0] !== 'string' ||
      typeof pair[1] !== 'string' ||
      bucketOf(pair[0]) !== bucket
    )
      throw rolledBack('The integrity map is malformed.', `integrity bucket ${bucket}`);
    entries.set(pair[0], pair[1]);
  }
  return entries;
}

/** A row as the map sees it: its id, and its envelope (for the tag). */
export interface TaggedRow {
  id: string;
  env: Uint8Array;
}

/**
 * `ok`: a root opened with the key, every bucket stored with the digest it
 * names. `missing`: no root where one must be (see HEAD_MARK). `damaged`: a
 * root that does not open, or a bucket that does not match it. In both, no
 * row can be vouched for: every check fails until the map is rebuilt.
 */
export type IntegrityState = 'ok' | 'missing' | 'damaged';

/**
 * The map of one unlocked vault: the root last read or written, and the
 * buckets checked against it (each kept with the digest it had, so a bucket
 * is reused only while the root still names that digest). Every method that
 * reads or writes `state` joins the caller's Dexie transaction if there is one.
 */
export class IntegrityMap {
  private root: { tag: string; value: RootValue } | null = null;
  private status: IntegrityState = 'missing';
  private readonly cache = new Map<number, { digest: string; entries: Entries }>();

  constructor(
    private readonly db: VaultDatabase,
    /** The records key (throws `locked` once wiped). */
    private readonly key: () => Uint8Array,
  ) {}

  get state(): IntegrityState {
    return this.status;
  }

  /** The log head the root binds, when there is a root. */
  get head(): BoundHead | undefined {
    return this.root?.value.head;
  }

  /**
   * About how many rows the map holds, from what is in memory: 0 when the
   * root names no bucket; otherwise the buckets in memory's mean size times
   * the buckets the root names, or undefined when none of them is in memory
   * (or there is no usable map). Only an estimate, for choosing how to read.
   */
  estimatedRows(): number | undefined {
    const root = this.root;
    if (!root || this.status !== 'ok') return undefined;
    let named = 0;
    let cached = 0;
    let entries = 0;
    for (const [index, digest] of root.value.buckets.entries()) {
      if (digest === EMPTY_DIGEST) continue;
      named += 1;
      const bucket = this.cache.get(index);
      if (bucket?.digest !== digest) continue;
      cached += 1;
      entries += bucket.entries.size;
    }
    if (named === 0) return 0;
    return cached === 0 ? undefined : Math.ceil((entries / cached) * named);
  }

  /** Marks the map as missing (a vault that must have one has none). */
  markMissing(): void {
    this.root = null;
    this.status = 'missing';
    this.cache.clear();
  }

  /**
   * Reads the stored root and makes it the current one, unless it is the
   * sealing already held (same nonce). A root that opens with the key is
   * genuine, so one written by another window is adopted; but only once every
   * bucket stored has the digest it names. Otherwise the map is `damaged`:
   * either that bucket or the root itself is an older copy, and an older root
   * would still vouch for the buckets (and rows) put back with it, so no row
   * is vouched for. (Hashing every bucket costs a few milliseconds, at open
   * and when another window has committed.) `afresh`: checked so even when it
   * is the root already held (verification: a bucket put back on disk while
   * the map in memory still vouches for the right rows). Returns whether a
   * root row exists.
   */
  async syncRoot(afresh = false): Promise<boolean> {
    const row = await this.db.state.get(ROOT_ROW_ID);
    if (!row) {
      this.markMissing();
      return false;
    }
    const tag = envelopeTag(row.env);
    if (!afresh && this.status === 'ok' && this.root?.tag === tag) return true;
    let value: RootValue | null = null;
    try {
      value = parseRoot(openJson(this.key(), ROOT_ADDRESS, row.env));
    } catch (error) {
      if (isLocked(error)) throw error;
    }
    const buckets = await this.db.state.bulkGet(Array.from({ length: INTEGRITY_BUCKETS }, (_, at) => bucketRowId(at)));
    const whole = value?.buckets.every((digest, at) => {
      const bucket = buckets[at];
      return digest === EMPTY_DIGEST || (bucket !== undefined && digestOf(bucket.env) === digest);
    });
    if (value && whole) {
      this.root = { tag, value };
      this.status = 'ok';
    } else {
      this.root = null;
      this.status = 'damaged';
    }
    return true;
  }

  /**
   * Opens every bucket the root names that is not in memory yet, a few at a
   * time with `pause` before each batch: after unlock, in the background.
   * Without it, the first reads of a large vault open a bucket for nearly
   * every row they check (a search's first queries at 50,000 documents
   * opened about two dozen each, the larger part of their time). Stops once
   * the map is forgotten (a lock) or unusable; rejects when locked or when
   * a read fails.
   */
  async warm(pause: () => Promise<void>, batch = WARM_BATCH): Promise<void> {
    for (let from = 0; from < INTEGRITY_BUCKETS; from += batch) {
      await pause();
      if (this.status !== 'ok') return;
      const indexes = Array.from({ length: Math.min(batch, INTEGRITY_BUCKETS - from) }, (_, at) => from + at);
      await this.bucketsFor(indexes);
    }
  }

  /**
   * The entries of these buckets, each checked against the root: from memory
   * while the root names the digest it had, else read and hashed. A bucket
   * that is missing, has another digest or does not open maps to null.
   */
  private async bucketsFor(indexes: Iterable<number>): Promise<Map<number, Entries | null>> {
    const root = this.root;
    const found = new Map<number, Entries | null>();
    const toRead: number[] = [];
    for (const index of new Set(indexes)) {
      const digest = root?.value.buckets[index];
      const cached = this.cache.get(index);
      if (!root || this.status !== 'ok' || digest === undefined) found.set(index, null);
      else if (digest === EMPTY_DIGEST) found.set(index, NO_ENTRIES);
      else if (cached?.digest === digest) found.set(index, cached.entries);
      else toRead.push(index);
    }
    // Nothing to read: done, but inside a transaction a read all the same. There every await here must be
    // Dexie's, or the caller's next request would run outside it (Dexie follows its transaction across native
    // awaits only so); outside one, a read would cost a transaction of its own on every checked read.
    if (toRead.length === 0 && !Dexie.currentTransaction) return found;
    const rows = await this.db.state.bulkGet(toRead.map(bucketRowId));
    for (const [at, index] of toRead.entries()) {
      const row = rows[at];
      const digest = root!.value.buckets[index]!;
      if (!row || digestOf(row.env) !== digest) {
        found.set(index, null);
        continue;
      }
      try {
        const entries = parseBucket(openJson(this.key(), bucketAddress(index), row.env), index);
        // Kept by digest: valid for whichever root names this digest, so a root adopted meanwhile is no risk.
        this.cache.set(index, { digest, entries });
        found.set(index, entries);
      } catch (error) {
        if (isLocked(error)) throw error;
        found.set(index, null);
      }
    }
    return found;
  }

  /**
   * Ids of `rows` whose envelope is not the one the map holds for their id
   * (an older copy, a row the map does not know), and ids of `absent` (read
   * and not found) that the map holds (a dropped row). With no usable map,
   * every id.
   */
  async stale(rows: readonly TaggedRow[], absent: readonly string[] = []): Promise<string[]> {
    if (rows.length === 0 && absent.length === 0) return [];
    const buckets = await this.bucketsFor([...rows.map((row) => bucketOf(row.id)), ...absent.map(bucketOf)]);
    const stale: string[] = [];
    for (const row of rows) {
      const entries = buckets.get(bucketOf(row.id));
      if (!entries || entries.get(row.id) !== envelopeTag(row.env)) stale.push(row.id);
    }
    for (const id of absent) {
      const entries = buckets.get(bucketOf(id));
      if (!entries || entries.has(id)) stale.push(id);
    }
    return stale;
  }

  /**
   * Inside a commit's transaction: the map once `deleted` ids are gone and
   * `put` rows have landed (in that order, as the commit writes them), with
   * `head` bound (undefined: the root's stays). Reads the stored root first
   * (another window may have committed), re-seals the buckets touched and the
   * root, and writes them. Returns what makes the new map current in memory,
   * to call once the transaction has committed. Refuses
   * (`record-rolled-back`, nothing written) when the stored map cannot be
   * verified: a change built on an unverified map would bless it.
   */
  async apply(put: readonly TaggedRow[], deleted: readonly string[], head: BoundHead | undefined): Promise<() => void> {
    await this.syncRoot();
    const root = this.root;
    if (this.status !== 'ok' || !root)
      throw rolledBack(
        'The record of which version of each record is current is missing or damaged; nothing was written.',
        'integrity root',
      );
    const touched = new Set([...put.map((row) => bucketOf(row.id)), ...deleted.map(bucketOf)]);
    const current = await this.bucketsFor(touched);
    const next = new Map<number, Map<string, string>>();
    for (const index of touched) {
      const entries = current.get(index);
      if (!entries)
        throw rolledBack(
          'A part of the record of current versions was replaced or removed; nothing was written.',
          `integrity bucket ${index}`,
        );
      next.set(index, new Map(entries));
    }
    for (const id of deleted) next.get(bucketOf(id))!.delete(id);
    for (const row of put) next.get(bucketOf(row.id))!.set(row.id, envelopeTag(row.env));

    const key = this.key();
    const digests = [...root.value.buckets];
    const writes: StateRow[] = [];
    const removes: number[] = [];
    const sealed: { index: number; digest: string; entries: Entries }[] = [];
    for (const [index, entries] of next) {
      if (entries.size === 0) {
        digests[index] = EMPTY_DIGEST;
        removes.push(bucketRowId(index));
        continue;
      }
      const env = sealJson(key, bucketAddress(index), FORMAT, { entries: [...entries] });
      digests[index] = digestOf(env);
      writes.push({ id: bucketRowId(index), env });
      sealed.push({ index, digest: digests[index], entries });
    }
    const value: RootValue = {
      head: head ? { count: head.count, lastHash: head.lastHash } : root.value.head,
      buckets: digests,
    };
    const rootEnv = sealJson(key, ROOT_ADDRESS, FORMAT, value);
    writes.push({ id: ROOT_ROW_ID, env: rootEnv });
    if (removes.length > 0) await this.db.state.bulkDelete(removes);
    await this.db.state.bulkPut(writes);
    return () => {
      this.root = { tag: envelopeTag(rootEnv), value };
      this.status = 'ok';
      for (const { index, digest, entries } of sealed) this.cache.set(index, { digest, entries });
      for (const row of removes) this.cache.delete(row - 1);
    };
  }

  /**
   * Inside the caller's transaction: replaces the whole map with one made
   * from `rows` (every row of `records`, as they are) and `head`. Returns what
   * makes it current in memory, to call once the transaction has committed.
   */
  async build(rows: readonly TaggedRow[], head: BoundHead): Promise<() => void> {
    const byBucket = new Map<number, Map<string, string>>();
    for (const row of rows) {
      const index = bucketOf(row.id);
      let entries = byBucket.get(index);
      if (!entries) byBucket.set(index, (entries = new Map<string, string>()));
      entries.set(row.id, envelopeTag(row.env));
    }
    const key = this.key();
    const digests = Array.from({ length: INTEGRITY_BUCKETS }, () => EMPTY_DIGEST);
    const writes: StateRow[] = [];
    const sealed: { index: number; digest: string; entries: Entries }[] = [];
    for (const [index, entries] of byBucket) {
      const env = sealJson(key, bucketAddress(index), FORMAT, { entries: [...entries] });
      digests[index] = digestOf(env);
      writes.push({ id: bucketRowId(index), env });
      sealed.push({ index, digest: digests[index], entries });
    }
    const value: RootValue = { head: { count: head.count, lastHash: head.lastHash }, buckets: digests };
    const rootEnv = sealJson(key, ROOT_ADDRESS, FORMAT, value);
    writes.push({ id: ROOT_ROW_ID, env: rootEnv });
    await this.db.state.clear();
    await this.db.state.bulkPut(writes);
    return () => {
      this.cache.clear();
      this.root = { tag: envelopeTag(rootEnv), value };
      this.status = 'ok';
      for (const { index, digest, entries } of sealed) this.cache.set(index, { digest, entries });
    };
  }

  /**
   * Inside the caller's (read) transaction, for "Verify custody log": the
   * stored root read afresh, then every row of `records` checked against it.
   * Counts rows that are not the version the map holds (or that it does not
   * know), ids it holds with no row, and, for a bucket that cannot be
   * verified, every row that falls in it (at least one). With no usable map,
   * every row (at least one). `head`: the stored log head, when it opens;
   * one more if the root binds another.
   */
  async audit(head: BoundHead | undefined): Promise<{ stale: number; headStale: boolean }> {
    await this.syncRoot(true);
    if (this.status !== 'ok') return { stale: Math.max(1, await this.db.records.count()), headStale: true };
    const buckets = await this.bucketsFor(Array.from({ length: INTEGRITY_BUCKETS }, (_, index) => index));
    const seen = new Set<string>();
    /** Rows per bucket that cannot be verified. */
    const unverifiable = new Map<number, number>();
    let stale = 0;
    let headStale = false;
    const count = (id: string) => {
      stale += 1;
      if (id === LOG_HEAD_ROW_ID) headStale = true;
    };
    await this.db.records.each((row) => {
      const index = bucketOf(row.id);
      const entries = buckets.get(index);
      seen.add(row.id);
      if (!entries) unverifiable.set(index, (unverifiable.get(index) ?? 0) + 1);
      else if (entries.get(row.id) !== envelopeTag(row.env)) count(row.id);
    });
    for (const [index, entries] of buckets) {
      if (entries) {
        for (const id of entries.keys()) if (!seen.has(id)) count(id);
        continue;
      }
      stale += Math.max(1, unverifiable.get(index) ?? 0);
      if (bucketOf(LOG_HEAD_ROW_ID) === index) headStale = true;
    }
    if (!headStale && head !== undefined && !sameHead(head, this.root!.value.head)) {
      stale += 1;
      headStale = true;
    }
    return { stale, headStale };
  }

  /** Drops what is held in memory (at lock). */
  forget(): void {
    this.root = null;
    this.status = 'missing';
    this.cache.clear();
  }
}
