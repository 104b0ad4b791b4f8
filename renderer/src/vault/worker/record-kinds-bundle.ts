/**
 * The bundle half of the record-kind registry: for every kind whose entry in
 * record-kinds.ts names a `bundleItem`, how it is sent, checked on arrival,
 * named in the import preview, compared with this vault's copy and merged.
 * The bundle service only loops over these entries; a kind that travels is
 * its registry entry plus its entry here (the compiler asks for it). It sits
 * beside the registry, not in it, because it needs the services, which need
 * the store, which needs the registry.
 */
import { DOCUMENT_CHUNK_BYTES, type BundleExportRequest, type BundleItemPreview } from '../api';
import {
  annotationRecordSchema,
  caseRecordSchema,
  documentRecordSchema,
  documentTextSchema,
  type AnnotationRecord,
  type DocumentRecord,
} from '../model';
import { z } from '../zod';
import type { BlobLedger } from './bundle-service/blob-ledger';
import {
  absentIfNotFound,
  type BundleServices,
  type ExportItem,
  type RecordItemType,
  type StagedBytes,
} from './bundle-service/common';
import { VaultError } from './crypto/errors';
import { textRowId } from './documents-service';
import {
  RECORD_KINDS,
  recordKindOfBundleItem,
  type RecordKind,
  type RecordOf,
  type TravellingKind,
} from './record-kinds';
import {
  asWithheldLike,
  caseForms,
  hearingForms,
  hearingWithheldLike,
  keepWithheldAccused,
  keepWithheldFromStored,
  withholdHearing,
  withholdSensitive,
} from './bundle-service/withholding';
import { sniffType, type SniffedType } from './sniff';
import type { VaultChange, VaultStore } from './vault-store';

/** One chosen case of an export. */
export interface SendContext {
  store: VaultStore;
  services: BundleServices;
  selection: BundleExportRequest['cases'][number];
  /** The case's documents the selection chose (read once per case). */
  documents(this: void): Promise<DocumentRecord[]>;
  /** A record item: the value as this vault's canonical JSON, hashed. */
  record(this: void, type: RecordItemType, key: string, value: unknown): ExportItem;
}

/** What comparing an incoming record with this vault's copy reaches. */
export interface ReceiveContext {
  store: VaultStore;
  /** A case's annotations, read once per case for the whole preview. */
  annotationsOf(this: void, caseId: string): Promise<AnnotationRecord[]>;
}

/** One merge being prepared: what the kinds' `take` and `settle` add to. */
export interface MergeContext {
  store: VaultStore;
  services: BundleServices;
  change: Required<Pick<VaultChange, 'put' | 'delete'>>;
  /** Cases this merge creates (their keys are in `change`). */
  newCases: Set<string>;
  blobs: BlobLedger;
  /** Document bytes that came for `documentId`, if they did. */
  stagedBytes(this: void, documentId: string): StagedBytes | undefined;
  /** Every item the merge takes. */
  taken: readonly BundleItemPreview[];
  /** Values a kind keeps to write together once every item is taken (its `settle`), by case. */
  batch(this: void, kind: TravellingKind): Map<string, unknown[]>;
}

/**
 * How one kind travels. `P` is the record as it travels (its portable form);
 * its key is its id in the bundle ("<type>:<key>") and in this vault.
 */
export interface BundleKind<P> {
  /** How an item is checked when it arrives. */
  portable: z.ZodType<P>;
  key(this: void, value: P): string;
  /** The case it belongs to; `carried` finds an item that came earlier in the same bundle. */
  caseOf(this: void, value: P, carried: (itemId: string) => { caseId: string } | undefined): string;
  /** What the import preview calls it. */
  label(this: void, value: P): string;
  /** What else the preview says of it; `about` counts the bundle's items of a type on a document. */
  previewed?(
    this: void,
    value: P,
    about: (documentId: string, type: RecordItemType) => number,
  ): Partial<BundleItemPreview>;
  /** The document it is on (a text, an annotation): it must be of the same case, and the preview names it. */
  documentOf?(this: void, value: P): string;
  /** Set when no second copy ("both") may be kept: what the refusal calls it. */
  onlyOneCopy?: string;
  /** Taken before the other kinds (a new case needs its key before anything of it is sealed). */
  takenFirst?: boolean;
  /** What one chosen case sends of it, in order (a kind sent with another, a text with its document: none). */
  send?(this: void, context: SendContext): Promise<ExportItem[]>;
  /** Keys of the records of this kind a case holds now. */
  heldKeys(this: void, services: BundleServices, caseId: string): Promise<string[]>;
  /** This vault's copy of an incoming record, as it would travel; undefined if there is none. */
  current(this: void, context: ReceiveContext, value: P, caseId: string): Promise<unknown>;
  /**
   * Every form this vault's copy could have travelled in, when it may travel otherwise than it is held (a case or
   * hearing with sensitive people withheld or not): a copy unchanged since it was last taken is recognised
   * whichever people that copy withheld. Undefined when there is no copy.
   */
  heldForms?(this: void, context: ReceiveContext, value: P, caseId: string): Promise<unknown[] | undefined>;
  /** The row the record would be written to (ownership rules); null when it is checked by its document. */
  row(this: void, store: VaultStore, value: P, caseId: string): { table: RecordKind; id: string } | null;
  /** Adds what taking the record writes to the merge (`value` may carry a new id: a copy kept beside mine). */
  take(this: void, merge: MergeContext, value: P, caseId: string, item: BundleItemPreview): Promise<void>;
  /** Writes what `take` kept for later, once every item is taken. */
  settle?(this: void, merge: MergeContext): Promise<void>;
}

