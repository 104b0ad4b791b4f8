import { useMemo } from 'react';
import { quoteOf } from '../annotations';
import { queryKeys, useVaultQuery } from '../session';
import type { AnnotationRecord, DocumentRecord } from '../vault';
import type { EvidenceOption } from './EvidencePicker';

export interface CaseSources {
  documents: DocumentRecord[];
  annotations: AnnotationRecord[];
}

const QUOTE_CHARS = 60;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}…` : flat;
}

/** The quoted words of an annotation (or a region's transcription): the annotations capability's own helper. */
export const annotationQuote = quoteOf;

/** 1-based page of an annotation's start (null on an image). */
export function annotationPage(record: AnnotationRecord): number | null {
  if (record.target.kind === 'text') return record.target.segments[0]!.page + 1;
  return record.target.page === null ? null : record.target.page + 1;
}

/** What a monitor can cite: each annotation (its quote, document and page), then each document. */
export function evidenceOptions(
  sources: CaseSources,
  labels: { annotation: (quote: string, document: string, page: number | null) => string },
): EvidenceOption[] {
  const names = new Map(sources.documents.map((document) => [document.id, document.name]));
  return [
    ...sources.annotations.map((record) => ({
      value: record.id,
      label: labels.annotation(
        excerpt(annotationQuote(record) || record.note),
        names.get(record.documentId) ?? '?',
        annotationPage(record),
      ),
    })),
    ...sources.documents.map((document) => ({ value: document.id, label: document.name })),
  ];
}

/** The case's documents and annotations (for evidence links, timelines and reports); null while they are read. */
export function useCaseSources(caseId: string): CaseSources | null {
  // Sources are a help here, not the point: an unreadable list leaves nothing to pick.
  const documents = useVaultQuery(queryKeys.caseDocuments(caseId), (vault) => vault.listDocuments(caseId));
  const annotations = useVaultQuery(queryKeys.caseAnnotations(caseId), (vault) => vault.listAnnotations(caseId));
  const pending = documents.isPending || annotations.isPending;
  return useMemo(
    () => (pending ? null : { documents: documents.data ?? [], annotations: annotations.data ?? [] }),
    [pending, documents.data, annotations.data],
  );
}
