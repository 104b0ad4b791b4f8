import MiniSearch from 'minisearch';
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

/** The words around the first place a term occurs, with where each term sits in the snippet. */
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
      marks.push([at, at + term.length]);
      from = at + term.length;
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
 */
export class SearchIndex {
  private readonly search = new MiniSearch<SearchEntry>({
    fields: ['title', 'text', 'khmer'],
    storeFields: [],
    // The Khmer skeleton field is indexed by three-letter pieces, so a word inside an unspaced run is found.
    tokenize: (text, field) => (field === 'khmer' ? skeletonTrigrams(text) : searchTerms(text)),
    // Terms arrive already normalised by the tokenizer.
    processTerm: (term) => term,
    extractField: (entry, field) =>
      field === 'khmer' ? (this.skeletons.get(entry.id) ?? '') : String(entry[field as keyof SearchEntry] ?? ''),
  });
  private readonly entries = new Map<string, SearchEntry>();
  /** Each entry's Khmer skeleton (only for entries with Khmer), to confirm a match is contiguous. */
  private readonly skeletons = new Map<string, string>();

  constructor(entries: Iterable<SearchEntry> = []) {
    for (const entry of entries) this.add(entry);
  }

  private add(entry: SearchEntry): void {
    this.entries.set(entry.id, entry);
    const skeleton = khmerSkeleton(`${entry.title} ${entry.text}`);
    if (skeleton !== '') this.skeletons.set(entry.id, skeleton);
    this.search.add(entry);
  }

  private remove(id: string): void {
    this.search.discard(id);
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
    if (terms.length === 0) {
      // Filters alone ("every hearing where counsel was not respected"): the matching entries, newest first.
      if (!SearchIndex.filtered(options)) return [];
      return [...this.entries.values()]
        .filter((entry) => this.passes(entry, options))
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
        .slice(0, options.limit ?? 50)
        .map((entry) => this.hit(entry, 0, []));
    }
    const skeleton = khmerSkeleton(text);
    const words = { queries: terms, combineWith: 'AND', prefix: true, fields: ['title', 'text'] } as const;
    const query =
      skeleton === ''
        ? words
        : {
            queries: [words, { queries: skeletonTrigrams(skeleton), combineWith: 'AND', fields: ['khmer'] }],
            combineWith: 'OR',
          };
    const results = this.search.search(query as Parameters<MiniSearch['search']>[0], {
      boost: { title: 2 },
      filter: (result) => {
        const entry = this.entries.get(String(result.id));
        if (!entry || !this.passes(entry, options)) return false;
        // A match through Khmer pieces counts only when the whole skeleton is there, in one piece.
        const byWords = result.terms.some((term) => terms.some((typed) => term.startsWith(typed)));
        return byWords || (this.skeletons.get(entry.id) ?? '').includes(skeleton);
      },
    });
    return results
      .slice(0, options.limit ?? 50)
      .map((result) => this.hit(this.entries.get(String(result.id))!, result.score, [...new Set(result.terms)]));
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