/** A document as it travels: everything but where this vault keeps its bytes. */
const portableDocumentSchema = documentRecordSchema.omit({ blobId: true });
/** A document's extracted text as it travels: named by its document. */
const documentTextItemSchema = z.strictObject({
  documentId: z.string().regex(/^[0-9a-f]{32}$/),
  text: documentTextSchema,
});

const listOf = <T>(map: Map<string, T[]>, key: string): T[] => {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
};

const documentIds = async (services: BundleServices, caseId: string) =>
  (await services.documents.listDocuments(caseId)).map((document) => document.id);

/** Kinds whose records name their own id and case: they can be stored exactly as they travel. */
type SelfNamedKind = {
  [K in TravellingKind]: RecordOf<K> extends { id: string; caseId: string } ? K : never;
}[TravellingKind];

/** A kind stored exactly as it travels, one row per record named by its id, listed by its service. */
function storedAsItTravels<K extends SelfNamedKind>(
  kind: K,
  how: {
    label(this: void, value: RecordOf<K>): string;
    /** Whether a case's selection sends these. */
    chosen(this: void, selection: SendContext['selection']): boolean;
    list(this: void, services: BundleServices, caseId: string): Promise<{ id: string }[]>;
  },
): BundleKind<RecordOf<K>> {
  const type = RECORD_KINDS[kind].bundleItem;
  return {
    portable: RECORD_KINDS[kind].schema as unknown as z.ZodType<RecordOf<K>>,
    key: (value) => value.id,
    caseOf: (value) => value.caseId,
    label: how.label,
    async send({ services, selection, record }) {
      if (!how.chosen(selection)) return [];
      return (await how.list(services, selection.caseId)).map((value) => record(type, value.id, value));
    },
    heldKeys: async (services, caseId) => (await how.list(services, caseId)).map((value) => value.id),
    current: ({ store }, value, caseId) => store.find(kind, caseId, value.id).catch(absentIfNotFound),
    row: (_store, value) => ({ table: kind, id: value.id }),
    async take({ store, change }, value, caseId) {
      change.put.push(await store.seal(kind, caseId, value.id, value));
    },
  };
}

/**
 * Hearings travel with their sensitive defendants withheld unless the sender chose to send them, are compared as
 * the incoming copy shows them, and never let a withheld defendant replace the one held here (like a case's people).
 */
function withheldDefendants(kind: BundleKind<RecordOf<'hearing'>>): BundleKind<RecordOf<'hearing'>> {
  const stored = (store: VaultStore, value: RecordOf<'hearing'>, caseId: string) =>
    store.find('hearing', caseId, value.id).catch(absentIfNotFound);
  return {
    ...kind,
    async send(context) {
      const items = (await kind.send?.(context)) ?? [];
      const sendInFull = context.selection.sendSensitive ?? [];
      return items.map((item) => {
        const hearing = item.value as RecordOf<'hearing'>;
        return context.record('hearing', hearing.id, withholdHearing(hearing, sendInFull));
      });
    },
    async current({ store }, value, caseId) {
      const held = await stored(store, value, caseId);
      return held && hearingWithheldLike(held, value);
    },
    async heldForms({ store }, value, caseId) {
      const held = await stored(store, value, caseId);
      return held && hearingForms(held);
    },
    async take(merge, value, caseId, item) {
      // A copy kept beside mine ("both") has a new id: nothing is held under it, its placeholders stay.
      const held = item.status === 'new' ? undefined : await stored(merge.store, value, caseId);
      await kind.take(merge, keepWithheldAccused(value, held), caseId, item);
    },
  };
}

