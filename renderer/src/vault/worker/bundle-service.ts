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
import { Intake, contentTag, deleteChunksOf, openBlobRow, sealBlobRow } from './blob-store';
import type { Sha256Stream } from './content-hash';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { CustodyEntryInput } from './custody-log';
import { textRowId, type DocumentChunks } from './documents-service';
import { storedHearingSchema } from './hearings-service';
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

/** Ciphertext handed to the UI per call: large enough to keep RPC overhead small, small enough to stay flat. */
const EXPORT_PIECE_BYTES = 1024 * 1024;
/** Records (everything but document bytes) a bundle may bring, in total: the rest must be documents. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** How often a merge starts again when the vault changed while it was being prepared. */
const MERGE_ATTEMPTS = 3;
const MAX_RECORD_ITEM_BYTES = 64 * 1024 * 1024;

/** JSON with keys sorted at every level: the same record always hashes the same, whoever wrote it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

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
});
type BundleImportRecord = z.infer<typeof bundleImportSchema>;

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
  staged: Map<string, Awaited<ReturnType<Intake['finish']>> & { blobId: string }>;
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
    placeRecords(caseId: string, records: readonly z.infer<typeof annotationRecordSchema>[]): Promise<VaultChange>;
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
      const record = await store.readCaseRecord(selection.caseId, 'case', selection.caseId);
      const parsed = caseRecordSchema.safeParse(record);
      if (!parsed.success) throw new VaultError('not-found', 'A chosen case does not exist.');
      items.push(recordItem('case', selection.caseId, parsed.data));
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
    const items = await classify(store, open, previous);
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
    const history = new Map<string, { sha: string; signer: string }[]>();
    for (const entry of [...previous].sort((a, b) => a.importedAt - b.importedAt))
      for (const [id, sha] of Object.entries(entry.items)) {
        const list = history.get(id) ?? [];
        list.push({ sha, signer: entry.signer.signingKey });
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
      items.push({ id, type: staged.type, caseId: staged.caseId, label: labelOf(staged), status });
    }
    return items;
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
      const held = (await store.readCaseRecord(document.caseId, 'document', document.id).catch(absentIfNotFound)) as
        { sha256: string } | undefined;
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
    if (staged.type === 'case') mine = await store.readCaseRecord(value.id!, 'case', value.id!).catch(absentIfNotFound);
    else if (staged.type === 'document') {
      const stored = await store.readCaseRecord(value.caseId!, 'document', value.id!).catch(absentIfNotFound);
      if (stored) {
        const { blobId: _local, ...portable } = stored as { blobId: string };
        mine = portable;
      }
    } else if (staged.type === 'document-text') {
      const text = await store
        .readCaseRecord(staged.caseId, 'document-text', textRowId(store, value.documentId!))
        .catch(absentIfNotFound);
      mine = text === undefined ? undefined : { documentId: value.documentId, text };
    } else if (staged.type === 'annotation') {
      const all = await annotationsOf(value.caseId!);
      mine = all.find((annotation) => annotation.id === value.id);
    } else if (staged.type === 'hearing')
      mine = await store.readCaseRecord(value.caseId!, 'hearing', value.id!).catch(absentIfNotFound);
    else mine = await store.readCaseRecord(value.caseId!, 'timeline-event', value.id!).catch(absentIfNotFound);
    return mine === undefined ? null : sha256Hex(encoder.encode(canonicalJson(mine)));
  }

  async function previousImports(store: VaultStore): Promise<BundleImportRecord[]> {
    const rows = await store.listVaultRecords('bundle-import');
    return rows.flatMap(({ value }) => {
      const parsed = bundleImportSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
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
          open.staged.set(item.id.slice('document-bytes:'.length), { ...finished, blobId: intake.blobId });
        }
        continue;
      }
      if (event.kind === 'item-data') {
        if (item.size > MAX_RECORD_ITEM_BYTES || open.recordBytes + event.bytes.byteLength > MAX_RECORD_BYTES)
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
          const now = await classify(store, open, await previousImports(store));
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
        change.put.push(await store.sealCaseRecord(caseId, 'case', caseId, value));
      } else if (staged.type === 'document') {
        const documentId = String(value.id);
        const blob = open.staged.get(documentId);
        const existing =
          item.status === 'new'
            ? undefined
            : ((await store.readCaseRecord(caseId, 'document', documentId).catch(absentIfNotFound)) as
                { sha256: string; blobId: string } | undefined);
        let blobId: string;
        if (existing && existing.sha256 === value.sha256) blobId = existing.blobId;
        else {
          // Checked at preview: a document whose content is not here came with its bytes.
          if (!blob) throw new VaultError('bundle-refused', 'A document arrived without its bytes.', 'item-invalid');
          blobId = await blobs.place(blob, documentId);
          if (existing) await blobs.release(existing.blobId, documentId);
        }
        change.put.push(await store.sealCaseRecord(caseId, 'document', documentId, { ...value, blobId }));
      } else if (staged.type === 'document-text') {
        const { documentId, text } = staged.value as { documentId: string; text: unknown };
        change.put.push(await store.sealCaseRecord(caseId, 'document-text', textRowId(store, documentId), text));
      } else if (staged.type === 'annotation') {
        const list = annotationsByCase.get(caseId) ?? [];
        list.push(value as z.infer<typeof annotationRecordSchema>);
        annotationsByCase.set(caseId, list);
      } else {
        const table = staged.type === 'hearing' ? 'hearing' : 'timeline-event';
        change.put.push(await store.sealCaseRecord(caseId, table, String(value.id), value));
      }
      takenIds[item.id] = staged.sha256;
      const localId = staged.type === 'document-text' ? (value as { documentId: string }).documentId : String(value.id);
      takenHere[`${staged.type}:${localId}`] = item.id;
      log.push({
        action: 'imported',
        targetKind:
          staged.type === 'timeline-event' ? 'event' : staged.type === 'document-text' ? 'document' : staged.type,
        targetId:
          staged.type === 'document-text' ? (staged.value as { documentId: string }).documentId : String(value.id),
        caseId,
        contentHashes: [staged.sha256],
      });
    }
    for (const [caseId, records] of annotationsByCase) {
      const placed = await deps.annotations.placeRecords(caseId, records);
      change.put.push(...(placed.put ?? []));
      change.delete.push(...(placed.delete ?? []));
    }
    // Blob refs settled once; staged bytes no record took (a document kept as mine) go with the commit.
    const settled = blobs.finish([...open.staged.values()].map((staged) => staged.blobId));
    change.putBlobs.push(...settled.putBlobs);
    change.deleteBlobs.push(...settled.deleteBlobs);

    const record: BundleImportRecord = {
      bundleId: preview.bundleId,
      importedAt: Date.now(),
      signer: { name: preview.signer.name, signingKey: preview.signer.signingKey, status: preview.signer.status },
      headerHash: open.manifest!.headerHash,
      createdAt: preview.createdAt,
      items: {
        ...Object.fromEntries(
          preview.items
            .filter((item) => item.status === 'same')
            .map((item) => [item.id, open.records.get(item.id)!.sha256]),
        ),
        ...takenIds,
      },
      taken: takenHere,
      custodyLog: open.custodyLog ? new TextDecoder().decode(open.custodyLog) : null,
    };
    change.put.push(store.sealVaultRecord('bundle-import', store.blind(`bundle-import:${preview.bundleId}`), record));
    log.unshift({
      action: 'imported',
      targetKind: 'bundle',
      targetId: preview.bundleId,
      contentHashes: [open.manifest!.headerHash],
    });
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

  return { api, dropAll };
}
