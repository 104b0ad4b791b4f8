import { intersectPostings } from './intersect';
import { encodeShard, ShardReader, type Postings } from './shard-codec';

/** Where a term shard's bytes are kept (sealed, in the vault: term-shard-storage.ts; in memory in tests). */
export interface ShardSource {
  /** The stored bytes of these slots; a slot with nothing stored is absent. */
  read(slots: readonly number[]): Promise<Map<number, Uint8Array>>;
}

/** What FlexSearch keeps of an index between `add` and `commit` (the parts this store reads and empties). */
interface PendingIndex {
  map: Map<string, Postings>;
  reg: { clear(): void };
  commit_task: unknown[];
  db?: unknown;
}

/** Slots terms are spread over: a query reads one shard a term; a commit rewrites the shards its terms fall in. */
export const DEFAULT_SLOTS = 1024;
/** Bytes of opened shards kept for the next queries (typing the next letter asks again). */
const DEFAULT_CACHE_BYTES = 48 * 1024 * 1024;
/** Entry numbers of decoded, live-only postings kept (at most about 64 MB): a common word's run is 250,000 long at 50,000 pages. */
const DECODED_LIMIT = 16_000_000;

/** FNV-1a of the term's UTF-16 code units: which slot a term is kept in. Never stored: the row ids are keyed. */
export function slotOf(term: string, slots: number): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < term.length; at++) {
    hash ^= term.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % slots;
}

const countOf = (postings: Postings | undefined) =>
  Math.max(1, postings?.reduce((sum, ids) => sum + (ids?.length ?? 0), 0) ?? 0);

const hasPostings = (postings: Postings) => postings.some((ids) => ids !== undefined && ids.length > 0);

/**
 * A FlexSearch storage adapter over term shards: FlexSearch asks for a
 * term's postings (`get`) and hands over what was added since (`commit`);
 * the index itself keeps nothing in memory. Changed shards stay here,
 * decoded, until `takeChanged` gives their bytes to be stored; stored ones
 * are read through `source` and kept in a size-capped cache. Entries are
 * removed by number (`removeNumbers`), and `isLive` hides numbers whose
 * removal has not reached every shard yet.
 */
export class TermShardDb {
  /** Shards changed since the last `takeChanged`, decoded; never evicted. */
  private readonly changed = new Map<number, Map<string, Postings>>();
  /** How many times each changed shard was changed: a store keeps as changed what changed while it ran. */
  private readonly edits = new Map<number, number>();
  /** Stored shards read lately, most recent last; none are also in `changed`. */
  private readonly cache = new Map<number, ShardReader | null>();
  private cacheBytes = 0;
  private readonly cachedSizes = new Map<number, number>();
  /** Terms' live postings as last decoded, most recent last: a query's terms are decoded and filtered once. */
  private readonly decoded = new Map<string, Postings | undefined>();
  private decodedCount = 0;

  constructor(
    private readonly source: ShardSource,
    private readonly isLive: (number: number) => boolean = () => true,
    readonly slots = DEFAULT_SLOTS,
    private readonly cacheLimit = DEFAULT_CACHE_BYTES,
  ) {}

  // FlexSearch's storage interface: mounting, opening and clearing are this object's life, not a database's.
  mount(index: PendingIndex): Promise<void> {
    index.db = this;
    return Promise.resolve();
  }
  open(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.forget();
  }
  destroy(): Promise<void> {
    this.forget();
    return Promise.resolve();
  }
  clear(): Promise<void> {
    this.forget();
    return Promise.resolve();
  }
  has(): Promise<boolean> {
    // FlexSearch's `contain`: the search index keeps its own catalogue of entries.
    return Promise.resolve(false);
  }
  info(): Promise<{ slots: number; changed: number; cached: number }> {
    return Promise.resolve({ slots: this.slots, changed: this.changed.size, cached: this.cache.size });
  }
  enrich(ids: unknown[]): Promise<{ id: unknown; doc: null }[]> {
    return Promise.resolve(ids.map((id) => ({ id, doc: null })));
  }
  remove(): Promise<void> {
    // FlexSearch's own removal (a scan of every term): never asked for, since the index commits with its
    // `{del}` tasks ignored (numbers are never reused); removals go through `removeNumbers`.
    return Promise.resolve();
  }

  /**
   * Forgets decoded postings: to be called whenever entries are added or
   * removed (what is live changes), before the next query.
   */
  forgetDecoded(): void {
    this.decoded.clear();
    this.decodedCount = 0;
  }

  /** Drops every shard held in memory, changed or not (at lock, or when the stored index is replaced). */
  forget(): void {
    this.forgetDecoded();
    this.changed.clear();
    this.edits.clear();
    this.cache.clear();
    this.cachedSizes.clear();
    this.cacheBytes = 0;
  }

