import { annotationRecordSchema, caseRecordSchema, documentRecordSchema, documentTextSchema } from '../../model';
import { timelineEventRecordSchema } from '../../timeline-model';
import { z } from '../../zod';
import { storedHearingSchema } from '../../hearing-model';
import type { LogicalTable } from '../vault-store';
import { hearingSearchFields } from './hearing-fields';
import type { SearchEntry } from './search-index';
import type { SnippetField } from './snippet';

/** One decrypted record row. */
export interface SearchRecord {
  id: string;
  caseId: string;
  table: LogicalTable;
  value: unknown;
}

/** What pages and annotations show of their document. */
export interface DocumentFacts {
  name: string;
  kind: string;
  caseId: string;
}

const bucketSchema = z.object({ annotations: z.array(annotationRecordSchema) });

/** Labelled values joined into one text, one per line, with where each sits (empty values left out). */
function joinFields(labelled: readonly (readonly [label: string, value: string])[]): {
  text: string;
  fields: SnippetField[];
} {
  let text = '';
  const fields: SnippetField[] = [];
  for (const [label, value] of labelled) {
    if (value.trim() === '') continue;
    if (text !== '') text += '\n';
    fields.push({ label, start: text.length, end: text.length + value.length });
    text += value;
  }
  return { text, fields };
}

/** The document a document record describes, or null if it is not one. */
export function documentFactsOf(record: SearchRecord): ({ id: string } & DocumentFacts) | null {
  if (record.table !== 'document') return null;
  const parsed = documentRecordSchema.safeParse(record.value);
  return parsed.success
    ? { id: parsed.data.id, name: parsed.data.name, kind: parsed.data.kind, caseId: record.caseId }
    : null;
}

/**
 * How records of one kind become search entries (the record-kind registry names the maker of each searched
 * kind). A damaged record gives none (it is reported where it is listed). `documentOfTextRow` names the document
 * whose extracted text a document-text row holds.
 */
export type SearchEntriesOf = (
  record: SearchRecord,
  documents: ReadonlyMap<string, DocumentFacts>,
  documentOfTextRow: (rowId: string) => string | undefined,
) => SearchEntry[];

/** A case: its title, references, summary, people and dates. */
export const caseEntries: SearchEntriesOf = (record) => {
  const { id: source, caseId, value } = record;
  const parsed = caseRecordSchema.safeParse(value);
  if (!parsed.success) return [];
  const found = parsed.data;
  return [
    {
      id: `case:${caseId}`,
      kind: 'case',
      caseId,
      source,
      title: found.title,
      text: [
        found.summary,
        found.court,
        found.jurisdiction,
        ...found.references,
        ...found.tags,
        ...found.people.flatMap((person) => [person.name, person.notes]),
        ...found.keyDates.map((date) => `${date.label} ${date.date}`),
      ].join('\n'),
      tags: found.tags,
    },
  ];
};

/** A document: its name and provenance. */
export const documentEntries: SearchEntriesOf = (record) => {
  const { id: source, caseId, value } = record;
  const parsed = documentRecordSchema.safeParse(value);
  if (!parsed.success) return [];
  const document = parsed.data;
  const { obtainedFrom, obtainedWhere, description, language, originalDate } = document.provenance;
  return [
    {
      id: `document:${document.id}`,
      kind: 'document',
      caseId,
      source,
      title: document.name,
      text: [description, obtainedWhere, obtainedFrom, language, originalDate].join('\n'),
      documentId: document.id,
      documentKind: document.kind,
      date: originalDate || undefined,
    },
  ];
};

/** A document's extracted text: one entry per page. */
export const documentTextEntries: SearchEntriesOf = (record, documents, documentOfTextRow) => {
  const { id: source, caseId, value } = record;
  const documentId = documentOfTextRow(source);
  const document = documentId === undefined ? undefined : documents.get(documentId);
  const parsed = documentTextSchema.safeParse(value);
  if (!document || documentId === undefined || !parsed.success) return [];
  return parsed.data.pages.flatMap((page, index) =>
    page.text.trim() === ''
      ? []
      : [
          {
            id: `page:${documentId}:${index}`,
            kind: 'page' as const,
            caseId,
            source,
            title: document.name,
            text: page.text,
            documentId,
            page: index,
            documentKind: document.kind,
          },
        ],
  );
};

/** A page's annotations: one entry each. */
export const annotationEntries: SearchEntriesOf = (record, documents) => {
  const { id: source, caseId, value } = record;
  const parsed = bucketSchema.safeParse(value);
  if (!parsed.success) return [];
  return parsed.data.annotations.map((annotation) => {
    const quote =
      annotation.target.kind === 'text'
        ? annotation.target.segments.map((segment) => segment.quote.exact).join(' … ')
        : annotation.target.transcription;
    const document = documents.get(annotation.documentId);
    return {
      id: `annotation:${annotation.id}`,
      kind: 'annotation' as const,
      caseId,
      source,
      title: document?.name ?? '',
      text: [quote, annotation.note, ...annotation.tags].join('\n'),
      documentId: annotation.documentId,
      page:
        annotation.target.kind === 'text' ? annotation.target.segments[0]!.page : (annotation.target.page ?? undefined),
      targetId: annotation.id,
      tags: annotation.tags,
      documentKind: document?.kind,
    };
  });
};

/** A hearing: what was written in it, field by field (its ids and coded answers are found by the filters). */
export const hearingEntries: SearchEntriesOf = (record) => {
  const { id: source, caseId, value } = record;
  const parsed = storedHearingSchema.safeParse(value);
  if (!parsed.success) return [];
  const hearing = parsed.data;
  const { text, fields } = joinFields(hearingSearchFields(hearing.hearing.value));
  return [
    {
      id: `hearing:${hearing.id}`,
      kind: 'hearing',
      caseId,
      source,
      title: hearing.hearing.value.date,
      text,
      fields,
      targetId: hearing.id,
      date: hearing.hearing.value.date,
      provisions: hearing.hearing.value.accused.flatMap((accused) => accused.charges.map((charge) => charge.provision)),
      indicators: hearing.hearing.value.indicators.map((answer) => `${answer.indicator}:${answer.answer}`),
    },
  ];
};

/** A timeline event: its date, kind, person and description. */
export const timelineEventEntries: SearchEntriesOf = (record) => {
  const { id: source, caseId, value } = record;
  const parsed = timelineEventRecordSchema.safeParse(value);
  if (!parsed.success) return [];
  const event = parsed.data;
  return [
    {
      id: `event:${event.id}`,
      kind: 'event',
      caseId,
      source,
      title: `${event.date} ${event.kind}`,
      text: [event.person, event.description].join('\n'),
      targetId: event.id,
      date: event.date,
    },
  ];
};
