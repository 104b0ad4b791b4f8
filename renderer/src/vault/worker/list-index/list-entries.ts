/**
 * What the vault-wide lists show of each record: one small entry per
 * record, kept in the sealed list index (list-index.ts) so that opening a
 * list reads a few dozen rows instead of opening every record. Each listed
 * kind names its entry function in the registry (record-kinds.ts,
 * `listEntry`); the version goes up whenever an entry's shape changes, and an
 * index of another version is built again from the records.
 */
import { hearingListing, tallyAnswers, type HearingListing } from '../../hearing-model';
import { documentListing, type DocumentListing } from '../../document-view';
import type { AnnotationPage, CaseRecord, CaseSummary, DocumentRecord } from '../../model';

/**
 * What the home screen counts over a listed kind, kept beside its index and
 * moved by every entry added (sign 1) or taken away (sign -1), so that the
 * overview reads one row per kind instead of every entry.
 */
export interface ListSummaryOf<Entry, Summary> {
  empty(): Summary;
  add(summary: Summary, entry: Entry, sign: 1 | -1): void;
}

/** A listed kind's entry function, its summary, and the version of both. */
export interface ListEntryOf<Value, Entry, Summary = unknown> {
  version: number;
  of: (value: Value) => Entry;
  summary: ListSummaryOf<Entry, Summary>;
}

/** Adds `sign` to a count, dropping it at zero (the overview lists what there is). */
function count(counts: Record<string, number>, key: string, sign: 1 | -1): void {
  const next = (counts[key] ?? 0) + sign;
  if (next === 0) delete counts[key];
  else counts[key] = next;
}

export function caseSummary(record: CaseRecord): CaseSummary {
  const { id, title, references, status, tags, archived, updatedAt } = record;
  return { id, title, references, status, tags, archived, updatedAt };
}

/** An annotated page as the home screen counts it: which document, how many annotations. */
export interface AnnotationPageListing {
  documentId: string;
  annotations: number;
}

/** Open cases by status (archived ones are left out). */
export interface CasesSummary {
  byStatus: Record<string, number>;
}

/** Hearings per month of their current date; answers of their latest signed-off version. */
export interface HearingsSummary {
  perMonth: Record<string, number>;
  answers: Record<string, number>;
}

/** A document the home screen may list as awaiting annotation: [id, case id, name, intake time]. */
export type RecentDocument = [string, string, string, number];

/**
 * Documents: how many; how many can be annotated (PDFs, texts, images);
 * the newest of those, newest first (at most RECENT_DOCUMENTS), for the home
 * screen; and the newest documents of any kind as the documents view lists
 * them, less their descriptions (at most NEWEST_DOCUMENTS), so its first
 * pages in the default order need no other row. Each list is always the start of its order, though it
 * may hold fewer than it could once some of its documents were deleted: a
 * document older than its last is then not added (one between them may be
 * missing), and the reader reads every document when the start it has is too
 * short.
 */
export interface DocumentsSummary {
  count: number;
  annotatable: number;
  recent: RecentDocument[];
  newest: DocumentListing[];
}

/** How many of each document's pages carry annotations. */
export interface AnnotatedSummary {
  pages: Record<string, number>;
}

export const RECENT_DOCUMENTS = 200;
/** Two of the documents view's pages of 200 rows (AllDocumentsPanel). */
export const NEWEST_DOCUMENTS = 400;

export const isAnnotatable = (document: Pick<DocumentRecord, 'kind'>): boolean =>
  document.kind === 'pdf' || document.kind === 'text' || document.kind === 'image';

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first; the same time ordered by id, so every vault orders alike. */
export const newerFirst = (a: RecentDocument, b: RecentDocument): number => b[3] - a[3] || byId(a[0], b[0]);

/** The documents view's default order (document-view.ts, DEFAULT_DOCUMENT_VIEW): newest first, then by id. */
const newerListingFirst = (a: DocumentListing, b: DocumentListing): number =>
  b.intakeAt - a.intakeAt || byId(a.id, b.id);

/**
 * Moves `start`, the first entries of an order (`first`) over a set of `before` entries, by one entry added or
 * taken away. An entry is added only where it is sure to belong: with every entry there, or ahead of the last one.
 */
function moveStart<T>(
  start: T[],
  entry: T,
  sign: 1 | -1,
  before: number,
  same: (a: T) => boolean,
  first: (a: T, b: T) => number,
  most: number,
): void {
  if (sign === -1) {
    const at = start.findIndex(same);
    if (at >= 0) start.splice(at, 1);
    return;
  }
  const last = start.at(-1);
  if (start.length === before || (last !== undefined && first(entry, last) < 0)) {
    const at = start.findIndex((other) => first(entry, other) < 0);
    start.splice(at === -1 ? start.length : at, 0, entry);
    if (start.length > most) start.length = most;
  }
}

function addDocument(summary: DocumentsSummary, document: DocumentListing, sign: 1 | -1): void {
  const documents = summary.count;
  summary.count += sign;
  const same = (id: string) => id === document.id;
  // Kept without its description (up to 50,000 characters, never shown in the table, only filtered on, which the
  // summary does not serve): the summary is re-sealed by every commit that touches a document.
  const listed: DocumentListing = sign === 1 ? { ...document, description: '' } : document;
  moveStart(summary.newest, listed, sign, documents, (other) => same(other.id), newerListingFirst, NEWEST_DOCUMENTS);
  if (!isAnnotatable(document)) return;
  const annotatable = summary.annotatable;
  summary.annotatable += sign;
  const entry: RecentDocument = [document.id, document.caseId, document.name, document.intakeAt];
  moveStart(summary.recent, entry, sign, annotatable, ([id]) => same(id), newerFirst, RECENT_DOCUMENTS);
}

export const caseListEntry: ListEntryOf<CaseRecord, CaseSummary, CasesSummary> = {
  version: 1,
  of: caseSummary,
  summary: {
    empty: () => ({ byStatus: {} }),
    add: (summary, entry, sign) => {
      if (!entry.archived) count(summary.byStatus, entry.status, sign);
    },
  },
};
/** What the documents view shows and filters on (the record less its blob id, type and provenance but its description). */
export const documentListEntry: ListEntryOf<DocumentRecord, DocumentListing, DocumentsSummary> = {
  // 2: a listing, not the whole record. 3: the summary keeps the newest listings.
  version: 3,
  of: documentListing,
  summary: { empty: () => ({ count: 0, annotatable: 0, recent: [], newest: [] }), add: addDocument },
};
export const hearingListEntry: ListEntryOf<Parameters<typeof hearingListing>[0], HearingListing, HearingsSummary> = {
  // 2: tallies compact (counts and answer codes).
  version: 2,
  of: hearingListing,
  summary: {
    empty: () => ({ perMonth: {}, answers: {} }),
    add: (summary, hearing, sign) => {
      // Hearings dated only by year have no month.
      const month = /^(\d{4}-\d{2})/.exec(hearing.current.date)?.[1];
      if (month) count(summary.perMonth, month, sign);
      for (const { answer } of tallyAnswers(hearing.latestFinal ?? { answers: [] }))
        count(summary.answers, answer, sign);
    },
  },
};
export const annotationPageListEntry: ListEntryOf<AnnotationPage, AnnotationPageListing, AnnotatedSummary> = {
  version: 1,
  of: (page) => ({ documentId: page.documentId, annotations: page.annotations.length }),
  summary: {
    empty: () => ({ pages: {} }),
    add: (summary, page, sign) => {
      if (page.annotations > 0) count(summary.pages, page.documentId, sign);
    },
  },
};
