import { Index } from 'flexsearch';
import type { SearchHit, SearchKind, SearchOptions } from '../../api';
import { khmerSkeleton, searchTerms, skeletonTrigrams } from '../../search-text';
import {
  CATALOGUE_VERSION,
  decodeCataloguePiece,
  encodeCataloguePiece,
  pieceOf,
  PIECE_NUMBERS,
  type CatalogueHead,
} from './catalogue-codec';
import { snippet, type SnippetField } from './snippet';
import { TermShardDb, type ShardSource } from './term-shards/term-shard-db';
import { yieldToWorker } from '../yield-to-worker';

/** One searchable unit: a case, a document page, an annotation, a hearing or a timeline event. */
export interface SearchEntry {
  id: string;
  kind: SearchKind;
  caseId: string;
  /** What the result is called (case title, document name, hearing date…). */
  title: string;
  text: string;
  /** The named fields `text` is made of, where it has them (hearings): a snippet names its field. */
  fields?: SnippetField[];
  /** The record row it comes from: what to re-read for its text, or to drop when the row changes. */
  source?: string;
  documentId?: string;
  /** 0-based page of a document page or annotation. */
  page?: number;
  /** The record to open (annotation, hearing or event id). */
  targetId?: string;
  date?: string;
  tags?: string[];
  /** Provisions the charges name (hearings). */
  provisions?: string[];
  /** "indicator:answer" for every answered indicator (hearings). */
  indicators?: string[];
  /** pdf, image, text… (documents, their pages and annotations). */
  documentKind?: string;
}

/** What the index keeps of an entry: everything but its text (and its fields), which it only tokenizes. */
export type IndexedEntry = Omit<SearchEntry, 'text' | 'fields'> & { fingerprint: string };

/** A result before its snippet: the entry, its rank score and the typed terms to mark. */
export interface SearchMatch {
  entry: IndexedEntry;
  score: number;
  terms: string[];
}

/**
 * Catalogue pieces read in one go while a restored index is read whole (about 0.8 MiB at 50,000 documents): small
 * enough that a query typed meanwhile waits for one batch's decoding at most, not for 3 MiB of it.
 */
const WHOLE_BATCH_PIECES = 16;
/** The fewest numbers whose pieces a query reads at a time while filters leave it short of results. */
const MIN_PIECE_BATCH = 8;

/** Where the two indexes' term shards, and the catalogue's pieces (catalogue-codec.ts), are read from. */
export interface ShardSources {
  words: ShardSource;
  khmer: ShardSource;
  entries: ShardSource;
}

/** Nothing stored: an index kept in memory only (tests), or a new one before its first store. */
const NOTHING_STORED: ShardSource = { read: () => Promise.resolve(new Map()) };
const inMemory = (): ShardSources => ({ words: NOTHING_STORED, khmer: NOTHING_STORED, entries: NOTHING_STORED });

/** What a store of the index writes, taken at one moment: `stored()` once it is committed. */
export interface IndexSnapshot {
  /** What the pointer keeps: the next number and each piece's entry count. */
  head: CatalogueHead;
  /** Changed term shards and catalogue pieces by slot (a piece's slot is its number); empty bytes: none left. */
  shards: { words: Map<number, Uint8Array>; khmer: Map<number, Uint8Array>; entries: Map<number, Uint8Array> };
  stored(): void;
}

/**
 * A 53-bit hash of what an entry is indexed by (cyrb53): whether an entry
 * changed, without keeping its text. Not a security measure; the index is
 * never stored unencrypted.
 */