  /** The shards of these slots, read (or taken from memory) in one go. */
  private async shards(slots: readonly number[]): Promise<Map<number, ShardReader | Map<string, Postings> | null>> {
    const found = new Map<number, ShardReader | Map<string, Postings> | null>();
    const missing: number[] = [];
    for (const slot of new Set(slots)) {
      const changed = this.changed.get(slot);
      if (changed) found.set(slot, changed);
      else if (this.cache.has(slot)) {
        const reader = this.cache.get(slot)!;
        // Most recently used last.
        this.cache.delete(slot);
        this.cache.set(slot, reader);
        found.set(slot, reader);
      } else missing.push(slot);
    }
    if (missing.length > 0) {
      const read = await this.source.read(missing);
      for (const slot of missing) {
        const bytes = read.get(slot);
        const reader = bytes ? new ShardReader(bytes) : null;
        // A shard changed while it was being read is already newer in memory.
        if (this.changed.has(slot)) {
          found.set(slot, this.changed.get(slot)!);
          continue;
        }
        this.remember(slot, reader, bytes?.byteLength ?? 0);
        found.set(slot, reader);
      }
    }
    return found;
  }

  private remember(slot: number, reader: ShardReader | null, size: number): void {
    // Read twice at once (two searches while typing): counted once, and most recent last.
    this.uncache(slot);
    this.cache.set(slot, reader);
    this.cachedSizes.set(slot, size);
    this.cacheBytes += size;
    for (const [oldest] of this.cache) {
      if (this.cacheBytes <= this.cacheLimit || oldest === slot) break;
      this.cache.delete(oldest);
      this.cacheBytes -= this.cachedSizes.get(oldest) ?? 0;
      this.cachedSizes.delete(oldest);
    }
  }

  private uncache(slot: number): void {
    if (!this.cache.delete(slot)) return;
    this.cacheBytes -= this.cachedSizes.get(slot) ?? 0;
    this.cachedSizes.delete(slot);
  }

  /** A term's postings, live numbers only; undefined if it has none. Not to be changed by the caller. */
  async postings(term: string): Promise<Postings | undefined> {
    if (this.decoded.has(term)) {
      const kept = this.decoded.get(term);
      this.decoded.delete(term);
      this.decoded.set(term, kept);
      return kept;
    }
    const live = await this.decode(term);
    // Decoded twice at once: counted once. A term with none counts as one.
    if (this.decoded.has(term)) this.decodedCount -= countOf(this.decoded.get(term));
    this.decoded.set(term, live);
    this.decodedCount += countOf(live);
    for (const [oldest, postings] of this.decoded) {
      if (this.decodedCount <= DECODED_LIMIT || oldest === term) break;
      this.decoded.delete(oldest);
      this.decodedCount -= countOf(postings);
    }
    return live;
  }

  private async decode(term: string): Promise<Postings | undefined> {
    const slot = slotOf(term, this.slots);
    const shard = (await this.shards([slot])).get(slot);
    const postings = shard instanceof ShardReader ? shard.postings(term) : shard?.get(term);
    if (!postings) return undefined;
    const live: Postings = new Array<number[] | undefined>(postings.length);
    let any = false;
    postings.forEach((ids, at) => {
      const kept = ids?.filter((number) => this.isLive(number));
      if (kept && kept.length > 0) {
        live[at] = kept;
        any = true;
      }
    });
    return any ? live : undefined;
  }

  /**
   * FlexSearch's read of one term (`ctx` is for contextual indexes, not
   * used here). Unresolved, the postings by resolution slot; resolved, the
   * numbers in rank order from `offset`, at most `limit` (0: all).
   */
  async get(term: string, _ctx?: string, limit = 0, offset = 0, resolve = true): Promise<Postings | number[]> {
    const postings = await this.postings(term);
    if (!postings) return [];
    // A copy of the outer array: FlexSearch may change what it is given, never the runs inside.
    if (!resolve) return [...postings];
    const ranked: number[] = [];
    let skip = offset;
    for (const ids of postings) {
      if (!ids) continue;
      if (skip >= ids.length) {
        skip -= ids.length;
        continue;
      }
      for (let at = skip; at < ids.length; at++) {
        ranked.push(ids[at]!);
        if (limit > 0 && ranked.length === limit) return ranked;
      }
      skip = 0;
    }
    return ranked;
  }

  /**
   * FlexSearch's multi-term query, asked before its own: the terms' shards
   * read in one go and their postings intersected here (intersect.ts, the
   * same answer in the same order). Suggestions and unresolved results are
   * left to FlexSearch (false).
   */
  search(
    _index: unknown,
    terms: readonly string[],
    limit: number,
    offset: number,
    suggest: boolean,
    resolve: boolean,
  ): false | Promise<number[]> {
    if (suggest || !resolve) return false;
    return (async () => {
      const unique = [...new Set(terms.filter((term) => term !== ''))];
      await this.shards(unique.filter((term) => !this.decoded.has(term)).map((term) => slotOf(term, this.slots)));
      const lists: Postings[] = [];
      for (const term of unique) {
        const postings = await this.postings(term);
        if (!postings) return [];
        lists.push(postings);
      }
      return intersectPostings(lists, limit, offset);
    })();
  }