type PortableDocument = z.infer<typeof portableDocumentSchema>;

/** A document taken: its content placed (the vault's blob if it holds it), its type sniffed from its bytes. */
async function takeDocument(merge: MergeContext, value: PortableDocument, caseId: string, item: BundleItemPreview) {
  const { store, blobs } = merge;
  const documentId = value.id;
  const blob = merge.stagedBytes(documentId);
  const existing =
    item.status === 'new' ? undefined : await store.find('document', caseId, documentId).catch(absentIfNotFound);
  let blobId: string;
  // What viewer opens a document is decided by its bytes here, never by the sender's word.
  let type: SniffedType;
  if (existing && existing.sha256 === value.sha256) {
    blobId = existing.blobId;
    type = { kind: existing.kind, mimeType: existing.mimeType };
  } else {
    // Checked at preview: a document whose content is not here came with its bytes.
    if (!blob) throw new VaultError('bundle-refused', 'A document arrived without its bytes.', 'item-invalid');
    blobId = await blobs.place(blob, documentId);
    if (existing) await blobs.release(existing.blobId, documentId);
    type = sniffType(blob.head, value.name);
  }
  merge.change.put.push(await store.seal('document', caseId, documentId, { ...value, ...type, blobId }));
}

const KINDS = {
  case: {
    portable: caseRecordSchema,
    key: (value) => value.id,
    caseOf: (value) => value.id,
    label: (value) => value.title,
    onlyOneCopy: 'a case',
    takenFirst: true,
    async send({ store, selection, record }) {
      const value = await store.find('case', selection.caseId, selection.caseId);
      if (!value) throw new VaultError('not-found', 'A chosen case does not exist.');
      // Sensitive people the sender did not choose to send travel as placeholders: their names and notes are
      // not in the bundle at all.
      return [record('case', selection.caseId, withholdSensitive(value, selection.sendSensitive ?? []))];
    },
    heldKeys: (_services, caseId) => Promise.resolve([caseId]),
    // Compared as the incoming copy shows it: a person it withholds is withheld here too, so a name the sender
    // did not send is not a change.
    async current({ store }, value) {
      const stored = await store.find('case', value.id, value.id).catch(absentIfNotFound);
      return stored && asWithheldLike(stored, value);
    },
    async heldForms({ store }, value) {
      const stored = await store.find('case', value.id, value.id).catch(absentIfNotFound);
      return stored && caseForms(stored);
    },
    row: (_store, _value, caseId) => ({ table: 'case', id: caseId }),
    async take({ store, change, newCases }, value, caseId, item) {
      if (item.status === 'new') {
        change.put.push(store.newCaseKey(caseId));
        newCases.add(caseId);
      }
      // A withheld person never replaces the name and notes held here for the same person.
      const stored =
        item.status === 'new' ? undefined : await store.find('case', caseId, caseId).catch(absentIfNotFound);
      change.put.push(await store.seal('case', caseId, caseId, keepWithheldFromStored(value, stored)));
    },
  } satisfies BundleKind<RecordOf<'case'>>,

  document: {
    portable: portableDocumentSchema,
    key: (value) => value.id,
    caseOf: (value) => value.caseId,
    label: (value) => value.name,
    previewed: (value, about) => ({ size: value.size, annotations: about(value.id, 'annotation') }),
    onlyOneCopy: 'a document',
    // Each document with its bytes and then its text (a text is placed in its document's case on arrival).
    async send({ services, selection, documents, record }) {
      const items: ExportItem[] = [];
      for (const document of await documents()) {
        const { blobId: _local, ...portable } = document;
        items.push(record('document', document.id, portable));
        items.push({
          manifest: {
            id: `document-bytes:${document.id}`,
            type: 'document-bytes',
            size: document.size,
            sha256: document.sha256,
          },
          document: {
            caseId: selection.caseId,
            documentId: document.id,
            chunks: Math.ceil(document.size / DOCUMENT_CHUNK_BYTES),
          },
        });
        const text = await services.documents.getDocumentText(selection.caseId, document.id);
        if (text) items.push(record('document-text', document.id, { documentId: document.id, text }));
      }
      return items;
    },
    heldKeys: documentIds,
    async current({ store }, value, caseId) {
      const stored = await store.find('document', caseId, value.id).catch(absentIfNotFound);
      if (!stored) return undefined;
      const { blobId: _local, ...portable } = stored;
      return portable;
    },
    row: (_store, value) => ({ table: 'document', id: value.id }),
    take: takeDocument,
  } satisfies BundleKind<PortableDocument>,

  'document-text': {
    portable: documentTextItemSchema,
    key: (value) => value.documentId,
    caseOf(value, carried) {
      // A document's text travels after the document itself.
      const document = carried(`document:${value.documentId}`);
      if (!document)
        throw new VaultError('bundle-refused', 'A document text arrived without its document.', 'item-invalid');
      return document.caseId;
    },
    label: () => 'document-text',
    documentOf: (value) => value.documentId,
    onlyOneCopy: 'a document text',
    heldKeys: documentIds,
    async current({ store }, value, caseId) {
      const text = await store
        .find('document-text', caseId, textRowId(store, value.documentId))
        .catch(absentIfNotFound);
      return text === undefined ? undefined : { documentId: value.documentId, text };
    },
    row: (store, value) => ({ table: 'document-text', id: textRowId(store, value.documentId) }),
    async take({ store, change }, value, caseId) {
      change.put.push(await store.seal('document-text', caseId, textRowId(store, value.documentId), value.text));
    },
  } satisfies BundleKind<z.infer<typeof documentTextItemSchema>>,

  // Annotations travel one by one and are stored by page (one row per annotated page of a document).
  'annotation-page': {
    portable: annotationRecordSchema,
    key: (value) => value.id,
    caseOf: (value) => value.caseId,
    label: (value) => value.note.slice(0, 80),
    documentOf: (value) => value.documentId,
    async send({ services, selection, documents, record }) {
      if (!selection.annotations) return [];
      const chosen = new Set((await documents()).map((document) => document.id));
      return (await services.annotations.listAnnotations(selection.caseId))
        .filter((annotation) => chosen.has(annotation.documentId))
        .map((annotation) => record('annotation', annotation.id, annotation));
    },
    heldKeys: async (services, caseId) =>
      (await services.annotations.listAnnotations(caseId)).map((annotation) => annotation.id),
    current: async ({ annotationsOf }, value, caseId) =>
      (await annotationsOf(caseId)).find((annotation) => annotation.id === value.id),
    // A page row is named by document and page: checked through its document (`documentOf`) and placed by
    // the annotation service.
    row: () => null,
    take(merge, value, caseId) {
      listOf(merge.batch('annotation-page'), caseId).push(value);
      return Promise.resolve();
    },
    async settle(merge) {
      for (const [caseId, records] of merge.batch('annotation-page')) {
        const arriving = new Set(
          merge.taken
            .filter((item) => item.type === 'document' && item.caseId === caseId)
            .map((item) => item.id.slice('document:'.length)),
        );
        const placed = await merge.services.annotations.placeRecords(caseId, records as AnnotationRecord[], arriving);
        merge.change.put.push(...(placed.put ?? []));
        merge.change.delete.push(...(placed.delete ?? []));
      }
    },
  } satisfies BundleKind<AnnotationRecord>,

  hearing: withheldDefendants(
    storedAsItTravels('hearing', {
      label: (value) => String(value.hearing.value.date),
      chosen: (selection) => selection.hearings,
      list: (services, caseId) => services.hearings.listHearings(caseId),
    }),
  ),

  'timeline-event': storedAsItTravels('timeline-event', {
    label: (value) => `${String(value.date)} ${String(value.kind)}`,
    chosen: (selection) => selection.timeline,
    list: (services, caseId) => services.timeline.listTimelineEvents(caseId),
  }),
} satisfies { [K in TravellingKind]: BundleKind<unknown> };

/** Every kind that travels, by its record kind. */
export const BUNDLE_KINDS: Readonly<Record<TravellingKind, BundleKind<unknown>>> = KINDS;

/** The kinds that travel, in the order a case's records are sent. */
export const TRAVELLING_KINDS = Object.keys(BUNDLE_KINDS) as TravellingKind[];

/** How records of a bundle item type travel, and the kind they are stored as. */
export function bundleKindOf(type: RecordItemType): { kind: TravellingKind; spec: BundleKind<unknown> } {
  const kind = recordKindOfBundleItem(type);
  if (kind === null) throw new VaultError('bundle-refused', 'An item in the bundle is not a record.', 'item-invalid');
  return { kind, spec: BUNDLE_KINDS[kind] };
}