function fingerprintOf(entry: SearchEntry): string {
  const text = `${entry.caseId}\u0001${entry.title}\u0001${entry.text}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** A match with its snippet, cut from the entry's text. */
export function toHit(
  { entry, score, terms }: SearchMatch,
  text: string,
  fields: readonly SnippetField[] = [],
): SearchHit {
  return {
    id: entry.id,
    kind: entry.kind,
    caseId: entry.caseId,
    title: entry.title,
    documentId: entry.documentId ?? null,
    page: entry.page ?? null,
    targetId: entry.targetId ?? null,
    score,
    terms,
    snippet: text === '' ? snippet(entry.title, terms) : snippet(text, terms, fields),
  };
}

// No `fastupdate` register and no automatic commit: the terms live in the term shards (TermShardDb), which take
// what was added at each `commit`, and entries are removed from them by number (`sweep`).
function mounted(index: Index, db: TermShardDb): Index {
  // FlexSearch's `mount` sets the index's store at once (the promise it returns has nothing left to do).
  void index.mount(db as never);
  return index;
}
const wordsIndex = (db: TermShardDb) =>
  mounted(new Index({ tokenize: 'forward', encode: (text) => searchTerms(text), commit: false }), db);
const khmerIndex = (db: TermShardDb) =>
  mounted(new Index({ tokenize: 'strict', encode: (skeleton) => skeletonTrigrams(skeleton), commit: false }), db);

/**
 * The vault's search index: FlexSearch answers "the best n" without scoring
 * every match, which keeps a query over words found in nearly every page
 * fast. Entries are ranked by where the words occur (earlier first; the
 * title comes first). The index keeps no text: a fingerprint tells whether
 * an entry changed, and snippets are cut from the records when results are
 * shown. The terms are in term shards, read a few per query
 * (term-shards/); the catalogue (entries, their numbers, Khmer skeletons)
 * is in memory, and stored in pieces by number. A restored index reads the
 * pieces a query's hits fall in as it goes, so an unlock is ready at once;
 * `whole()` reads the rest, which every change needs first. `snapshot`
 * gives what the search service stores, encrypted.
 */
export class SearchIndex {
  private readonly wordsDb: TermShardDb;
  private readonly khmerDb: TermShardDb;
  private readonly pieces: ShardSource;
  /** Words of the title and text; every prefix is indexed, so typing finds as it goes. */
  private readonly words: Index;
  /** Three-letter pieces of the Khmer skeleton, so a word inside an unspaced run, or in pdf.js's broken Khmer, is found. */
  private readonly khmer: Index;

  constructor(sources: ShardSources = inMemory()) {
    // A number that names no entry (removed, not yet swept out of every shard) is never returned; one in a piece
    // not read yet may name one (the query reads it and looks again).
    const live = (number: number) =>
      this.byNumber[number] !== undefined || (this.unread !== null && this.unread.has(pieceOf(number)));
    this.pieces = sources.entries;
    this.wordsDb = new TermShardDb(sources.words, live);
    this.khmerDb = new TermShardDb(sources.khmer, live);
    this.words = wordsIndex(this.wordsDb);
    this.khmer = khmerIndex(this.khmerDb);
  }
  /**
   * Entries by number, FlexSearch's key for them (a removed entry's place holds undefined). An array, not a map:
   * a restore at unlock puts 300,000 entries here, and a query turns each number it is given into its entry.
   */
  private byNumber: (IndexedEntry | undefined)[] = [];
  private count = 0;
  /** Each entry's number by its id: made at the first change or lookup by id (an unlock does not wait for it). */
  private numbersMap: Map<string, number> | null = null;
  private nextNumber = 1;
  /** Each entry's Khmer skeleton by number (only for entries with Khmer), to confirm a match is contiguous. */
  private readonly skeletons = new Map<number, string>();
  /** Entry ids by the record row they come from: made at the first change (an unlock does not wait for it). */
  private bySourceMap: Map<string, Set<string>> | null = null;
  /**
   * A restored index's catalogue pieces not read yet (null: none), with the entry count each must hold, and
   * the reads under way. A change needs them all (`whole`); a query reads those its hits fall in.
   */
  private unread: Set<number> | null = null;
  private expectedCounts: readonly number[] = [];
  private unreadCount = 0;
  private readonly reading = new Map<number, Promise<void>>();
  /** Pieces whose entries changed since the last store, with how many times (a store keeps what changed while
   * it ran). */
  private readonly changedPieces = new Map<number, number>();

  /** Whether every entry is in memory: always, but for a restored index not yet read whole. */
  get isWhole(): boolean {
    return this.unread === null;
  }

  private requireWhole(): void {
    if (this.unread !== null) throw new Error('the search index is not read whole yet');
  }

  private touch(number: number): void {
    const piece = pieceOf(number);
    this.changedPieces.set(piece, (this.changedPieces.get(piece) ?? 0) + 1);
  }

  private get bySource(): Map<string, Set<string>> {
    this.requireWhole();
    if (this.bySourceMap === null) {
      this.bySourceMap = new Map();
      for (const entry of this.allEntries()) this.addSource(this.bySourceMap, entry);
    }
    return this.bySourceMap;
  }

  private get numbers(): Map<string, number> {
    this.requireWhole();
    if (this.numbersMap === null) {
      this.numbersMap = new Map();
      this.byNumber.forEach((entry, number) => {
        if (entry) this.numbersMap!.set(entry.id, number);
      });
    }
    return this.numbersMap;
  }

  /** The entry with this id, if the index holds it. */
  private entry(id: string): IndexedEntry | undefined {
    const number = this.numbers.get(id);
    return number === undefined ? undefined : this.byNumber[number];
  }

  private addSource(bySource: Map<string, Set<string>>, entry: IndexedEntry): void {
    if (entry.source === undefined) return;
    const ids = bySource.get(entry.source);
    if (ids) ids.add(entry.id);
    else bySource.set(entry.source, new Set([entry.id]));
  }

  private add(entry: SearchEntry): void {
    const { text: _text, fields: _fields, ...kept } = entry;
    const number = this.nextNumber++;
    this.remember({ ...kept, fingerprint: fingerprintOf(entry) }, number);
    this.words.add(number, `${entry.title}\n${entry.text}`);
    const skeleton = khmerSkeleton(`${entry.title} ${entry.text}`);
    if (skeleton !== '') {
      this.skeletons.set(number, skeleton);
      this.khmer.add(number, skeleton);
    }
  }

  private remember(entry: IndexedEntry, number: number): void {
    if (this.byNumber[number] === undefined) this.count++;
    this.byNumber[number] = entry;
    this.touch(number);
    this.numbersMap?.set(entry.id, number);
    if (this.bySourceMap) this.addSource(this.bySourceMap, entry);
  }

  /**
   * Numbers of entries gone from the catalogue but still in term shards:
   * taking them out reads every shard, so it is done before the next store
   * (`sweep`). A query never sees them: their numbers name no entry.
   */
  private readonly unswept = { words: new Set<number>(), khmer: new Set<number>() };

  private remove(id: string): void {
    const number = this.numbers.get(id);
    if (number === undefined) return;
    const source = this.byNumber[number]?.source;
    // Whether it had Khmer is not known before the skeletons are read: the Khmer shards are swept for it too.
    this.unswept.words.add(number);
    this.unswept.khmer.add(number);
    this.byNumber[number] = undefined;
    this.count--;
    this.touch(number);
    // What is live changed: postings decoded for earlier queries would still hold it.
    this.wordsDb.forgetDecoded();
    this.khmerDb.forgetDecoded();
    if (source !== undefined && this.bySourceMap) {
      const ids = this.bySourceMap.get(source);
      ids?.delete(id);
      if (ids?.size === 0) this.bySourceMap.delete(source);
    }
    this.numbers.delete(id);
    this.skeletons.delete(number);
  }

  /**
   * Adds `fresh` a few hundred at a time, each batch handed to the term
   * shards, with a pause between, so other calls to the vault worker are
   * not held up.
   */
  private async addAll(fresh: SearchEntry[], batch: number): Promise<void> {
    for (let index = 0; index < fresh.length; index++) {
      this.add(fresh[index]!);
      if ((index + 1) % batch === 0) {
        await this.commitAdded();
        await yieldToWorker();
      }
    }
    await this.commitAdded();
  }

  private async commitAdded(): Promise<void> {
    await this.words.commit();
    await this.khmer.commit();
  }

  /**
   * Brings the index to `next`, the whole set of entries: only entries that
   * are new, gone or whose indexed text changed are (re)tokenized.
   */
  async update(next: Iterable<SearchEntry>, batch = 500): Promise<{ added: number; removed: number }> {
    const wanted = new Map<string, SearchEntry>();
    for (const entry of next) wanted.set(entry.id, entry);
    const stale = [...this.allEntries()]
      .filter((current) => {
        const entry = wanted.get(current.id);
        return !entry || fingerprintOf(entry) !== current.fingerprint;
      })
      .map((current) => current.id);
    for (const id of stale) this.remove(id);
    const fresh = [...wanted.values()].filter((entry) => !this.numbers.has(entry.id));
    await this.addAll(fresh, batch);
    // Fields that are not indexed (page, tags, dates) may change without a re-tokenization.
    for (const entry of wanted.values()) this.refreshFields(entry);
    // An entry moved to another row is added again there: handed to the shards before the next query.
    await this.commitAdded();
    return { added: fresh.length, removed: stale.length };
  }

  /**
   * Replaces what the given record rows gave with `entries` (rows that are
   * gone give none): how a few changed records update a large index.
   */
  async replaceSources(sources: Iterable<string>, entries: readonly SearchEntry[], batch = 500): Promise<void> {
    const wanted = new Map(entries.map((entry) => [entry.id, entry]));
    for (const source of sources)
      for (const id of [...(this.bySource.get(source) ?? [])]) {
        const entry = wanted.get(id);
        if (!entry || fingerprintOf(entry) !== this.entry(id)?.fingerprint) this.remove(id);
      }
    // An entry may also move between rows (never today) or be given by a row not listed: replace it too.
    for (const entry of entries) {
      const current = this.entry(entry.id);
      if (current && current.fingerprint !== fingerprintOf(entry)) this.remove(entry.id);
    }
    await this.addAll(
      entries.filter((entry) => !this.numbers.has(entry.id)),
      batch,
    );
    for (const entry of entries) this.refreshFields(entry);
    await this.commitAdded();
  }

  private refreshFields(entry: SearchEntry): void {
    const number = this.numbers.get(entry.id);
    const current = number === undefined ? undefined : this.byNumber[number];
    if (!current || number === undefined) return;
    const { text: _text, fields: _fields, ...kept } = entry;
    const next = { ...kept, fingerprint: current.fingerprint };
    if (current.source !== next.source) {
      this.remove(entry.id);
      this.add(entry);
    } else if (JSON.stringify(current) !== JSON.stringify(next)) {
      // Only a real change: a store rewrites the pieces touched.
      this.byNumber[number] = next;
      this.touch(number);
    }
  }

  /**
   * Takes removed entries out of the term shards, a few at a time with a pause
   * between, until none is left or `stop()` says so. Returns whether none is
   * left.
   */
  async sweep(stop: () => boolean = () => false): Promise<boolean> {
    for (const space of ['words', 'khmer'] as const) {
      const numbers = this.unswept[space];
      if (numbers.size === 0) continue;
      const taken = new Set(numbers);
      const db = space === 'words' ? this.wordsDb : this.khmerDb;
      if (!(await db.removeNumbers(taken, stop))) return false;
      for (const number of taken) numbers.delete(number);
    }
    return true;
  }

  /** Entry ids given by these record rows. */
  entriesFrom(source: string): string[] {
    return [...(this.bySource.get(source) ?? [])];
  }

  /** Every indexed entry (no text), by number. */
  allEntries(): IterableIterator<IndexedEntry> {
    this.requireWhole();
    return (function* (byNumber) {
      for (const entry of byNumber) if (entry !== undefined) yield entry;
    })(this.byNumber);
  }

  get size(): number {
    return this.count + this.unreadCount;
  }

  /** Whether an entry meets the filters (case, kind, tag, provision, indicator and answer, dates, document type). */
  private passes(entry: IndexedEntry, options: SearchOptions): boolean {
    if (options.caseId && entry.caseId !== options.caseId) return false;
    if (options.kinds && options.kinds.length > 0 && !options.kinds.includes(entry.kind)) return false;
    if (options.tag && !(entry.tags ?? []).includes(options.tag)) return false;
    if (options.documentKind && entry.documentKind !== options.documentKind) return false;
    if (options.provision) {
      const wanted = options.provision.toLowerCase();
      if (!(entry.provisions ?? []).some((provision) => provision.toLowerCase().startsWith(wanted))) return false;
    }
    if (options.indicator) {
      const wanted = `${options.indicator}:${options.answer ?? ''}`;
      if (!(entry.indicators ?? []).some((answer) => (options.answer ? answer === wanted : answer.startsWith(wanted))))
        return false;
    }
    if (options.from || options.to) {
      // Approximate dates compare by their text: "2025-03" sorts between "2025-02-28" and "2025-03-01".
      if (!entry.date) return false;
      if (options.from && entry.date.slice(0, options.from.length) < options.from) return false;
      if (options.to && entry.date.slice(0, options.to.length) > options.to) return false;
    }
    return true;
  }

  private static filtered(options: SearchOptions): boolean {
    return Boolean(
      options.tag || options.provision || options.indicator || options.from || options.to || options.documentKind,
    );
  }

  async query(text: string, options: SearchOptions = {}): Promise<SearchMatch[]> {
    const terms = searchTerms(text);
    const limit = options.limit ?? 50;
    if (terms.length === 0) {
      // Filters alone ("every hearing where counsel was not respected"): the matching entries, newest first.
      if (!SearchIndex.filtered(options)) return [];
      await this.whole();
      return [...this.allEntries()]
        .filter((entry) => this.passes(entry, options))
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
        .slice(0, limit)
        .map((entry) => ({ entry, score: 0, terms }));
    }
    const found: IndexedEntry[] = [];
    const seen = new Set<string>();
    // Ask for more than wanted, and twice as many again while filters leave too few: a narrow filter
    // (one case) reads further down the list, an unfiltered search stops at the first batch.
    const collect = async (search: (wanted: number) => Promise<unknown>, confirm: (number: number) => boolean) => {
      for (let wanted = Math.max(limit * 2, 100); ; wanted *= 2) {
        // The term shard store answers [] for a term with no live entries; anything else not an array counts as none.
        const answer = await search(wanted);
        const numbers = Array.isArray(answer) ? (answer as number[]) : [];
        for (let at = 0, round = 0; at < numbers.length; round++) {
          // Before the catalogue is read whole, the pieces of only as many numbers as results are still
          // wanted: an unfiltered search looks at no more, and each piece read is a row opened and decoded.
          // Twice as many each time filters leave it short, so a narrow filter costs a few reads, not dozens.
          const batch = numbers.slice(at, at + Math.max(limit - found.length, MIN_PIECE_BATCH) * 2 ** round);
          at += batch.length;
          if (!this.isWhole) await this.readPieces(batch.map(pieceOf));
          for (const number of batch) {
            const entry = this.byNumber[number];
            if (!entry || seen.has(entry.id) || !this.passes(entry, options) || !confirm(number)) continue;
            seen.add(entry.id);
            found.push(entry);
            if (found.length >= limit) return;
          }
        }
        if (numbers.length < wanted) return;
      }
    };
    await collect(
      (wanted) => Promise.resolve(this.words.search(text, { limit: wanted }) as unknown),
      () => true,
    );
    const skeleton = khmerSkeleton(text);
    if (skeleton !== '' && found.length < limit)
      await collect(
        (wanted) => Promise.resolve(this.khmer.search(skeleton, { limit: wanted }) as unknown),
        // A match through Khmer pieces counts only when the whole skeleton is there, in one piece.
        (number) => (this.skeletons.get(number) ?? '').includes(skeleton),
      );
    return found.map((entry, rank) => ({ entry, score: 1 / (rank + 1), terms }));
  }

  /**
   * What a store of the index writes, taken at one moment: the catalogue's
   * head, and the term shards and catalogue pieces changed since the last
   * store (`allPieces`: every piece, when the stored ones are gone). Removed
   * entries are swept out of every shard first. `stored()` is called once
   * they are committed; until then what changed stays changed.
   */
  async snapshot(stop: () => boolean = () => false, { allPieces = false } = {}): Promise<IndexSnapshot> {
    this.requireWhole();
    // What was removed must be gone from the stored shards too (a deleted document's words).
    if (!(await this.sweep(stop))) throw new Error('search index snapshot stopped');
    await this.commitAdded();
    const words = this.wordsDb.takeChanged();
    const khmer = this.khmerDb.takeChanged();
    const taken = new Map(this.changedPieces);
    const counts = new Array<number>(Math.ceil(this.nextNumber / PIECE_NUMBERS)).fill(0);
    const entries = new Map<number, Uint8Array>();
    for (const piece of allPieces ? counts.keys() : taken.keys()) entries.set(piece, this.encodePiece(piece));
    this.byNumber.forEach((entry, number) => {
      if (entry !== undefined) counts[pieceOf(number)]! += 1;
    });
    return {
      head: { version: CATALOGUE_VERSION, nextNumber: this.nextNumber, counts },
      shards: { words: words.shards, khmer: khmer.shards, entries },
      stored: () => {
        words.stored();
        khmer.stored();
        // Changed again while being stored: kept as changed, for the next store.
        for (const [piece, edits] of taken)
          if (this.changedPieces.get(piece) === edits) this.changedPieces.delete(piece);
      },
    };
  }

  /** A piece's bytes (catalogue-codec.ts); empty when it holds no entry. */
  private encodePiece(piece: number): Uint8Array {
    const entries: [number, IndexedEntry][] = [];
    const skeletons: [number, string][] = [];
    const end = Math.min((piece + 1) * PIECE_NUMBERS, this.byNumber.length);
    for (let number = piece * PIECE_NUMBERS; number < end; number++) {
      const entry = this.byNumber[number];
      if (entry === undefined) continue;
      entries.push([number, entry]);
      const skeleton = this.skeletons.get(number);
      if (skeleton !== undefined) skeletons.push([number, skeleton]);
    }
    return entries.length === 0 ? new Uint8Array(0) : encodeCataloguePiece({ entries, skeletons });
  }

  /**
   * An index as a snapshot's catalogue head says it was, its terms and
   * catalogue pieces read from `sources` when needed: nothing is read here.
   */
  static restore(head: CatalogueHead, sources: ShardSources): SearchIndex {
    const index = new SearchIndex(sources);
    index.nextNumber = head.nextNumber;
    // Filled, not holey: the numbers of removed entries leave gaps, and a sparse array would become a dictionary.
    index.byNumber = new Array<IndexedEntry | undefined>(head.nextNumber).fill(undefined);
    index.expectedCounts = head.counts;
    const unread = new Set<number>();
    head.counts.forEach((count, piece) => {
      if (count === 0) return;
      unread.add(piece);
      index.unreadCount += count;
    });
    index.unread = unread.size > 0 ? unread : null;
    return index;
  }

  /**
   * Reads every catalogue piece not read yet, a batch at a time with a
   * pause between (the vault answers meanwhile), and before each batch
   * waits for `beforeBatch` (the search service holds it back while
   * searches answer). Rejects if a piece is missing or damaged: the index
   * is then to be built again.
   */
  async whole(
    onProgress: (done: number, total: number) => void = () => undefined,
    beforeBatch: () => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    const total = this.unread?.size ?? 0;
    while (this.unread !== null) {
      await beforeBatch();
      if (this.unread === null) break;
      await this.readPieces([...this.unread].slice(0, WHOLE_BATCH_PIECES));
      onProgress(total - (this.unread?.size ?? 0), total);
      await yieldToWorker();
    }
  }

  /** Reads these catalogue pieces, if not read yet (each read once, even when asked for twice at once). */
  private async readPieces(pieces: readonly number[]): Promise<void> {
    const unread = this.unread;
    if (unread === null) return;
    const waits: Promise<void>[] = [];
    const fresh: number[] = [];
    for (const piece of new Set(pieces)) {
      if (!unread.has(piece)) continue;
      const reading = this.reading.get(piece);
      if (reading) waits.push(reading);
      else fresh.push(piece);
    }
    if (fresh.length > 0) {
      const read = this.takePieces(fresh).finally(() => {
        for (const piece of fresh) this.reading.delete(piece);
      });
      for (const piece of fresh) this.reading.set(piece, read);
      waits.push(read);
    }
    await Promise.all(waits);
  }

  private async takePieces(pieces: number[]): Promise<void> {
    const found = await this.pieces.read(pieces);
    try {
      for (const piece of pieces) {
        const bytes = found.get(piece);
        // Missing, or not what the head said: the stored catalogue is not whole.
        if (!bytes) throw new Error('damaged search catalogue: a piece is missing');
        const { entries, skeletons } = decodeCataloguePiece(bytes, piece);
        if (entries.length !== this.expectedCounts[piece]) throw new Error('damaged search catalogue');
        if (this.unread === null || !this.unread.has(piece)) continue;
        for (const [number, entry] of entries) {
          this.byNumber[number] = entry;
          this.count++;
        }
        for (const [number, skeleton] of skeletons) this.skeletons.set(number, skeleton);
        this.unread.delete(piece);
        this.unreadCount -= entries.length;
      }
    } finally {
      // Every piece read, taken in or not (a later one damaged): its decrypted bytes go.
      for (const bytes of found.values()) bytes.fill(0);
    }
    if (this.unread?.size === 0) {
      this.unread = null;
      // Postings decoded while pieces were unread counted their numbers as live.
      this.wordsDb.forgetDecoded();
      this.khmerDb.forgetDecoded();
    }
  }
}
