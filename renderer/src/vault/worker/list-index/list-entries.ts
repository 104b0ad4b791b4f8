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
 * and the newest of those, newest first (at most RECENT_DOCUMENTS). `recent`
 * is always the start of that order, though it may hold fewer than it could
 * once some of its documents were deleted: a document older than its last is
 * then not added (one between them may be missing), and the overview reads
 * every document when the start it has is too short.
 */
export interface DocumentsSummary {
  count: number;
  annotatable: number;
  recent: RecentDocument[];
}

/** How many of each document's pages carry annotations. */
export interface AnnotatedSummary {
  pages: Record<string, number>;
}

export const RECENT_DOCUMENTS = 200;

export const isAnnotatable = (document: Pick<DocumentRecord, 'kind'>): boolean =>
  document.kind === 'pdf' || document.kind === 'text' || document.kind === 'image';

/** Newest first; the same time ordered by id, so every vault orders alike. */
export const newerFirst = (a: RecentDocument, b: RecentDocument): number =>
  b[3] - a[3] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function addDocument(summary: DocumentsSummary, document: DocumentListing, sign: 1 | -1): void {
  summary.count += sign;
  if (!isAnnotatable(document)) return;
  const before = summary.annotatable;
  summary.annotatable += sign;
  const { recent } = summary;
  if (sign === -1) {
    const at = recent.findIndex(([id]) => id === document.id);
    if (at >= 0) recent.splice(at, 1);
    return;
  }
  const entry: RecentDocument = [document.id, document.caseId, document.name, document.intakeAt];
  const last = recent.at(-1);
  // Added only where it is sure to belong: with every annotatable document there, or ahead of the last one.
  if (recent.length === before || (last !== undefined && newerFirst(entry, last) < 0)) {
    const at = recent.findIndex((other) => newerFirst(entry, other) < 0);
    recent.splice(at === -1 ? recent.length : at, 0, entry);
    if (recent.length > RECENT_DOCUMENTS) recent.length = RECENT_DOCUMENTS;
  }
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
  // 2: a listing, not the whole record.
  version: 2,
  of: documentListing,
  summary: { empty: () => ({ count: 0, annotatable: 0, recent: [] }), add: addDocument },
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
