import type { VaultWorkerApi } from '../api';
import { annotationFieldsSchema, type AnnotationFields, type AnnotationPage, type AnnotationRecord } from '../model';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { RecordRow } from './storage/database';
import type { VaultChange, VaultStore } from './vault-store';
import { rowNames } from './row-ids';
import { draftNames } from '../draft-names';
import { draftRefs } from './drafts';

type AnnotationApi = Pick<
  VaultWorkerApi,
  'listAnnotations' | 'createAnnotation' | 'updateAnnotation' | 'deleteAnnotation' | 'importAnnotations'
>;

/** Annotations one import may bring (a large case export fits; a runaway file does not). */
const MAX_IMPORT = 50_000;

/**
 * Annotations are stored in buckets, one sealed record per annotated page of
 * a document (keyed by the first page each annotation is on). A 300-page
 * document with 10,000 annotations is then 300 records to read after unlock
 * instead of 10,000, and an edit rewrites one page's annotations only. The
 * bucket's row id is a keyed hash of document and page: unlinkable on disk.
 */
type Bucket = AnnotationPage;

function pageOf(fields: AnnotationFields): number {
  return fields.target.kind === 'text' ? fields.target.segments[0]!.page : (fields.target.page ?? 0);
}

function validFields(input: unknown): AnnotationFields {
  const parsed = annotationFieldsSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('invalid-input', 'Invalid annotation.');
  return parsed.data;
}

/** Page order, then position on the page: the order a reader meets them. */
function readingOrder(a: AnnotationRecord, b: AnnotationRecord): number {
  // PDF user space grows upward, image pixels downward: top first either way.
  const offset = (annotation: AnnotationRecord) =>
    annotation.target.kind === 'text'
      ? annotation.target.segments[0]!.start
      : annotation.target.page === null
        ? annotation.target.rect.y
        : -annotation.target.rect.y;
  return pageOf(a) - pageOf(b) || offset(a) - offset(b) || a.createdAt - b.createdAt;
}

/**
 * Annotations are case records (sealed with the case key). Each targets a
 * document of the same case by id and by the SHA-256 of its bytes; every
 * create, edit, delete and import is one commit with its custody-log entries.
 */
