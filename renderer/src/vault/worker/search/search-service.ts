import type { SearchKind, VaultWorkerApi } from '../../api';
import { annotationRecordSchema, caseRecordSchema, documentRecordSchema, documentTextSchema } from '../../model';
import { timelineEventRecordSchema } from '../../timeline-model';
import { z } from '../../zod';
import { textRowId } from '../documents-service';
import { storedHearingSchema } from '../hearings-service';
import { VaultError } from '../crypto/errors';
import type { VaultStore } from '../vault-store';
import { SearchIndex, type SearchEntry } from './search-index';

type SearchApi = Pick<VaultWorkerApi, 'search'>;

const bucketSchema = z.object({ annotations: z.array(annotationRecordSchema) });

/** Every string inside a value, joined: for records whose every field may matter (a hearing). */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) allStrings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) allStrings(item, out);
  return out;
}

async function* recordsOf<T>(
  store: VaultStore,
  table: Parameters<VaultStore['listAllCaseRecords']>[0],
  schema: z.ZodType<T>,
) {
  const { records } = await store.listAllCaseRecords(table);
  for (const { id, caseId, value } of records) {
    const parsed = schema.safeParse(value);
    // A damaged record is reported where it is listed; search just leaves it out.
    if (parsed.success) yield { id, caseId, value: parsed.data };
  }
}

async function entriesOf(store: VaultStore): Promise<SearchEntry[]> {
  const entries: SearchEntry[] = [];
  const add = (entry: SearchEntry) => entries.push(entry);
  for await (const { caseId, value } of recordsOf(store, 'case', caseRecordSchema))
    add({
      id: `case:${caseId}`,
      kind: 'case',
      caseId,
      title: value.title,
      text: [
        value.summary,
        value.court,
        value.jurisdiction,
        ...value.references,
        ...value.tags,
        ...value.people.flatMap((person) => [person.name, person.notes]),
        ...value.keyDates.map((date) => `${date.label} ${date.date}`),
      ].join('\n'),
      tags: value.tags,
    });
  const names = new Map<string, string>();
  const kinds = new Map<string, string>();
  const textRows = new Map<string, { documentId: string; name: string }>();
  for await (const { caseId, value } of recordsOf(store, 'document', documentRecordSchema)) {
    names.set(value.id, value.name);
    kinds.set(value.id, value.kind);
    textRows.set(textRowId(store, value.id), { documentId: value.id, name: value.name });
    const { obtainedFrom, obtainedWhere, description, language, originalDate } = value.provenance;
    add({
      id: `document:${value.id}`,
      kind: 'document',
      caseId,
      title: value.name,
      text: [description, obtainedWhere, obtainedFrom, language, originalDate].join('\n'),
      documentId: value.id,
      documentKind: value.kind,
      date: originalDate || undefined,
    });
  }
  for await (const { id, caseId, value } of recordsOf(store, 'document-text', documentTextSchema)) {
    const document = textRows.get(id);
    if (!document) continue;
    value.pages.forEach((page, index) => {
      if (page.text.trim() !== '')
        add({
          id: `page:${document.documentId}:${index}`,
          kind: 'page',
          caseId,
          title: document.name,
          text: page.text,
          documentId: document.documentId,
          page: index,
          documentKind: kinds.get(document.documentId),
        });
    });
  }
  for await (const { caseId, value } of recordsOf(store, 'annotation-page', bucketSchema))
    for (const annotation of value.annotations) {
      const quote =
        annotation.target.kind === 'text'
          ? annotation.target.segments.map((segment) => segment.quote.exact).join(' … ')
          : annotation.target.transcription;
      add({
        id: `annotation:${annotation.id}`,
        kind: 'annotation',
        caseId,
        title: names.get(annotation.documentId) ?? '',
        text: [quote, annotation.note, ...annotation.tags].join('\n'),
        documentId: annotation.documentId,
        page:
          annotation.target.kind === 'text'
            ? annotation.target.segments[0]!.page
            : (annotation.target.page ?? undefined),
        targetId: annotation.id,
        tags: annotation.tags,
        documentKind: kinds.get(annotation.documentId),
      });
    }
  for await (const { caseId, value } of recordsOf(store, 'hearing', storedHearingSchema))
    add({
      id: `hearing:${value.id}`,
      kind: 'hearing',
      caseId,
      title: value.hearing.value.date,
      text: allStrings(value.hearing.value).join('\n'),
      targetId: value.id,
      date: value.hearing.value.date,
      provisions: value.hearing.value.accused.flatMap((accused) => accused.charges.map((charge) => charge.provision)),
      indicators: value.hearing.value.indicators.map((answer) => `${answer.indicator}:${answer.answer}`),
    });
  for await (const { caseId, value } of recordsOf(store, 'timeline-event', timelineEventRecordSchema))
    add({
      id: `event:${value.id}`,
      kind: 'event',
      caseId,
      title: `${value.date} ${value.kind}`,
      text: [value.person, value.description].join('\n'),
      targetId: value.id,
      date: value.date,
    });
  return entries;
}

/**
 * Search over the whole vault. The index lives only in this worker's memory:
 * built at the first search after unlock, updated after a change (entries
 * compared, only changed ones re-tokenized), and dropped at lock.
 */
export function createSearchService(session: () => { store: VaultStore }) {
  let index: { built: SearchIndex; commits: number; store: VaultStore } | null = null;
  let updating: Promise<SearchIndex> | null = null;
  /** Bumped at lock: an update still running then must not put its index back in memory. */
  let generation = 0;

  async function current(store: VaultStore): Promise<SearchIndex> {
    if (index && index.store === store && index.commits === store.commits) return index.built;
    // One update at a time: searches typed meanwhile wait for it rather than start their own.
    const started = generation;
    const update = (updating ??= (async () => {
      const commits = store.commits;
      const built = index && index.store === store ? index.built : new SearchIndex();
      await built.update(await entriesOf(store));
      if (started !== generation) throw new VaultError('locked', 'The vault was locked during the search.');
      index = { built, commits, store };
      return built;
    })().finally(() => {
      if (updating === update) updating = null;
    }));
    return update;
  }

  const api: SearchApi = {
    async search(query, options) {
      const { store } = session();
      const parsed = z
        .strictObject({
          caseId: z.string().max(64).optional(),
          kinds: z
            .array(z.enum(['case', 'document', 'page', 'annotation', 'hearing', 'event'] satisfies SearchKind[]))
            .optional(),
          tag: z.string().max(200).optional(),
          provision: z.string().max(200).optional(),
          indicator: z.string().max(64).optional(),
          answer: z.string().max(64).optional(),
          from: z
            .string()
            .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
            .optional(),
          to: z
            .string()
            .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
            .optional(),
          documentKind: z.string().max(32).optional(),
          limit: z.number().int().min(1).max(500).optional(),
        })
        .safeParse(options ?? {});
      if (typeof query !== 'string' || query.length > 500 || !parsed.success) return [];
      return (await current(store)).query(query, parsed.data);
    },
  };

  return {
    api,
    /** At lock: the index goes with the keys. */
    drop: () => {
      generation += 1;
      index = null;
      updating = null;
    },
  };
}
