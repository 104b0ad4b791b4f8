import { transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { DOCUMENT_CHUNK_BYTES } from '../api';
import type {
  BundleExportRequest,
  BundleImportPreview,
  BundleImportResult,
  BundleItemPreview,
  ImportResolution,
  VaultWorkerApi,
} from '../api';
import { annotationRecordSchema, caseRecordSchema, documentRecordSchema, documentTextSchema } from '../model';
import { timelineEventRecordSchema } from '../timeline-model';
import { z } from '../zod';
import {
  BundleReader,
  BundleWriter,
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  SIGNATURE_BYTES,
  headerBytesFor,
  concat,
  custodySegment,
  isBundleError,
  verifyCustodySegment,
  type BundleEvent,
  type BundleItemType,
  type Manifest,
  type ManifestItem,
} from './bundle';
import { custodySegmentSchema } from './bundle/custody-segment';
import { Intake, contentTag, deleteChunksOf, openBlobRow, sealBlobRow } from './blob-store';
import type { Sha256Stream } from './content-hash';
import { importRefusals } from './bundle-import-rules';
import { canonicalJson } from './canonical-json';
import { custodyTargetOf, recordKindOfBundleItem, type CaseRecordKind, type RecordOf } from './record-kinds';
import { sniffType, type SniffedType } from './sniff';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { CustodyEntryInput } from './custody-log';
import { textRowId, type DocumentChunks } from './documents-service';
import { storedHearingSchema } from '../hearing-model';
import type { createIdentityService } from './identity-service';
import type { VaultChange, VaultStore } from './vault-store';

type BundleApi = Pick<
  VaultWorkerApi,
  | 'estimateBundleExport'
  | 'beginBundleExport'
  | 'readBundleExport'
  | 'finishBundleExport'
  | 'cancelBundleExport'
  | 'beginBundleImport'
  | 'importBundleChunk'
  | 'finishBundleImport'
  | 'commitBundleImport'
  | 'cancelBundleImport'
  | 'listReceivedBundles'
  | 'itemOrigin'
>;

function recordKindOf(type: RecordType) {
  const kind = recordKindOfBundleItem(type);
  if (kind === null) throw new VaultError('bundle-refused', 'An item in the bundle is not a record.', 'item-invalid');
  return kind;
}

/**
 * Refuses a manifest that declares a record larger than one record may be,
 * or more record bytes in all than an import holds, before any is staged.
 */
function refuseOversizedRecords(manifest: Manifest): void {
  let recordBytes = 0;
  for (const item of manifest.items) {
    if (item.type === 'document-bytes') continue;
    // The sender's custody log grows with their whole history: bounded by the total only.
    if (item.type !== 'custody-log' && item.size > MAX_RECORD_ITEM_BYTES)
      throw new VaultError('bundle-refused', 'A record in the bundle is larger than any record can be.', 'too-large');
    recordBytes += item.size;
  }
  if (recordBytes > MAX_RECORD_BYTES)
    throw new VaultError(
      'bundle-refused',
      'The bundle holds more records than this vault takes in at once.',
      'too-large',
    );
}

/** Ciphertext handed to the UI per call: large enough to keep RPC overhead small, small enough to stay flat. */
const EXPORT_PIECE_BYTES = 1024 * 1024;
/** Records (everything but document bytes) a bundle may bring, in total: the rest must be documents. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** Largest single record a bundle may carry, checked against the manifest before anything is staged. */
const MAX_RECORD_ITEM_BYTES = 8 * 1024 * 1024;
/** How often a merge starts again when the vault changed while it was being prepared. */
const MERGE_ATTEMPTS = 3;

const encoder = new TextEncoder();
const sha256Hex = (bytes: Uint8Array) => sodium.to_hex(sodium.crypto_hash_sha256(bytes));

/** A document as it travels: everything but where this vault keeps its bytes. */
const portableDocumentSchema = documentRecordSchema.omit({ blobId: true });

const documentTextItemSchema = z.strictObject({
  documentId: z.string().regex(/^[0-9a-f]{32}$/),
  text: documentTextSchema,
});

/** How each record type is checked when it arrives, and which case it belongs to. */
const RECORD_SCHEMAS = {
  case: caseRecordSchema,
  document: portableDocumentSchema,
  'document-text': documentTextItemSchema,
  annotation: annotationRecordSchema,
  hearing: storedHearingSchema,
  'timeline-event': timelineEventRecordSchema,
} as const;
type RecordType = keyof typeof RECORD_SCHEMAS;

const bundleImportSchema = z.strictObject({
  bundleId: z.string(),
  importedAt: z.number(),
  signer: z.strictObject({ name: z.string(), signingKey: z.string(), status: z.string() }),
  headerHash: z.string(),
  createdAt: z.string(),
  /** Item id → the SHA-256 this vault took in, to tell an update from a conflict next time. */
  items: z.record(z.string(), z.string()),
  /** The items this import wrote, by their id in this vault ("both" gives a new one) → their id in the bundle. */
  taken: z.record(z.string(), z.string()).optional(),
  /** The sender's custody-log segment, kept as it came (verifiable later). */
  custodyLog: z.string().nullable(),
  /** The cases this import created: their records may change only by bundles from the same signer. */
  created: z.array(z.string()).optional(),
});
type BundleImportRecord = z.infer<typeof bundleImportSchema>;

/**
 * The sender's custody segment as one case keeps it: full entries only
 * about `keep`'s cases, the others reduced to their links (the chain still
 * verifies). A segment that does not parse is kept as it came.
 */
function segmentFor(text: string, keep: ReadonlySet<string>): string {
  let segment: z.infer<typeof custodySegmentSchema>;
  try {
    segment = custodySegmentSchema.parse(JSON.parse(text));
  } catch {
    return text;
  }
  return JSON.stringify({
    ...segment,
    entries: segment.entries.map((entry) =>
      'redacted' in entry || (entry.caseId !== undefined && keep.has(entry.caseId))
        ? entry
        : { seq: entry.seq, redacted: true, previousHash: entry.previousHash, hash: entry.hash },
    ),
  });
}

interface ExportItem {
  manifest: ManifestItem;
  /** The bytes of a record item; document bytes are read from the vault as they are written. */
  bytes?: Uint8Array;
  document?: { caseId: string; documentId: string; chunks: number };
}

interface OpenExport {
  /** The document being read, opened once for all its chunks. */
  reading: DocumentChunks | null;
  headerSent: boolean;
  writer: BundleWriter;
  items: ExportItem[];
  next: number;
  finished: boolean;
  caseIds: string[];
  /** Pieces are made one after another, in the order asked, even when the next is asked before this one is done. */
  queue: Promise<unknown>;
  /** Set by a cancel or a lock: a piece being made stops. */
  cancelled?: boolean;
}

interface StagedRecord {
  type: RecordType;
  value: unknown;
  sha256: string;
  /** The case it belongs to (a document's text: its document's case). */
  caseId: string;
}

interface OpenImport {
  reader: BundleReader;
  manifest: Manifest | null;
  /** Record items being received: their bytes so far. */
  pieces: Map<number, Uint8Array[]>;
  records: Map<string, StagedRecord>;
  recordBytes: number;
  /** Document bytes arrive into encrypted staging (pending blobs the unlock sweep removes if we crash). */
  intakes: Map<number, Intake>;
  /** Document bytes staged, by document id, with their first bytes: the type is sniffed from them, never taken
   * from the sender. */
  staged: Map<string, Awaited<ReturnType<Intake['finish']>> & { blobId: string; head: Uint8Array }>;
  custodyLog: Uint8Array | null;
  preview: BundleImportPreview | null;
  wipeKeys: () => void;
  /** The database staging writes go to (kept here: at lock the session is already gone). */
  db: VaultStore['database'];
  /** Set while the merge commits: the import can then be neither cancelled nor committed again. */
  committing: boolean;
}

/**
 * The SHA-256 of staged document bytes, without hashing them again: the
 * bundle reader hashes every item as it passes and refuses a mismatch
 * before the item ends, which is when the intake is finished.
 */
function verifiedHash(sha256: string): Sha256Stream {
  return { update: () => undefined, digest: () => Promise.resolve(sha256), dispose: () => undefined };
}

/**
 * A bundle's size to within a few hundred bytes per item (the manifest's
 * JSON): header, manifest, signature, payload, and each chunk's overhead.
 */
function approximateBundleBytes(payload: number, items: number, recipients: number): number {
  const plain = payload + 4 + 512 + items * 200 + SIGNATURE_BYTES;
  return headerBytesFor(recipients) + plain + Math.ceil(plain / CHUNK_BYTES) * CHUNK_OVERHEAD;
}

/** Only "there is no such record" reads as absent; a damaged record or a lock must stop the import. */
function absentIfNotFound(error: unknown): undefined {
  if (error instanceof VaultError && error.code === 'not-found') return undefined;
  throw error;
}

function refused(error: unknown): never {
  if (isBundleError(error)) throw new VaultError('bundle-refused', error.message, error.code);
  throw error;
}

/**
 * Sending and receiving bundles (docs/bundle-format.md). Export streams the
 * chosen cases through a BundleWriter a piece at a time; import streams a
 * file through a BundleReader into staging (records in memory, document
 * bytes as pending encrypted blobs), shows a preview, and merges everything
 * in one commit, or nothing.
 */
export function createBundleService(deps: {
  session: () => { store: VaultStore; actor: string };
  identity: ReturnType<typeof createIdentityService>;
  documents: Pick<VaultWorkerApi, 'getDocumentText' | 'listDocuments'> & {
    openChunks(caseId: string, documentId: string): Promise<DocumentChunks>;
  };
  annotations: {
    listAnnotations: VaultWorkerApi['listAnnotations'];
    placeRecords(
      caseId: string,
      records: readonly z.infer<typeof annotationRecordSchema>[],
      documentsArriving: ReadonlySet<string>,
    ): Promise<VaultChange>;
  };
  hearings: Pick<VaultWorkerApi, 'listHearings'>;
  timeline: Pick<VaultWorkerApi, 'listTimelineEvents'>;
}) {
  const { session } = deps;
  const exports = new Map<string, OpenExport>();
  const imports = new Map<string, OpenImport>();

  function recordItem(type: BundleItemType, id: string, value: unknown): ExportItem {
    const bytes = encoder.encode(canonicalJson(value));
    return { manifest: { id: `${type}:${id}`, type, size: bytes.byteLength, sha256: sha256Hex(bytes) }, bytes };
  }

  async function exportItems(store: VaultStore, request: BundleExportRequest): Promise<ExportItem[]> {
    const items: ExportItem[] = [];
    for (const selection of request.cases) {
      const record = await store.find('case', selection.caseId, selection.caseId);
      if (!record) throw new VaultError('not-found', 'A chosen case does not exist.');
      items.push(recordItem('case', selection.caseId, record));
      const documents = (await deps.documents.listDocuments(selection.caseId)).filter(
        (document) => selection.documentIds === 'all' || selection.documentIds.includes(document.id),
      );
      for (const document of documents) {
        const { blobId: _local, ...portable } = document;
        items.push(recordItem('document', document.id, portable));
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
        const text = await deps.documents.getDocumentText(selection.caseId, document.id);
        if (text) items.push(recordItem('document-text', document.id, { documentId: document.id, text }));
      }
      if (selection.annotations) {
        const chosen = new Set(documents.map((document) => document.id));
        for (const annotation of await deps.annotations.listAnnotations(selection.caseId))
          if (chosen.has(annotation.documentId)) items.push(recordItem('annotation', annotation.id, annotation));
      }
      if (selection.hearings)
        for (const hearing of await deps.hearings.listHearings(selection.caseId))
          items.push(recordItem('hearing', hearing.id, hearing));
      if (selection.timeline)
        for (const event of await deps.timeline.listTimelineEvents(selection.caseId))
          items.push(recordItem('timeline-event', event.id, event));
    }
    if (request.includeCustodyLog) {
      const { entries } = await store.readLog();
      // The head is the chain as read (one read): a commit landing meanwhile cannot make the segment look cut.
      const last = entries.at(-1);
      const head = { count: entries.length, lastHash: last?.hash ?? '0'.repeat(64) };
      // Full entries only about what travels: the cases themselves and the items in the bundle. Entries about
      // documents left out (their hashes), other cases or earlier bundles are reduced to their links.
      const cases = new Set(request.cases.map((selection) => selection.caseId));
      const sent = new Set(items.map((item) => item.manifest.id.slice(item.manifest.id.indexOf(':') + 1)));
      const segment = custodySegment(
        entries,
        head,
        (entry) =>
          entry.caseId !== undefined &&
          cases.has(entry.caseId) &&
          entry.targetKind !== 'bundle' &&
          (entry.targetKind === 'case' || sent.has(entry.targetId)),
      );
      items.push(recordItem('custody-log', 'sender', segment));
    }
    return items;
  }

  const exportRequestSchema = z.strictObject({
    cases: z
      .array(
        z.strictObject({
          caseId: z.string().regex(/^[0-9a-f]{32}$/),
          documentIds: z.union([z.literal('all'), z.array(z.string().regex(/^[0-9a-f]{32}$/)).max(100_000)]),
          annotations: z.boolean(),
          hearings: z.boolean(),
          timeline: z.boolean(),
        }),
      )
      .min(1)
      .max(1000),
    recipients: z.array(z.string().max(64)).max(31),
    includeSelf: z.boolean(),
    includeCustodyLog: z.boolean(),
  });

  async function previewImport(store: VaultStore, open: OpenImport): Promise<BundleImportPreview> {
    const manifest = open.manifest!;
    const own = await deps.identity.api.getIdentity();
    const contacts = await deps.identity.contacts();
    const contact = contacts.find((entry) => entry.signingKey === manifest.sender.signingKey);
    const signerStatus =
      manifest.sender.signingKey === own.signingKey
        ? 'self'
        : contact
          ? contact.verified
            ? 'verified'
            : 'unverified'
          : 'unknown';
    const previous = await previousImports(store);
    const seen = previous.find((entry) => entry.bundleId === manifest.bundleId);
    const items = await describe(store, open, previous, await classify(store, open, previous), own.signingKey);
    const custody = open.custodyLog ? verifyCustodySegment(open.custodyLog) : null;
    return {
      bundleId: manifest.bundleId,
      createdAt: manifest.createdAt,
      signer: {
        name: manifest.sender.name,
        signingKey: manifest.sender.signingKey,
        status: signerStatus,
        contactName: contact?.name ?? null,
        contactId: contact?.id ?? null,
      },
      recipients: manifest.recipients.length,
      alreadyImportedAt: seen?.importedAt ?? null,
      items,
      documentBytes: manifest.items
        .filter((item) => item.type === 'document-bytes')
        .reduce((sum, item) => sum + item.size, 0),
      custodyLog:
        custody === null
          ? null
          : custody.ok
            ? { ok: true, entries: custody.entries, redacted: custody.redacted }
            : { ok: false, reason: custody.reason },
    };
  }

  /**
   * What importing each record would do. new: not here. same: identical here,
   * or an older copy this vault already took. update: changed by the sender
   * only (this vault's copy is what it last took from the same signer).
   * conflict: anything else.
   */
  async function classify(
    store: VaultStore,
    open: OpenImport,
    previous: BundleImportRecord[],
  ): Promise<BundleItemPreview[]> {
    const signer = open.manifest!.sender.signingKey;
    const history = new Map<string, { sha: string; signer: string; from: { name: string; status: string } }[]>();
    for (const entry of [...previous].sort((a, b) => a.importedAt - b.importedAt))
      for (const [id, sha] of Object.entries(entry.items)) {
        const list = history.get(id) ?? [];
        list.push({
          sha,
          signer: entry.signer.signingKey,
          from: { name: entry.signer.name, status: entry.signer.status },
        });
        history.set(id, list);
      }
    const annotationCache = new Map<string, Promise<z.infer<typeof annotationRecordSchema>[]>>();
    const annotationsOf = (caseId: string) => {
      let cached = annotationCache.get(caseId);
      if (!cached) {
        cached = deps.annotations.listAnnotations(caseId).catch((error: unknown) => absentIfNotFound(error) ?? []);
        annotationCache.set(caseId, cached);
      }
      return cached;
    };
    const items: BundleItemPreview[] = [];
    for (const [id, staged] of open.records) {
      const mine = await currentHash(store, staged, annotationsOf);
      const taken = history.get(id) ?? [];
      const last = taken.at(-1);
      const status =
        mine === null
          ? 'new'
          : mine === staged.sha256 || taken.some((entry) => entry.sha === staged.sha256)
            ? 'same'
            : last && mine === last.sha && last.signer === signer
              ? 'update'
              : 'conflict';
      const item: BundleItemPreview = { id, type: staged.type, caseId: staged.caseId, label: labelOf(staged), status };
      // Who wrote the copy that would change: the last import that brought exactly it, else this vault.
      if (status === 'update' || status === 'conflict')
        item.currentFrom = [...taken].reverse().find((entry) => entry.sha === mine)?.from ?? null;
      items.push(item);
    }
    return items;
  }

  /** The previewed items, named for a decision: documents' sizes and annotations, and what may not be written. */
  async function describe(
    store: VaultStore,
    open: OpenImport,
    previous: BundleImportRecord[],
    items: BundleItemPreview[],
    ownSigningKey: string,
  ): Promise<BundleItemPreview[]> {
    const refusals = await importRefusals({
      store,
      signer: open.manifest!.sender.signingKey,
      ownSigningKey,
      records: open.records,
      items,
      earlier: previous,
      textRowId: (documentId) => textRowId(store, documentId),
      casesMadeHere: async () => {
        // The first entry the log holds about a case says how it came: 'created' here, or 'imported'.
        const first = new Map<string, string>();
        for (const entry of (await store.readLog()).entries)
          if (entry.aboutDeletedCase === undefined && entry.caseId !== undefined && !first.has(entry.caseId))
            first.set(entry.caseId, entry.action);
        return new Set([...first].filter(([, action]) => action === 'created').map(([caseId]) => caseId));
      },
    });
    const annotationsOn = new Map<string, number>();
    for (const staged of open.records.values())
      if (staged.type === 'annotation') {
        const { documentId } = staged.value as { documentId: string };
        annotationsOn.set(documentId, (annotationsOn.get(documentId) ?? 0) + 1);
      }
    // Annotations and texts on documents this vault already holds are named by the document here.
    const namesHere = new Map<string, string | undefined>();
    for (const staged of open.records.values()) {
      if (staged.type !== 'annotation' && staged.type !== 'document-text') continue;
      const { documentId } = staged.value as { documentId: string };
      if (open.records.has(`document:${documentId}`) || namesHere.has(documentId)) continue;
      const here = await store.find('document', staged.caseId, documentId).catch(() => undefined);
      namesHere.set(documentId, here?.name);
    }
    return items.map((item) => {
      const staged = open.records.get(item.id)!;
      const described: BundleItemPreview = { ...item };
      if (staged.type === 'document') {
        const { id, size } = staged.value as { id: string; size: number };
        described.size = size;
        described.annotations = annotationsOn.get(id) ?? 0;
      }
      if (staged.type === 'annotation' || staged.type === 'document-text') {
        const { documentId } = staged.value as { documentId: string };
        described.documentId = documentId;
        const carried = open.records.get(`document:${documentId}`);
        const name = carried ? (carried.value as { name: string }).name : namesHere.get(documentId);
        if (name !== undefined) described.documentName = name;
      }
      const refusal = refusals.get(item.id);
      if (refusal) {
        described.status = 'refused';
        described.refusal = refusal;
      }
      return described;
    });
  }

  /** Every document in the bundle: its bytes came and match its record, or this vault holds that content. */
  async function checkDocuments(store: VaultStore, open: OpenImport): Promise<void> {
    for (const staged of open.records.values()) {
      if (staged.type !== 'document') continue;
      const document = staged.value as { id: string; caseId: string; sha256: string; size: number };
      const blob = open.staged.get(document.id);
      if (blob) {
        if (blob.sha256 !== document.sha256 || blob.info.size !== document.size)
          throw new VaultError('bundle-refused', 'A document does not match its record.', 'item-invalid');
        continue;
      }
      const held = await store.find('document', document.caseId, document.id).catch(absentIfNotFound);
      if (held?.sha256 !== document.sha256)
        throw new VaultError('bundle-refused', 'A document arrived without its bytes.', 'item-invalid');
    }
  }

  function labelOf(staged: StagedRecord): string {
    const value = staged.value as Record<string, unknown>;
    if (staged.type === 'case') return String(value.title);
    if (staged.type === 'document') return String(value.name);
    if (staged.type === 'hearing') return String((value.hearing as { value: { date: string } }).value.date);
    if (staged.type === 'timeline-event') return `${String(value.date)} ${String(value.kind)}`;
    if (staged.type === 'annotation') return String(value.note).slice(0, 80);
    return staged.type;
  }

  /** The SHA-256 of this vault's current copy of an incoming record, in the bundle's encoding; null if absent. */
  async function currentHash(
    store: VaultStore,
    staged: StagedRecord,
    annotationsOf: (caseId: string) => Promise<z.infer<typeof annotationRecordSchema>[]>,
  ): Promise<string | null> {
    const value = staged.value as { id?: string; caseId?: string; documentId?: string };
    let mine: unknown;
    if (staged.type === 'case') mine = await store.find('case', value.id!, value.id!).catch(absentIfNotFound);
    else if (staged.type === 'document') {
      const stored = await store.find('document', value.caseId!, value.id!).catch(absentIfNotFound);
      if (stored) {
        const { blobId: _local, ...portable } = stored;
        mine = portable;
      }
    } else if (staged.type === 'document-text') {
      const text = await store
        .find('document-text', staged.caseId, textRowId(store, value.documentId!))
        .catch(absentIfNotFound);
      mine = text === undefined ? undefined : { documentId: value.documentId, text };
    } else if (staged.type === 'annotation') {
      const all = await annotationsOf(value.caseId!);
      mine = all.find((annotation) => annotation.id === value.id);
    } else if (staged.type === 'hearing')
      mine = await store.find('hearing', value.caseId!, value.id!).catch(absentIfNotFound);
    else mine = await store.find('timeline-event', value.caseId!, value.id!).catch(absentIfNotFound);
    return mine === undefined ? null : sha256Hex(encoder.encode(canonicalJson(mine)));
  }

  /**
   * Every earlier import, as far as the cases still here know it. Imports
   * since per-case receipts: one receipt per case it touched (sealed with
   * that case's key, gone with the case), merged back into one record per
   * bundle. Older imports: one vault-wide record each (`forgetCase` takes a
   * deleted case's part out of them).
   */
  async function previousImports(store: VaultStore): Promise<BundleImportRecord[]> {
    const parse = ({ value }: { value: unknown }) => {
      const parsed = bundleImportSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    };
    const legacy = (await store.list('bundle-import', null)).flatMap(parse);
    const byBundle = new Map<string, BundleImportRecord>();
    for (const receipt of (await store.listAcrossCases('bundle-receipt')).records.flatMap(parse)) {
      const seen = byBundle.get(receipt.bundleId);
      if (!seen)
        byBundle.set(receipt.bundleId, {
          ...receipt,
          items: { ...receipt.items },
          taken: { ...receipt.taken },
          created: [...(receipt.created ?? [])],
        });
      else {
        Object.assign(seen.items, receipt.items);
        Object.assign(seen.taken!, receipt.taken);
        seen.created!.push(...(receipt.created ?? []));
        seen.custodyLog ??= receipt.custodyLog;
      }
    }
    return [...legacy, ...byBundle.values()];
  }

  /** Record item ids ("document:<id>", …) of one case as it is now; empty if it is not here. */
  async function itemIdsOf(caseId: string): Promise<Set<string>> {
    const ids = new Set<string>([`case:${caseId}`]);
    try {
      for (const document of await deps.documents.listDocuments(caseId))
        ids.add(`document:${document.id}`).add(`document-text:${document.id}`);
      for (const annotation of await deps.annotations.listAnnotations(caseId)) ids.add(`annotation:${annotation.id}`);
      for (const hearing of await deps.hearings.listHearings(caseId)) ids.add(`hearing:${hearing.id}`);
      for (const event of await deps.timeline.listTimelineEvents(caseId)) ids.add(`timeline-event:${event.id}`);
    } catch (error) {
      absentIfNotFound(error);
      return new Set();
    }
    return ids;
  }

  /**
   * The writes that take a case being deleted out of import records written
   * before per-case receipts (one vault-wide record per bundle): each that
   * names the case keeps only what belongs to its other cases still here
   * (items, taken, created, full custody entries), or goes when none is left.
   * Receipts need nothing: they are the case's rows, deleted with it.
   */
  async function forgetCase(store: VaultStore, caseId: string): Promise<Required<Pick<VaultChange, 'put' | 'delete'>>> {
    const change: Required<Pick<VaultChange, 'put' | 'delete'>> = { put: [], delete: [] };
    const idsOfCase = new Map<string, Promise<Set<string>>>();
    const idsOf = (id: string) => {
      let ids = idsOfCase.get(id);
      if (!ids) {
        ids = itemIdsOf(id);
        idsOfCase.set(id, ids);
      }
      return ids;
    };
    for (const { id, value } of await store.list('bundle-import', null)) {
      const parsed = bundleImportSchema.safeParse(value);
      const record = parsed.success ? parsed.data : null;
      const named = (key: string) => key === `case:${caseId}`;
      if (
        record !== null &&
        !Object.keys(record.items).some(named) &&
        !Object.keys(record.taken ?? {}).some(named) &&
        !(record.created ?? []).includes(caseId)
      )
        continue;
      const cases = record
        ? [...Object.keys(record.items), ...Object.keys(record.taken ?? {})]
            .filter((key) => key.startsWith('case:'))
            .map((key) => key.slice('case:'.length))
        : [];
      const others = new Set<string>();
      const keepIds = new Set<string>();
      for (const other of new Set(cases))
        if (other !== caseId) {
          const ids = await idsOf(other);
          if (ids.size === 0) continue;
          others.add(other);
          for (const itemId of ids) keepIds.add(itemId);
        }
      if (record === null || others.size === 0) {
        change.delete.push({ table: 'bundle-import', caseId: null, id });
        continue;
      }
      const taken = Object.fromEntries(Object.entries(record.taken ?? {}).filter(([local]) => keepIds.has(local)));
      const fromBundle = new Set(Object.values(taken));
      const scrubbed: BundleImportRecord = {
        ...record,
        items: Object.fromEntries(
          Object.entries(record.items).filter(([itemId]) => keepIds.has(itemId) || fromBundle.has(itemId)),
        ),
        ...(record.taken ? { taken } : {}),
        custodyLog: record.custodyLog === null ? null : segmentFor(record.custodyLog, others),
        ...(record.created ? { created: record.created.filter((created) => others.has(created)) } : {}),
      };
      change.put.push(await store.seal('bundle-import', null, id, scrubbed));
    }
    return change;
  }

  function openImport(id: string): OpenImport {
    const open = imports.get(id);
    if (!open) throw new VaultError('not-found', 'This import is no longer open.');
    return open;
  }

  async function dropImport(id: string): Promise<void> {
    const open = imports.get(id);
    if (!open) return;
    imports.delete(id);
    open.wipeKeys();
    open.reader.close();
    const intakes = [...open.intakes.values()];
    open.intakes.clear();
    await Promise.allSettled(intakes.map((intake) => intake.discard()));
    const staged = [...open.staged.values()];
    open.staged.clear();
    await Promise.allSettled(
      staged.map(async ({ blobId }) => {
        await open.db.transaction('rw', open.db.blobs, open.db.chunks, async () => {
          await open.db.blobs.delete(blobId);
          await deleteChunksOf(open.db, blobId);
        });
      }),
    );
  }

  /** The next bytes of an export: about EXPORT_PIECE_BYTES, or null once it is all out. */
  async function nextExportPiece(open: OpenExport): Promise<Uint8Array | null> {
    if (open.cancelled) throw new VaultError('not-found', 'This export is no longer open.');
    if (open.finished) return null;
    const header = open.headerSent ? null : open.writer.header;
    open.headerSent = true;
    let size = 0;
    while (size < EXPORT_PIECE_BYTES && open.next < open.items.length) {
      const item = open.items[open.next]!;
      if (item.bytes) {
        open.writer.write(item.bytes);
        size += item.bytes.byteLength;
        open.next += 1;
      } else if (item.document) {
        // One document chunk per step, so a large document streams; its records and key are opened once.
        const state = item as ExportItem & { done?: number };
        const index = state.done ?? 0;
        if (index < item.document.chunks) {
          open.reading ??= await deps.documents.openChunks(item.document.caseId, item.document.documentId);
          const plain = await open.reading.read(index);
          // Cancelled or locked while this chunk was read: its key is wiped by closeExport, nothing more is made.
          if (open.cancelled) throw new VaultError('not-found', 'This export is no longer open.');
          open.writer.write(plain);
          plain.fill(0);
          size += plain.byteLength;
          state.done = index + 1;
        }
        if ((state.done ?? 0) >= item.document.chunks) {
          open.reading?.close();
          open.reading = null;
          open.next += 1;
        }
      }
    }
    if (open.next >= open.items.length) {
      open.writer.finish();
      open.finished = true;
    }
    const sealed = open.writer.takeSealed();
    return header ? concat(header, sealed) : sealed;
  }

  async function handle(store: VaultStore, open: OpenImport, events: BundleEvent[]): Promise<void> {
    for (const event of events) {
      // A lock or a cancel may have closed this import while the last write was under way.
      if (![...imports.values()].includes(open)) throw new VaultError('locked', 'The import was closed.');
      if (event.kind === 'manifest') {
        refuseOversizedRecords(event.manifest);
        open.manifest = event.manifest;
        continue;
      }
      const item = open.manifest!.items[event.index]!;
      if (item.type === 'document-bytes') {
        if (event.kind === 'item-data') {
          let intake = open.intakes.get(event.index);
          if (!intake) {
            intake = await Intake.begin(store.database, store.recordsKey, item.size, verifiedHash(item.sha256));
            open.intakes.set(event.index, intake);
          }
          await intake.write(event.bytes);
        } else {
          const intake =
            open.intakes.get(event.index) ??
            (await Intake.begin(store.database, store.recordsKey, 0, verifiedHash(item.sha256)));
          open.intakes.delete(event.index);
          const finished = await intake.finish();
          open.staged.set(item.id.slice('document-bytes:'.length), {
            ...finished,
            blobId: intake.blobId,
            head: intake.head,
          });
        }
        continue;
      }
      if (event.kind === 'item-data') {
        // The manifest's sizes were checked when it arrived and the reader holds every item to its size:
        // this is the last line, should either change.
        if (
          (item.type !== 'custody-log' && item.size > MAX_RECORD_ITEM_BYTES) ||
          open.recordBytes + event.bytes.byteLength > MAX_RECORD_BYTES
        )
          throw new VaultError(
            'bundle-refused',
            'The bundle holds more records than this vault takes in at once.',
            'too-large',
          );
        open.recordBytes += event.bytes.byteLength;
        const pieces = open.pieces.get(event.index) ?? [];
        pieces.push(event.bytes);
        open.pieces.set(event.index, pieces);
        continue;
      }
      const pieces = open.pieces.get(event.index) ?? [];
      open.pieces.delete(event.index);
      const bytes = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
      let offset = 0;
      for (const piece of pieces) {
        bytes.set(piece, offset);
        offset += piece.byteLength;
      }
      if (item.type === 'custody-log') {
        open.custodyLog = bytes;
        continue;
      }
      const type: RecordType = item.type;
      let value: unknown;
      try {
        value = RECORD_SCHEMAS[type].parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
      } catch {
        throw new VaultError('bundle-refused', 'An item in the bundle is not a valid record.', 'item-invalid');
      }
      const expectedId = `${type}:${type === 'document-text' ? (value as { documentId: string }).documentId : (value as { id: string }).id}`;
      if (item.id !== expectedId)
        throw new VaultError('bundle-refused', 'An item in the bundle is mislabelled.', 'item-invalid');
      let caseId: string;
      if (type === 'case') caseId = (value as { id: string }).id;
      else if (type === 'document-text') {
        // A document's text travels after the document itself.
        const document = open.records.get(`document:${(value as { documentId: string }).documentId}`);
        if (!document)
          throw new VaultError('bundle-refused', 'A document text arrived without its document.', 'item-invalid');
        caseId = document.caseId;
      } else caseId = (value as { caseId: string }).caseId;
      // Compared in this vault's own encoding of the parsed record (the bytes' hash was checked by the reader):
      // a sender's key order or fields this version drops must not make the same record look changed.
      open.records.set(item.id, { type, value, sha256: sha256Hex(encoder.encode(canonicalJson(value))), caseId });
    }
  }

  const api: BundleApi = {
    async estimateBundleExport(requestInput) {
      const { store } = session();
      const parsed = exportRequestSchema.safeParse(requestInput);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid bundle request.');
      const items = await exportItems(store, parsed.data);
      const payload = items.reduce((sum, item) => sum + item.manifest.size, 0);
      const recipients = parsed.data.recipients.length + (parsed.data.includeSelf ? 1 : 0);
      return { items: items.length, bytes: approximateBundleBytes(payload, items.length, recipients) };
    },

    async beginBundleExport(requestInput) {
      const { store } = session();
      const parsed = exportRequestSchema.safeParse(requestInput);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid bundle request.');
      const request = parsed.data;
      const contacts = await deps.identity.contacts();
      const recipients = request.recipients.map((id) => {
        const contact = contacts.find((entry) => entry.id === id);
        if (!contact) throw new VaultError('not-found', 'A chosen recipient is no longer a contact.');
        return sodium.from_hex(contact.encryptionKey);
      });
      const keys = await deps.identity.identityKeys(store);
      try {
        if (request.includeSelf) recipients.push(keys.boxPublicKey);
        if (recipients.length === 0) throw new VaultError('invalid-input', 'Choose at least one recipient.');
        const items = await exportItems(store, request);
        const writer = new BundleWriter({
          sender: { ...keys, name: keys.name },
          recipients,
          items: items.map((item) => item.manifest),
          // Records were hashed just now and document chunks are authenticated by the vault: no second pass.
          checkHashes: false,
        });
        const exportId = randomId();
        exports.set(exportId, {
          reading: null,
          headerSent: false,
          writer,
          items,
          next: 0,
          finished: false,
          caseIds: request.cases.map((entry) => entry.caseId),
          queue: Promise.resolve(),
        });
        const payload = items.reduce((sum, item) => sum + item.manifest.size, 0);
        return {
          exportId,
          bundleId: writer.manifest.bundleId,
          items: items.length,
          approximateBytes: approximateBundleBytes(payload, items.length, recipients.length),
        };
      } finally {
        sodium.memzero(keys.signSecretKey);
        sodium.memzero(keys.boxSecretKey);
      }
    },

    async readBundleExport(exportId) {
      const open = exports.get(exportId);
      if (!open) throw new VaultError('not-found', 'This export is no longer open.');
      const piece = open.queue.then(() => nextExportPiece(open));
      open.queue = piece.catch(() => undefined);
      const bytes = await piece;
      // Moved, not copied, to the UI thread.
      return bytes && transfer(bytes, [bytes.buffer]);
    },

    async finishBundleExport(exportId) {
      const { store } = session();
      const open = exports.get(exportId);
      if (!open?.finished) throw new VaultError('not-found', 'This export is not complete.');
      exports.delete(exportId);
      const bundleId = open.writer.manifest.bundleId;
      await store.commit({
        log: open.caseIds.map((caseId) => ({
          action: 'exported',
          targetKind: 'bundle',
          targetId: bundleId,
          caseId,
          contentHashes: [open.writer.manifest.headerHash],
        })),
      });
    },

    async cancelBundleExport(exportId) {
      const open = exports.get(exportId);
      exports.delete(exportId);
      if (open) await closeExport(open);
    },

    async beginBundleImport() {
      const { store } = session();
      const keys = await deps.identity.identityKeys(store);
      sodium.memzero(keys.signSecretKey);
      const importId = randomId();
      imports.set(importId, {
        reader: new BundleReader(keys),
        manifest: null,
        pieces: new Map(),
        records: new Map(),
        recordBytes: 0,
        intakes: new Map(),
        staged: new Map(),
        custodyLog: null,
        preview: null,
        wipeKeys: () => sodium.memzero(keys.boxSecretKey),
        db: store.database,
        committing: false,
      });
      return importId;
    },

    async importBundleChunk(importId, bytes) {
      const { store } = session();
      const open = openImport(importId);
      if (!(bytes instanceof Uint8Array)) throw new VaultError('invalid-input', 'Expected bytes.');
      try {
        let events: BundleEvent[];
        try {
          events = open.reader.push(bytes);
        } catch (error) {
          refused(error);
        }
        await handle(store, open, events);
      } catch (error) {
        await dropImport(importId);
        throw error;
      }
    },

    async finishBundleImport(importId) {
      const { store } = session();
      const open = openImport(importId);
      try {
        let events: BundleEvent[];
        try {
          events = open.reader.finish();
        } catch (error) {
          refused(error);
        }
        await handle(store, open, events);
        open.wipeKeys();
        await checkDocuments(store, open);
        open.preview = await previewImport(store, open);
        return open.preview;
      } catch (error) {
        await dropImport(importId);
        throw error;
      }
    },

    async commitBundleImport(importId, choices) {
      const { store } = session();
      const open = openImport(importId);
      const preview = open.preview;
      if (!preview) throw new VaultError('invalid-input', 'The bundle has not been read to its end yet.');
      if (preview.items.some((item) => item.status === 'refused'))
        throw new VaultError('bundle-refused', 'This bundle would change records it does not own.', 'overreaches');
      const { resolutions, acceptUnknownSigner } = z
        .strictObject({
          resolutions: z.record(z.string(), z.enum(['mine', 'theirs', 'both'])),
          acceptUnknownSigner: z.boolean(),
        })
        .parse(choices);
      if (preview.signer.status === 'unknown' && !acceptUnknownSigner)
        throw new VaultError(
          'invalid-input',
          'Confirm that you accept a bundle from an unknown key.',
          'signer-unconfirmed',
        );
      const unresolved = preview.items.filter((item) => item.status === 'conflict' && !resolutions[item.id]);
      // A case or a document kept twice would split its records between the copies: only one version of each.
      if (
        preview.items.some(
          (item) => (item.type === 'case' || item.type === 'document') && resolutions[item.id] === 'both',
        )
      )
        throw new VaultError('invalid-input', 'A case or a document can only be kept as yours or taken as theirs.');
      if (unresolved.length > 0)
        throw new VaultError('invalid-input', 'Choose how to resolve every conflict.', 'conflicts-unresolved');

      // The choices are complete. One merge at a time, and only if the vault did not change since the preview.
      if (open.committing) throw new VaultError('invalid-input', 'This bundle is already being imported.');
      if (preview.items.some((item) => item.type === 'document-text' && resolutions[item.id] === 'both'))
        throw new VaultError('invalid-input', 'A document text can only be kept as yours or taken as theirs.');
      open.committing = true;
      try {
        // The merge reads what it merges into (documents, annotation pages) before it commits. A change that
        // lands in between (an annotation edited meanwhile) makes the commit refuse, and the merge runs again
        // on what is there now: nothing of the user's is overwritten with an older copy.
        for (let attempt = 1; ; attempt++) {
          const commits = store.commits;
          const previous = await previousImports(store);
          const own = await deps.identity.api.getIdentity();
          const now = await describe(store, open, previous, await classify(store, open, previous), own.signingKey);
          if (now.some((item, index) => item.status !== preview.items[index]?.status))
            throw new VaultError('invalid-input', 'The vault changed since the preview.', 'preview-stale');
          try {
            return await merge(store, importId, open, preview, resolutions, commits);
          } catch (error) {
            if (attempt < MERGE_ATTEMPTS && error instanceof VaultError && error.detail === 'stale') continue;
            throw error;
          }
        }
      } finally {
        open.committing = false;
      }
    },

    async cancelBundleImport(importId) {
      if (imports.get(importId)?.committing)
        throw new VaultError('invalid-input', 'The bundle is being imported and can no longer be cancelled.');
      await dropImport(importId);
    },

    async listReceivedBundles() {
      const { store } = session();
      return (await previousImports(store))
        .map((record) => {
          const verdict =
            record.custodyLog === null ? null : verifyCustodySegment(new TextEncoder().encode(record.custodyLog));
          return {
            bundleId: record.bundleId,
            importedAt: record.importedAt,
            createdAt: record.createdAt,
            signer: record.signer,
            items: Object.keys(record.items).length,
            custodyLog:
              verdict === null
                ? null
                : verdict.ok
                  ? { ok: true as const, entries: verdict.entries, redacted: verdict.redacted }
                  : { ok: false as const, reason: verdict.reason },
          };
        })
        .sort((a, b) => b.importedAt - a.importedAt);
    },

    async itemOrigin(itemId) {
      const { store } = session();
      if (typeof itemId !== 'string' || itemId.length > 200) throw new VaultError('invalid-input', 'Invalid item id.');
      // Only imports that wrote the item: one that found it already here, identical, did not bring it.
      const latest = (await previousImports(store))
        .filter((record) => record.taken !== undefined && Object.hasOwn(record.taken, itemId))
        .sort((a, b) => b.importedAt - a.importedAt)[0];
      if (!latest) return null;
      return {
        bundleId: latest.bundleId,
        importedAt: latest.importedAt,
        createdAt: latest.createdAt,
        signer: { name: latest.signer.name, status: latest.signer.status },
      };
    },
  };

  /**
   * The blob rows one merge changes, kept together so that two documents with
   * the same content, or one document moving to new content, update one row
   * each: refs are added and released here, and written once at the end.
   */
  function blobLedger(store: VaultStore) {
    const rows = new Map<string, { tag: string; info: ReturnType<typeof openBlobRow> }>();
    const byTag = new Map<string, string>();
    async function load(blobId: string) {
      let row = rows.get(blobId);
      if (!row) {
        const stored = await store.database.blobs.get(blobId);
        if (!stored || stored.tag === '') return undefined;
        row = { tag: stored.tag, info: openBlobRow(store.recordsKey, stored) };
        rows.set(blobId, row);
      }
      return row;
    }
    return {
      /** Points `documentId` at content with this staged blob's hash: an existing blob if the vault has one. */
      async place(
        blob: { blobId: string; sha256: string; info: Omit<ReturnType<typeof openBlobRow>, 'refs'> },
        documentId: string,
      ) {
        const tag = contentTag(store.blindIndexKey, blob.sha256);
        let blobId = byTag.get(tag);
        if (!blobId) {
          const existing = await store.database.blobs.where('tag').equals(tag).first();
          blobId = existing?.id ?? blob.blobId;
          if (!existing) rows.set(blobId, { tag, info: { ...blob.info, refs: [] } });
          byTag.set(tag, blobId);
        }
        const row = await load(blobId);
        if (row && !row.info.refs.includes(documentId)) row.info.refs.push(documentId);
        return blobId;
      },
      /** `documentId` no longer uses this blob (it took other content). */
      async release(blobId: string, documentId: string) {
        const row = await load(blobId);
        if (row) row.info.refs = row.info.refs.filter((ref) => ref !== documentId);
      },
      /** The rows to write, the blobs no document uses any more, and which staged blobs were taken. */
      finish(staged: readonly string[]) {
        const putBlobs = [...rows]
          .filter(([, row]) => row.info.refs.length > 0)
          .map(([blobId, row]) => sealBlobRow(store.recordsKey, blobId, row.tag, row.info));
        const kept = new Set(putBlobs.map((row) => row.id));
        const deleteBlobs = [
          ...[...rows].filter(([, row]) => row.info.refs.length === 0).map(([blobId]) => blobId),
          ...staged.filter((blobId) => !kept.has(blobId) && !rows.has(blobId)),
        ];
        return { putBlobs, deleteBlobs };
      },
    };
  }

  /** The merge itself: one commit with everything taken, or nothing. */
  async function merge(
    store: VaultStore,
    importId: string,
    open: OpenImport,
    preview: BundleImportPreview,
    resolutions: Record<string, ImportResolution>,
    /** store.commits when the merge began reading: the commit is refused if anything changed since. */
    commits: number,
  ): Promise<BundleImportResult> {
    const decision = new Map<string, ImportResolution | 'skip'>();
    for (const item of preview.items)
      decision.set(
        item.id,
        item.status === 'same' ? 'skip' : item.status === 'conflict' ? resolutions[item.id]! : 'theirs',
      );
    const taken = preview.items.filter(
      (item) => decision.get(item.id) === 'theirs' || decision.get(item.id) === 'both',
    );
    if (taken.length === 0) {
      // Nothing new (the same bundle again, or every conflict kept as mine): nothing is written.
      await dropImport(importId);
      return { added: 0, updated: 0, kept: preview.items.length, bundleId: preview.bundleId };
    }

    const change: Required<Pick<VaultChange, 'put' | 'delete' | 'putBlobs' | 'deleteBlobs'>> = {
      put: [],
      delete: [],
      putBlobs: [],
      deleteBlobs: [],
    };
    const log: CustodyEntryInput[] = [];
    const newCases = new Set<string>();
    const annotationsByCase = new Map<string, z.infer<typeof annotationRecordSchema>[]>();
    const takenIds: Record<string, string> = {};
    const takenHere: Record<string, string> = {};
    const blobs = blobLedger(store);
    // Cases first: a new case needs its key before anything of it is sealed.
    const ordered = [...taken].sort((a, b) => (a.type === 'case' ? -1 : 0) - (b.type === 'case' ? -1 : 0));
    for (const item of ordered) {
      const staged = open.records.get(item.id)!;
      const both = decision.get(item.id) === 'both';
      const value = { ...(staged.value as Record<string, unknown>) };
      if (both && 'id' in value) value.id = randomId();
      const caseId = staged.caseId;
      if (staged.type === 'case') {
        if (item.status === 'new') {
          change.put.push(store.newCaseKey(caseId));
          newCases.add(caseId);
        }
        change.put.push(await store.seal('case', caseId, caseId, value as RecordOf<'case'>));
      } else if (staged.type === 'document') {
        const documentId = String(value.id);
        const blob = open.staged.get(documentId);
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
          type = sniffType(blob.head, String(value.name));
        }
        change.put.push(
          await store.seal('document', caseId, documentId, { ...value, ...type, blobId } as RecordOf<'document'>),
        );
      } else if (staged.type === 'document-text') {
        const { documentId, text } = staged.value as { documentId: string; text: unknown };
        change.put.push(
          await store.seal('document-text', caseId, textRowId(store, documentId), text as RecordOf<'document-text'>),
        );
      } else if (staged.type === 'annotation') {
        const list = annotationsByCase.get(caseId) ?? [];
        list.push(value as z.infer<typeof annotationRecordSchema>);
        annotationsByCase.set(caseId, list);
      } else {
        // Records stored as they travel (hearings, timeline events): the registry names their kind.
        change.put.push(
          await store.seal(recordKindOf(staged.type), caseId, String(value.id), value as RecordOf<CaseRecordKind>),
        );
      }
      takenIds[item.id] = staged.sha256;
      const localId = staged.type === 'document-text' ? (value as { documentId: string }).documentId : String(value.id);
      takenHere[`${staged.type}:${localId}`] = item.id;
      log.push({
        action: 'imported',
        targetKind: custodyTargetOf(recordKindOf(staged.type)),
        targetId:
          staged.type === 'document-text' ? (staged.value as { documentId: string }).documentId : String(value.id),
        caseId,
        contentHashes: [staged.sha256],
      });
    }
    for (const [caseId, records] of annotationsByCase) {
      const arriving = new Set(
        taken
          .filter((item) => item.type === 'document' && item.caseId === caseId)
          .map((item) => item.id.slice('document:'.length)),
      );
      const placed = await deps.annotations.placeRecords(caseId, records, arriving);
      change.put.push(...(placed.put ?? []));
      change.delete.push(...(placed.delete ?? []));
    }
    // Blob refs settled once; staged bytes no record took (a document kept as mine) go with the commit.
    const settled = blobs.finish([...open.staged.values()].map((staged) => staged.blobId));
    change.putBlobs.push(...settled.putBlobs);
    change.deleteBlobs.push(...settled.deleteBlobs);

    // What the import took, one receipt per case it touched, sealed with that case's key: deleting the case
    // deletes its part (item ids and hashes, the sender's entries about it, the signer if no other case names
    // them). previousImports merges them back into one record per bundle.
    const itemCase = (itemId: string) => open.records.get(itemId)!.caseId;
    const items: Record<string, string> = {
      ...Object.fromEntries(
        preview.items
          .filter((item) => item.status === 'same')
          .map((item) => [item.id, open.records.get(item.id)!.sha256]),
      ),
      ...takenIds,
    };
    const custodyText = open.custodyLog ? new TextDecoder().decode(open.custodyLog) : null;
    const importedAt = Date.now();
    const touched = [...new Set([...open.records.values()].map((staged) => staged.caseId))];
    for (const caseId of touched) {
      const receiptId = store.blind(`bundle-receipt:${preview.bundleId}:${caseId}`);
      // The same bundle opened again (something of it was deleted here meanwhile) adds to its receipt: what
      // the first import created and took stays credited to its signer.
      const earlier = bundleImportSchema.safeParse(
        await store.find('bundle-receipt', caseId, receiptId).catch(absentIfNotFound),
      );
      const before = earlier.success ? earlier.data : null;
      const receipt: BundleImportRecord = {
        bundleId: preview.bundleId,
        importedAt: before?.importedAt ?? importedAt,
        signer: { name: preview.signer.name, signingKey: preview.signer.signingKey, status: preview.signer.status },
        headerHash: open.manifest!.headerHash,
        createdAt: preview.createdAt,
        items: {
          ...before?.items,
          ...Object.fromEntries(Object.entries(items).filter(([itemId]) => itemCase(itemId) === caseId)),
        },
        taken: {
          ...before?.taken,
          ...Object.fromEntries(Object.entries(takenHere).filter(([, itemId]) => itemCase(itemId) === caseId)),
        },
        custodyLog: custodyText === null ? null : segmentFor(custodyText, new Set([caseId])),
        created: [...new Set([...(before?.created ?? []), ...(newCases.has(caseId) ? [caseId] : [])])],
      };
      change.put.push(await store.seal('bundle-receipt', caseId, receiptId, receipt));
    }
    // The bundle's own entry, once per case (like an export's): sealed with each case's details.
    log.unshift(
      ...touched.map((caseId) => ({
        action: 'imported' as const,
        targetKind: 'bundle' as const,
        targetId: preview.bundleId,
        caseId,
        contentHashes: [open.manifest!.headerHash],
      })),
    );
    await store.commit({ ...change, log, unlessChangedSince: commits });
    open.staged.clear();
    await dropImport(importId);
    const added = taken.filter((item) => item.status === 'new' || decision.get(item.id) === 'both').length;
    return {
      added,
      updated: taken.length - added,
      kept: preview.items.length - taken.length,
      bundleId: preview.bundleId,
      newCases: [...newCases],
    } satisfies BundleImportResult;
  }

  /** Ends an export: a piece still being made stops at its next step; the document key and stream it holds are wiped. */
  async function closeExport(open: OpenExport): Promise<void> {
    open.cancelled = true;
    await open.queue;
    open.reading?.close();
    open.reading = null;
    open.writer.close();
  }

  /** On lock: every open export and import ends, staged bytes removed. */
  async function dropAll(): Promise<void> {
    const open = [...exports.values()];
    exports.clear();
    await Promise.all(open.map(closeExport));
    await Promise.allSettled([...imports.keys()].map((id) => dropImport(id)));
  }

  /**
   * At unlock: import records written before per-case receipts that still
   * name cases deleted by an earlier version lose those cases' parts now
   * (what forgetCase does at deletion). One commit, or none.
   */
  async function forgetDeletedCases(store: VaultStore): Promise<void> {
    const named = new Set<string>();
    for (const { value } of await store.list('bundle-import', null)) {
      const parsed = bundleImportSchema.safeParse(value);
      if (!parsed.success) continue;
      for (const key of [...Object.keys(parsed.data.items), ...Object.keys(parsed.data.taken ?? {})])
        if (key.startsWith('case:')) named.add(key.slice('case:'.length));
      for (const caseId of parsed.data.created ?? []) named.add(caseId);
    }
    const change: Required<Pick<VaultChange, 'put' | 'delete'>> = { put: [], delete: [] };
    for (const caseId of named) {
      if ((await store.find('case', caseId, caseId).catch(() => undefined)) !== undefined) continue;
      const forgotten = await forgetCase(store, caseId);
      // Later cases of the same record see what the earlier ones left.
      const puts = new Map(change.put.map((row) => [row.id, row]));
      for (const row of forgotten.put) puts.set(row.id, row);
      change.put = [...puts.values()];
      change.delete.push(...forgotten.delete);
    }
    const deleted = new Set(change.delete.map((ref) => ref.id));
    change.put = change.put.filter((row) => !deleted.has(row.id));
    if (change.put.length + change.delete.length > 0) await store.commit(change);
  }

  return { api, dropAll, forgetCase, forgetDeletedCases };
}