  /**
   * FlexSearch's hand-over of what was added since the last commit: each
   * term's new postings are merged into its shard, held here until stored.
   */
  async commit(index: PendingIndex): Promise<void> {
    const added = index.map;
    index.commit_task = [];
    if (added.size === 0) return;
    this.forgetDecoded();
    const bySlot = new Map<number, [string, Postings][]>();
    for (const [term, postings] of added) {
      const slot = slotOf(term, this.slots);
      const terms = bySlot.get(slot);
      if (terms) terms.push([term, postings]);
      else bySlot.set(slot, [[term, postings]]);
    }
    // Taken from FlexSearch before the first await: adds made meanwhile go to the next commit.
    index.map = new Map();
    index.reg.clear();
    const shards = await this.shards([...bySlot.keys()]);
    for (const [slot, terms] of bySlot) {
      const shard = this.editable(slot, shards.get(slot) ?? null);
      for (const [term, postings] of terms) {
        const current = shard.get(term) ?? [];
        postings.forEach((ids, at) => {
          if (!ids || ids.length === 0) return;
          // Appended in place (the shard's arrays are its own): a build commits a few hundred entries at a time.
          const kept = (current[at] ??= []);
          for (const id of ids) kept.push(id);
        });
        shard.set(term, current);
      }
    }
    // Again: a query may have decoded a term while the shards were read.
    this.forgetDecoded();
  }

  /** The shard of `slot` as a map that may be changed (moved from the cache to the changed shards). */
  private editable(slot: number, shard: ShardReader | Map<string, Postings> | null): Map<string, Postings> {
    this.edits.set(slot, (this.edits.get(slot) ?? 0) + 1);
    let terms = this.changed.get(slot);
    if (terms) return terms;
    terms = shard instanceof ShardReader ? shard.all() : new Map(shard ?? []);
    this.uncache(slot);
    this.changed.set(slot, terms);
    return terms;
  }

  /**
   * Takes `numbers` out of every shard that holds them: every slot is read
   * (a few at a time, `batch`), and those that change are kept as changed.
   * `stop` is asked between batches: true leaves the rest for a next call.
   * Returns whether every slot was done.
   */
  async removeNumbers(numbers: ReadonlySet<number>, stop: () => boolean = () => false, batch = 64): Promise<boolean> {
    if (numbers.size === 0) return true;
    for (let first = 0; first < this.slots; first += batch) {
      if (stop()) return false;
      const slots = Array.from({ length: Math.min(batch, this.slots - first) }, (_, at) => first + at);
      const shards = await this.shards(slots);
      for (const slot of slots) {
        const shard = shards.get(slot) ?? null;
        if (shard === null) continue;
        if (!(shard instanceof ShardReader)) {
          // Already changed (decoded, in memory): changed in place.
          if (this.removeFrom(shard, numbers)) this.edits.set(slot, (this.edits.get(slot) ?? 0) + 1);
          continue;
        }
        const terms = shard.all();
        if (this.removeFrom(terms, numbers)) {
          this.uncache(slot);
          this.changed.set(slot, terms);
          this.edits.set(slot, (this.edits.get(slot) ?? 0) + 1);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return true;
  }

  /** Takes `numbers` out of a shard's terms, in place; returns whether any was there. */
  private removeFrom(terms: Map<string, Postings>, numbers: ReadonlySet<number>): boolean {
    let touched = false;
    for (const [term, postings] of terms) {
      const kept = postings.map((ids) => {
        const left = ids?.filter((number) => !numbers.has(number));
        if (left && ids && left.length !== ids.length) touched = true;
        return left && left.length > 0 ? left : undefined;
      });
      if (hasPostings(kept)) terms.set(term, kept);
      else terms.delete(term);
    }
    return touched;
  }

  /** Whether shards changed since the last `takeChanged`. */
  get hasChanges(): boolean {
    return this.changed.size > 0;
  }

  /**
   * The bytes of every changed shard (an empty shard: empty bytes, to be
   * deleted), to be stored; `stored()` then moves them to the cache once
   * they are committed (not called: they stay changed, for the next store).
   */
  takeChanged(): { shards: Map<number, Uint8Array>; stored: () => void } {
    const versions = new Map([...this.changed.keys()].map((slot) => [slot, this.edits.get(slot) ?? 0]));
    const shards = new Map<number, Uint8Array>();
    for (const [slot, terms] of this.changed)
      shards.set(slot, terms.size === 0 ? new Uint8Array(0) : encodeShard(terms));
    return {
      shards,
      stored: () => {
        for (const [slot, version] of versions) {
          // Changed again while being stored (or forgotten): kept as it is now, for the next store.
          if (!this.changed.has(slot) || this.edits.get(slot) !== version) continue;
          this.changed.delete(slot);
          this.edits.delete(slot);
          const bytes = shards.get(slot)!;
          this.remember(slot, bytes.byteLength > 0 ? new ShardReader(bytes) : null, bytes.byteLength);
        }
      },
    };
  }
}