export function createAnnotationService(session: () => { store: VaultStore; actor: string }) {
  // Changes read a page bucket, change it and commit it: one at a time, so two
  // quick changes to the same page cannot both start from the old bucket.
  let queue: Promise<unknown> = Promise.resolve();
  function oneAtATime<A extends unknown[], R>(run: (...args: A) => Promise<R>) {
    return (...args: A): Promise<R> => {
      const result = queue.then(() => run(...args));
      queue = result.catch(() => undefined);
      return result;
    };
  }

  const bucketId = (store: VaultStore, documentId: string, page: number) =>
    store.blind(rowNames.annotationPage(documentId, page));

  async function documentOf(store: VaultStore, caseId: string, documentId: string) {
    const document = await store.find('document', caseId, documentId);
    if (!document) throw new VaultError('not-found', 'The annotated document is not in this case.');
    return document;
  }

  async function readBucket(store: VaultStore, caseId: string, documentId: string, page: number): Promise<Bucket> {
    const bucket = await store.find('annotation-page', caseId, bucketId(store, documentId, page));
    return bucket ?? { documentId, page, annotations: [] };
  }

  async function allBuckets(store: VaultStore, caseId: string): Promise<Bucket[]> {
    return (await store.list('annotation-page', caseId)).map(({ value }) => value);
  }

  /** The change that stores `bucket` (or removes it once empty). */
  async function writeBucket(store: VaultStore, caseId: string, bucket: Bucket): Promise<VaultChange> {
    const id = bucketId(store, bucket.documentId, bucket.page);
    if (bucket.annotations.length === 0) return { delete: [{ table: 'annotation-page', caseId, id }] };
    const row: RecordRow = await store.seal('annotation-page', caseId, id, bucket);
    return { put: [row] };
  }

  function merge(changes: VaultChange[]): VaultChange {
    return {
      put: changes.flatMap((change) => change.put ?? []),
      delete: changes.flatMap((change) => change.delete ?? []),
    };
  }

  async function findAnnotation(store: VaultStore, caseId: string, id: string) {
    for (const bucket of await allBuckets(store, caseId)) {
      const record = bucket.annotations.find((annotation) => annotation.id === id);
      if (record) return { bucket, record };
    }
    throw new VaultError('not-found', 'This annotation does not exist.');
  }

  /** New records for `inputs`, added to their buckets: one change for one commit. */
  async function add(store: VaultStore, actor: string, caseId: string, inputs: AnnotationFields[]) {
    const sources = new Map<string, string>();
    const buckets = new Map<string, Bucket>();
    const now = Date.now();
    const records: AnnotationRecord[] = [];
    for (const fields of inputs) {
      let source = sources.get(fields.documentId);
      if (source === undefined) {
        source = (await documentOf(store, caseId, fields.documentId)).sha256;
        sources.set(fields.documentId, source);
      }
      const record: AnnotationRecord = {
        ...fields,
        id: randomId(),
        caseId,
        source,
        createdAt: now,
        updatedAt: now,
        createdBy: actor,
      };
      const key = `${fields.documentId}:${pageOf(fields)}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = await readBucket(store, caseId, fields.documentId, pageOf(fields));
        buckets.set(key, bucket);
      }
      bucket.annotations.push(record);
      records.push(record);
    }
    const change = merge(await Promise.all([...buckets.values()].map((bucket) => writeBucket(store, caseId, bucket))));
    return { records, change };
  }

  const api: AnnotationApi & {
    annotationsOfDocument(
      caseId: string,
      documentId: string,
    ): Promise<{ rowIds: string[]; logged: { targetKind: 'annotation'; targetId: string }[] }>;
    placeRecords(
      caseId: string,
      records: readonly AnnotationRecord[],
      documentsArriving: ReadonlySet<string>,
    ): Promise<VaultChange>;
  } = {
    async listAnnotations(caseId, documentId) {
      const { store } = session();
      return (await allBuckets(store, caseId))
        .filter((bucket) => documentId === undefined || bucket.documentId === documentId)
        .flatMap((bucket) => bucket.annotations)
        .sort(readingOrder);
    },

    createAnnotation: oneAtATime(async (caseId, input) => {
      const { store, actor } = session();
      const { records, change } = await add(store, actor, caseId, [validFields(input)]);
      const record = records[0]!;
      await store.commit({
        ...change,
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
    }),

    importAnnotations: oneAtATime(async (caseId, inputs) => {
      const { store, actor } = session();
      if (!Array.isArray(inputs) || inputs.length > MAX_IMPORT)
        throw new VaultError('invalid-input', 'Too many annotations in one import.');
      const { records, change } = await add(store, actor, caseId, inputs.map(validFields));
      await store.commit({
        ...change,
        log: records.map((record) => ({
          action: 'imported' as const,
          targetKind: 'annotation',
          targetId: record.id,
          caseId,
          contentHashes: [record.source],
        })),
      });
      return records;
    }),

    updateAnnotation: oneAtATime(async (caseId, id, input) => {
      const { store } = session();
      const fields = validFields(input);
      const { bucket, record: existing } = await findAnnotation(store, caseId, id);
      if (fields.documentId !== existing.documentId)
        throw new VaultError('invalid-input', 'An annotation cannot move to another document.');
      const record: AnnotationRecord = { ...existing, ...fields, updatedAt: Date.now() };
      bucket.annotations = bucket.annotations.filter((annotation) => annotation.id !== id);
      const changes: VaultChange[] = [];
      if (pageOf(fields) === bucket.page) bucket.annotations.push(record);
      else {
        // Its first page changed (re-anchored elsewhere): it moves bucket in the same commit.
        const target = await readBucket(store, caseId, fields.documentId, pageOf(fields));
        target.annotations.push(record);
        changes.push(await writeBucket(store, caseId, target));
      }
      changes.push(await writeBucket(store, caseId, bucket));
      await store.commit({
        ...merge(changes),
        log: [{ action: 'edited', targetKind: 'annotation', targetId: id, caseId }],
      });
      return record;
    }),

    deleteAnnotation: oneAtATime(async (caseId, id) => {
      const { store } = session();
      const { bucket } = await findAnnotation(store, caseId, id);
      bucket.annotations = bucket.annotations.filter((annotation) => annotation.id !== id);
      const change = await writeBucket(store, caseId, bucket);
      await store.commit({
        ...change,
        // Its note's draft goes with it.
        delete: [...(change.delete ?? []), ...draftRefs(store, [draftNames.annotation(caseId, id)])],
        log: [{ action: 'deleted', targetKind: 'annotation', targetId: id, caseId }],
      });
    }),

    /**
     * For a bundle import: the change that stores these complete records
     * (ids kept), each replacing any annotation with the same id, for the
     * caller to commit with everything else.
     */
    /** `documentsArriving`: documents of this case written in the same commit (not stored yet). */
    async placeRecords(
      caseId: string,
      records: readonly AnnotationRecord[],
      documentsArriving: ReadonlySet<string>,
    ): Promise<VaultChange> {
      const { store } = session();
      // An annotation's page row is named by document and page, not case: a document of another case would
      // put this case's annotations over that case's page (the store refuses it too).
      for (const documentId of new Set(records.map((record) => record.documentId)))
        if (!documentsArriving.has(documentId)) await documentOf(store, caseId, documentId);
      const incoming = new Set(records.map((record) => record.id));
      const buckets = new Map<string, Bucket>();
      for (const bucket of await allBuckets(store, caseId)) {
        const kept = bucket.annotations.filter((annotation) => !incoming.has(annotation.id));
        if (kept.length !== bucket.annotations.length)
          buckets.set(`${bucket.documentId}:${bucket.page}`, { ...bucket, annotations: kept });
      }
      for (const record of records) {
        const key = `${record.documentId}:${pageOf(record)}`;
        let bucket = buckets.get(key);
        if (!bucket) {
          bucket = await readBucket(store, caseId, record.documentId, pageOf(record));
          buckets.set(key, bucket);
        }
        bucket.annotations.push(record);
      }
      return merge(await Promise.all([...buckets.values()].map((bucket) => writeBucket(store, caseId, bucket))));
    },

    /** For document deletion: the rows to delete and the annotations to log, in the same commit. */
    async annotationsOfDocument(caseId, documentId) {
      const { store } = session();
      const buckets = (await allBuckets(store, caseId)).filter((bucket) => bucket.documentId === documentId);
      return {
        rowIds: buckets.map((bucket) => bucketId(store, documentId, bucket.page)),
        logged: buckets.flatMap((bucket) =>
          bucket.annotations.map((annotation) => ({ targetKind: 'annotation', targetId: annotation.id }) as const),
        ),
      };
    },
  };
  return api;
}
