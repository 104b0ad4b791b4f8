import type { VaultWorkerApi } from '../api';
import {
  annotationFieldsSchema,
  annotationRecordSchema,
  documentRecordSchema,
  type AnnotationFields,
  type AnnotationRecord,
} from '../model';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { VaultStore } from './vault-store';

type AnnotationApi = Pick<
  VaultWorkerApi,
  'listAnnotations' | 'createAnnotation' | 'updateAnnotation' | 'deleteAnnotation'
>;

function parseAnnotation(value: unknown): AnnotationRecord {
  const parsed = annotationRecordSchema.safeParse(value);
  if (!parsed.success) throw new VaultError('record-tampered', 'A stored annotation is malformed.');
  return parsed.data;
}

function validFields(input: unknown): AnnotationFields {
  const parsed = annotationFieldsSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('invalid-input', 'Invalid annotation.');
  return parsed.data;
}

/** Page order, then position on the page: the order a reader meets them. */
function readingOrder(a: AnnotationRecord, b: AnnotationRecord): number {
  const place = (annotation: AnnotationRecord): [number, number] =>
    annotation.target.kind === 'text'
      ? [annotation.target.segments[0]!.page, annotation.target.segments[0]!.start]
      : [annotation.target.page ?? 0, -annotation.target.rect.y];
  const [pageA, offsetA] = place(a);
  const [pageB, offsetB] = place(b);
  return pageA - pageB || offsetA - offsetB || a.createdAt - b.createdAt;
}

/**
 * Annotations are case records (sealed with the case key). Each targets a
 * document of the same case by id and by the SHA-256 of its bytes; every
 * create, edit and delete is one commit with its custody-log entry.
 */
export function createAnnotationService(session: () => { store: VaultStore; actor: string }) {
  async function documentOf(store: VaultStore, caseId: string, documentId: string) {
    const value = await store.readCaseRecord(caseId, 'document', documentId);
    const parsed = documentRecordSchema.safeParse(value);
    if (!parsed.success) throw new VaultError('not-found', 'The annotated document is not in this case.');
    return parsed.data;
  }

  async function load(store: VaultStore, caseId: string, id: string): Promise<AnnotationRecord> {
    const value = await store.readCaseRecord(caseId, 'annotation', id);
    if (value === undefined) throw new VaultError('not-found', 'This annotation does not exist.');
    return parseAnnotation(value);
  }

  const api: AnnotationApi & { annotationIdsOfDocument(caseId: string, documentId: string): Promise<string[]> } = {
    async listAnnotations(caseId, documentId) {
      const { store } = session();
      const all = (await store.listCaseRecords(caseId, 'annotation')).map(({ value }) => parseAnnotation(value));
      return all
        .filter((annotation) => documentId === undefined || annotation.documentId === documentId)
        .sort(readingOrder);
    },

    async createAnnotation(caseId, input) {
      const { store, actor } = session();
      const fields = validFields(input);
      const document = await documentOf(store, caseId, fields.documentId);
      const now = Date.now();
      const record: AnnotationRecord = {
        ...fields,
        id: randomId(),
        caseId,
        source: document.sha256,
        createdAt: now,
        updatedAt: now,
        createdBy: actor,
      };
      await store.commit({
        put: [await store.sealCaseRecord(caseId, 'annotation', record.id, record)],
        log: [
          {
            action: 'annotated',
            targetKind: 'annotation',
            targetId: record.id,
            caseId,
            contentHashes: [record.source],
          },
        ],
      });
      return record;
    },

    async updateAnnotation(caseId, id, input) {
      const { store } = session();
      const existing = await load(store, caseId, id);
      const fields = validFields(input);
      if (fields.documentId !== existing.documentId)
        throw new VaultError('invalid-input', 'An annotation cannot move to another document.');
      const record: AnnotationRecord = { ...existing, ...fields, updatedAt: Date.now() };
      await store.commit({
        put: [await store.sealCaseRecord(caseId, 'annotation', id, record)],
        log: [{ action: 'edited', targetKind: 'annotation', targetId: id, caseId }],
      });
      return record;
    },

    async deleteAnnotation(caseId, id) {
      const { store } = session();
      await load(store, caseId, id);
      await store.commit({
        delete: [id],
        log: [{ action: 'deleted', targetKind: 'annotation', targetId: id, caseId }],
      });
    },

    /** For document deletion: the annotations that go with it, in the same commit. */
    async annotationIdsOfDocument(caseId, documentId) {
      return (await api.listAnnotations(caseId, documentId)).map((annotation) => annotation.id);
    },
  };
  return api;
}
