/**
 * What the vault-wide lists show of each record: one small entry per
 * record, kept in the sealed list index (list-index.ts) so that opening a
 * list reads a few dozen rows instead of opening every record. Each listed
 * kind names its entry function in the registry (record-kinds.ts,
 * `listEntry`); the version goes up whenever an entry's shape changes, and an
 * index of another version is built again from the records.
 */
import { hearingListing, type HearingListing } from '../../hearing-model';
import type { AnnotationPage, CaseRecord, CaseSummary, DocumentRecord } from '../../model';

/** A listed kind's entry function, and the version of the entries it makes. */
export interface ListEntryOf<Value, Entry> {
  version: number;
  of: (value: Value) => Entry;
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

export const caseListEntry: ListEntryOf<CaseRecord, CaseSummary> = { version: 1, of: caseSummary };
/** The documents view filters on provenance too: the record is its own entry (a few hundred bytes). */
export const documentListEntry: ListEntryOf<DocumentRecord, DocumentRecord> = { version: 1, of: (record) => record };
export const hearingListEntry: ListEntryOf<Parameters<typeof hearingListing>[0], HearingListing> = {
  version: 1,
  of: hearingListing,
};
export const annotationPageListEntry: ListEntryOf<AnnotationPage, AnnotationPageListing> = {
  version: 1,
  of: (page) => ({ documentId: page.documentId, annotations: page.annotations.length }),
};
