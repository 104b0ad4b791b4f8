import { Index } from 'flexsearch';
import type { SearchHit, SearchKind, SearchOptions } from '../../api';
import { khmerSkeleton, normaliseForSearch, searchTerms, skeletonTrigrams } from '../../search-text';

/** One searchable unit: a case, a document page, an annotation, a hearing or a timeline event. */
export interface SearchEntry {
  id: string;
  kind: SearchKind;
  caseId: string;
  /** What the result is called (case title, document name, hearing date…). */
  title: string;
  text: string;
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

const SNIPPET_CHARS = 80;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const isKhmer = (char: string) => char >= '\u1780' && char <= '\u17ff';

/**
 * The words around the first place a term occurs, with where each term sits
 * in the snippet. A typed prefix is marked to the end of its word ("cour" marks
 * "court"), except inside unspaced Khmer, where a word has no visible end.
 */
function snippet(text: string, terms: readonly string[]): { text: string; marks: [number, number][] } {
  const folded = normaliseForSearch(text);
  // Folding can change lengths (NFKC, U+0000 removed): search in the folded text and show it.
  let first = -1;
  for (const term of terms) {
    const at = folded.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = Math.max(0, first - SNIPPET_CHARS / 2);
  const piece = folded.slice(start, start + SNIPPET_CHARS * 2).replace(/\s+/g, ' ');
  const marks: [number, number][] = [];
  for (const term of terms) {
    let from = 0;
    for (let at = piece.indexOf(term, from); at >= 0; at = piece.indexOf(term, from)) {
      let end = at + term.length;
      if (!isKhmer(term.at(-1) ?? ''))
        while (end < piece.length && WORD_CHAR.test(piece[end]!) && !isKhmer(piece[end]!)) end++;
      marks.push([at, end]);
      from = end;
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  return { text: `${start > 0 ? '…' : ''}${piece}`, marks: start > 0 ? marks.map(([a, b]) => [a + 1, b + 1]) : marks };
}

/**
 * The vault's search index, in the vault worker's memory only: brought up to
 * date from the decrypted records at the first search after unlock or after
 * a change (only what changed is re-tokenized), and dropped at lock. It never
 * touches IndexedDB, so nothing of it is at rest.
 *
 * FlexSearch answers "the best n" without scoring every match, which keeps a
 * query over terms found in nearly every page fast. Entries are ranked by
 * where the words occur (earlier first; the title comes first).
 */
export class SearchIndex {
  /** Words of the title and text; every prefix is indexed, so typing finds as it goes. */
  private readonly words = new Index({ tokenize: 'forward', fastupdate: true, encode: (text) => searchTerms(text) });
  /** Three-letter pieces of the Khmer skeleton, so a word inside an unspaced run, or in pdf.js's broken Khmer, is found. */
  private readonly khmer = new Index({
    tokenize: 'strict',
    fastupdate: true,
    encode: (skeleton) => skeletonTrigrams(skeleton),
  });
  private readonly entries = new Map<string, SearchEntry>();
  /** FlexSearch keys entries by number: each entry's number, and back. */
  private readonly numbers = new Map<string, number>();
  private readonly ids = new Map<number, string>();
  private nextNumber = 1;
  /** Each entry's Khmer skeleton (only for entries with Khmer), to confirm a match is contiguous. */
  private readonly skeletons = new Map<string, string>();

  constructor(entries: Iterable<SearchEntry> = []) {
    for (const entry of entries) this.add(entry);
  }

  private add(entry: SearchEntry): void {
    const number = this.nextNumber++;
    this.entries.set(entry.id, entry);
    this.numbers.set(entry.id, number);
    this.ids.set(number, entry.id);
    this.words.add(number, `${entry.title}\n${entry.text}`);
    const skeleton = khmerSkeleton(`${entry.title} ${entry.text}`);
    if (skeleton !== '') {
      this.skeletons.set(entry.id, skeleton);
      this.khmer.add(number, skeleton);
    }
  }

  private remove(id: string): void {
    const number = this.numbers.get(id);
    if (number !== undefined) {
      this.words.remove(number);
      if (this.skeletons.has(id)) this.khmer.remove(number);
      this.ids.delete(number);
    }
    this.numbers.delete(id);
    this.entries.delete(id);
    this.skeletons.delete(id);
  }

  /**
   * Brings the index to `next`: only entries that are new, gone or whose
   * text changed are (re)tokenized, a few hundred at a time with a pause
   * between, so other calls to the vault worker are not held up.
   */
  async update(next: Iterable<SearchEntry>, batch = 500): Promise<{ added: number; removed: number }> {
    const wanted = new Map<string, SearchEntry>();
    for (const entry of next) wanted.set(entry.id, entry);
    const stale = [...this.entries.keys()].filter((id) => {
      const entry = wanted.get(id);
      const current = this.entries.get(id)!;
      return !entry || entry.text !== current.text || entry.title !== current.title || entry.caseId !== current.caseId;
    });
    for (const id of stale) this.remove(id);
    const fresh = [...wanted.values()].filter((entry) => !this.entries.has(entry.id));
    for (let index = 0; index < fresh.length; index++) {
      this.add(fresh[index]!);
      if ((index + 1) % batch === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    // Fields that are not indexed (page, tags, dates) may change without a re-tokenization.
    for (const [id, entry] of wanted) this.entries.set(id, entry);
    return { added: fresh.length, removed: stale.length };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether an entry meets the filters (case, kind, tag, provision, indicator and answer, dates, document type). */
  private passes(entry: SearchEntry, options: SearchOptions): boolean {
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

  query(text: string, options: SearchOptions = {}): SearchHit[] {
    const terms = searchTerms(text);
    const limit = options.limit ?? 50;
    if (terms.length === 0) {
      // Filters alone ("every hearing where counsel was not respected"): the matching entries, newest first.
      if (!SearchIndex.filtered(options)) return [];
      return [...this.entries.values()]
        .filter((entry) => this.passes(entry, options))
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
        .slice(0, limit)
        .map((entry) => this.hit(entry, 0, terms));
    }
    const found: SearchEntry[] = [];
    const seen = new Set<string>();
    // Ask for more than wanted, and twice as many again while filters leave too few: a narrow filter
    // (one case) reads further down the list, an unfiltered search stops at the first batch.
    const collect = (search: (wanted: number) => unknown, confirm: (entry: SearchEntry) => boolean) => {
      for (let wanted = Math.max(limit * 2, 100); ; wanted *= 2) {
        // FlexSearch answers undefined, not [], for a term whose entries were all removed.
        const answer = search(wanted);
        const numbers = Array.isArray(answer) ? (answer as number[]) : [];
        for (const number of numbers) {
          const entry = this.entries.get(this.ids.get(number) ?? '');
          if (!entry || seen.has(entry.id) || !this.passes(entry, options) || !confirm(entry)) continue;
          seen.add(entry.id);
          found.push(entry);
          if (found.length >= limit) return;
        }
        if (numbers.length < wanted) return;
      }
    };
    collect(
      (wanted) => this.words.search(text, { limit: wanted }),
      () => true,
    );
    const skeleton = khmerSkeleton(text);
    if (skeleton !== '' && found.length < limit)
      collect(
        (wanted) => this.khmer.search(skeleton, { limit: wanted }),
        // A match through Khmer pieces counts only when the whole skeleton is there, in one piece.
        (entry) => (this.skeletons.get(entry.id) ?? '').includes(skeleton),
      );
    return found.map((entry, rank) => this.hit(entry, 1 / (rank + 1), terms));
  }

  private hit(entry: SearchEntry, score: number, matched: string[]): SearchHit {
    return {
      id: entry.id,
      kind: entry.kind,
      caseId: entry.caseId,
      title: entry.title,
      documentId: entry.documentId ?? null,
      page: entry.page ?? null,
      targetId: entry.targetId ?? null,
      score,
      terms: matched,
      snippet: snippet(entry.text || entry.title, matched),
    };
  }
}
