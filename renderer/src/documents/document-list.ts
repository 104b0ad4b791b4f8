import type { DocumentKind, DocumentRecord } from '../vault';

export type DocumentSortKey = 'name' | 'kind' | 'size' | 'intakeAt' | 'case';

export interface DocumentListView {
  sortKey: DocumentSortKey;
  descending: boolean;
  /** Matched against the name, the case title, the description and the hash. */
  text: string;
  kind: DocumentKind | 'any';
}

export const DEFAULT_DOCUMENT_VIEW: DocumentListView = { sortKey: 'intakeAt', descending: true, text: '', kind: 'any' };

/** Sizes with the language's digits (Khmer digits in Khmer): one formatter for the whole app. */
export { formatSize } from '../ui/format';

/** The documents to show, filtered and sorted as the user chose (ties keep intake order). */
export function viewDocuments(
  documents: readonly DocumentRecord[],
  view: DocumentListView,
  caseTitle: (caseId: string) => string = () => '',
  language = 'en',
): DocumentRecord[] {
  const needle = view.text.trim().toLocaleLowerCase(language);
  const collator = new Intl.Collator(language, { numeric: true, sensitivity: 'base' });
  const shown = documents.filter(
    (document) =>
      (view.kind === 'any' || document.kind === view.kind) &&
      (needle === '' ||
        [document.name, caseTitle(document.caseId), document.provenance.description, document.sha256].some((field) =>
          field.toLocaleLowerCase(language).includes(needle),
        )),
  );
  const compare = (a: DocumentRecord, b: DocumentRecord): number => {
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
  return shown.sort((a, b) => (view.descending ? -1 : 1) * compare(a, b) || a.intakeAt - b.intakeAt);
}
