/**
 * The documents view's rows and how they are filtered and sorted: one
 * function for a case's documents (filtered on the page) and for every
 * document in the vault (filtered in the vault worker, which hands the page
 * only the rows it shows: at 50,000 documents, copying them all to the page
 * took longer than reading them).
 */
import { DOCUMENT_KINDS, type DocumentKind, type DocumentRecord } from './model';
import { z } from './zod';

/** What the documents view shows of a document, and filters on: the entry the list index keeps for it. */
export interface DocumentListing {
  id: string;
  caseId: string;
  name: string;
  kind: DocumentKind;
  size: number;
  intakeAt: number;
  /** SHA-256 of the original bytes (hex). */
  sha256: string;
  /** The provenance's description (the filter matches it). */
  description: string;
}

export function documentListing(record: DocumentRecord): DocumentListing {
  const { id, caseId, name, kind, size, intakeAt, sha256 } = record;
  return { id, caseId, name, kind, size, intakeAt, sha256, description: record.provenance.description };
}

export type DocumentSortKey = 'name' | 'kind' | 'size' | 'intakeAt' | 'case';

export interface DocumentListView {
  sortKey: DocumentSortKey;
  descending: boolean;
  /** Matched against the name, the case title, the description and the hash. */
  text: string;
  kind: DocumentKind | 'any';
}

export const DEFAULT_DOCUMENT_VIEW: DocumentListView = { sortKey: 'intakeAt', descending: true, text: '', kind: 'any' };

/** Whether a view needs the case titles (they are read only then). */
export const viewNeedsCaseTitles = (view: DocumentListView): boolean =>
  view.sortKey === 'case' || view.text.trim() !== '';

/** The documents to show, filtered and sorted as the user chose (ties keep intake order, then id order). */
export function viewDocuments<Row extends DocumentListing>(
  documents: readonly Row[],
  view: DocumentListView,
  caseTitle: (caseId: string) => string = () => '',
  language = 'en',
): Row[] {
  const needle = view.text.trim().toLocaleLowerCase(language);
  const collator = new Intl.Collator(language, { numeric: true, sensitivity: 'base' });
  const shown = documents.filter(
    (document) =>
      (view.kind === 'any' || document.kind === view.kind) &&
      (needle === '' ||
        [document.name, caseTitle(document.caseId), document.description, document.sha256].some((field) =>
          field.toLocaleLowerCase(language).includes(needle),
        )),
  );
  const compare = (a: Row, b: Row): number => {
    switch (view.sortKey) {
      case 'name':
        return collator.compare(a.name, b.name);
      case 'kind':
        return collator.compare(a.kind, b.kind);
      case 'case':
        return collator.compare(caseTitle(a.caseId), caseTitle(b.caseId));
      case 'size':
        return a.size - b.size;
      case 'intakeAt':
        return a.intakeAt - b.intakeAt;
    }
  };
  const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return shown.sort((a, b) => (view.descending ? -1 : 1) * compare(a, b) || a.intakeAt - b.intakeAt || byId(a, b));
}

/** A window of the documents view, as the vault worker returns it. */
export interface DocumentsPageQuery {
  view: DocumentListView;
  /** The language names are sorted and matched in. */
  language: string;
  offset: number;
  limit: number;
}

export interface DocumentsPage {
  /** Documents in the vault. */
  total: number;
  /** Documents the view's filters let through. */
  matched: number;
  offset: number;
  /** The view's rows from `offset` (at most `limit`). */
  rows: DocumentListing[];
  /** Records that failed to open, by id (listed only when the index could not be used). */
  damaged: string[];
}

/** Rows a page request may ask for at once. */
export const MAX_DOCUMENTS_PAGE = 500;

/** A page request as the vault worker checks it (it comes from the page). */
export const documentsPageQuerySchema = z.object({
  view: z.object({
    sortKey: z.enum(['name', 'kind', 'size', 'intakeAt', 'case']),
    descending: z.boolean(),
    text: z.string().max(1000),
    kind: z.enum([...DOCUMENT_KINDS, 'any']),
  }),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().positive().max(MAX_DOCUMENTS_PAGE),
});
