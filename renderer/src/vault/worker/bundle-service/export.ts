import { transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import type {
  BundleExportRequest,
  BundleNamedItem,
  BundleSendContents,
  HearingRecord,
  VaultWorkerApi,
} from '../../api';
import type { AnnotationRecord, CaseRecord, DocumentRecord } from '../../model';
import type { TimelineEventRecord } from '../../timeline-model';
import { z } from '../../zod';
import {
  BundleWriter,
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  SIGNATURE_BYTES,
  concat,
  custodySegment,
  headerBytesFor,
} from '../bundle';
import { VaultError } from '../crypto/errors';
import { randomId } from '../crypto/keys';
import type { DocumentChunks } from '../documents-service';
import { BUNDLE_KINDS, TRAVELLING_KINDS, type SendContext } from '../record-kinds-bundle';
import type { VaultStore } from '../vault-store';
import { recordBytes, sha256Hex, type BundleServices, type ExportItem } from './common';
import { hearingWithholdsAnyone, sensitivePeople, withholdsAnyone } from './withholding';

/** Ciphertext handed to the UI per call: large enough to keep RPC overhead small, small enough to stay flat. */
const EXPORT_PIECE_BYTES = 1024 * 1024;

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

const exportRequestSchema = z.strictObject({
  cases: z
    .array(
      z.strictObject({
        caseId: z.string().regex(/^[0-9a-f]{32}$/),
        documentIds: z.union([z.literal('all'), z.array(z.string().regex(/^[0-9a-f]{32}$/)).max(100_000)]),
        annotations: z.boolean(),
        hearings: z.boolean(),
        timeline: z.boolean(),
        sendSensitive: z.array(z.string().min(1).max(64)).max(500).optional(),
      }),
    )
    .min(1)
    .max(1000),
  recipients: z.array(z.string().max(64)).max(31),
  includeSelf: z.boolean(),
  includeCustodyLog: z.boolean(),
});

/**
 * A bundle's size to within a few hundred bytes per item (the manifest's
 * JSON): header, manifest, signature, payload, and each chunk's overhead.
 */
function approximateBundleBytes(payload: number, items: number, recipients: number): number {
  const plain = payload + 4 + 512 + items * 200 + SIGNATURE_BYTES;
  return headerBytesFor(recipients) + plain + Math.ceil(plain / CHUNK_BYTES) * CHUNK_OVERHEAD;
}

const payloadOf = (items: readonly ExportItem[]) => items.reduce((sum, item) => sum + item.manifest.size, 0);

/** A record item: the value as canonical JSON, hashed. */
function recordItem(type: ExportItem['manifest']['type'], id: string, value: unknown): ExportItem {
  const bytes = recordBytes(value);
  return { manifest: { id: `${type}:${id}`, type, size: bytes.byteLength, sha256: sha256Hex(bytes) }, bytes, value };
}

/** A string as it appears inside the bundle's canonical JSON, lower-cased for a search. */
const asInJson = (text: string) => JSON.stringify(text.trim()).slice(1, -1).toLowerCase();

/** The case an outgoing record item belongs to, and what the send form calls it. */
function namedItem(
  item: ExportItem,
  documents: ReadonlyMap<string, { name: string; caseId: string }>,
): { caseId: string | undefined; named: BundleNamedItem } | null {
  const { type } = item.manifest;
  const id = item.manifest.id.slice(item.manifest.id.indexOf(':') + 1);
  const value = item.value as Record<string, unknown>;
  switch (type) {
    case 'case':
      return { caseId: id, named: { type, id, label: String(value.title) } };
    case 'document':
      return { caseId: String(value.caseId), named: { type, id, label: String(value.name) } };
    case 'document-text':
    case 'annotation': {
      const document = documents.get(String(value.documentId));
      const caseId = type === 'annotation' ? String(value.caseId) : document?.caseId;
      return { caseId, named: { type, id, label: document?.name ?? String(value.documentId) } };
    }
    case 'hearing':
      return {
        caseId: String(value.caseId),
        named: { type, id, label: (item.value as HearingRecord).hearing.value.date },
      };
    case 'timeline-event':
      return { caseId: String(value.caseId), named: { type, id, label: String(value.date) } };
    default:
      return null;
  }
}

/**
 * What the items of an export are, named for the sender: each case's title, documents with sizes and
 * annotations, hearings with dates, and its sensitive people and defendants (read from this vault's copy; what
 * travels of them is in the case and hearing items). For each withheld person, the outgoing items of the case
 * whose text still holds their name or notes (a timeline event "concerning" them, a hearing's free text).
 */
async function contentsOf(
  store: VaultStore,
  services: BundleServices,
  request: BundleExportRequest,
  items: readonly ExportItem[],
): Promise<BundleSendContents> {
  const cases = new Map<string, BundleSendContents['cases'][number]>();
  const needles = new Map<string, Map<string, string[]>>();
  const sentHearings = new Set(
    items.filter((item) => item.manifest.type === 'hearing').map((item) => (item.value as HearingRecord).id),
  );
  for (const selection of request.cases) {
    const record = await store.find('case', selection.caseId, selection.caseId);
    if (!record) throw new VaultError('not-found', 'A chosen case does not exist.');
    const hearings = (await services.hearings.listHearings(selection.caseId)).filter((hearing) =>
      sentHearings.has(hearing.id),
    );
    const sensitive = sensitivePeople(record, hearings, selection.sendSensitive ?? []);
    needles.set(
      selection.caseId,
      new Map(
        sensitive
          .filter((person) => person.withheld)
          .map((person) => [person.id, person.needles.filter((text) => text.trim() !== '').map(asInJson)]),
      ),
    );
    cases.set(selection.caseId, {
      caseId: selection.caseId,
      title: record.title,
      documents: [],
      hearings: [],
      timelineEvents: 0,
      sensitive: sensitive.map(({ needles: _searched, ...person }) => ({ ...person, namedIn: [] })),
    });
  }
  // Every outgoing record searched for every withheld person of its case: whatever still names them.
  const outgoing = new Map(
    items
      .filter((item) => item.manifest.type === 'document')
      .map((item) => {
        const document = item.value as DocumentRecord;
        return [document.id, { name: document.name, caseId: document.caseId }];
      }),
  );
  const decoder = new TextDecoder();
  for (const item of items) {
    const found = item.bytes && namedItem(item, outgoing);
    if (!found || found.caseId === undefined) continue;
    const searched = needles.get(found.caseId);
    const entry = cases.get(found.caseId);
    if (!searched || searched.size === 0 || !entry) continue;
    const text = decoder.decode(item.bytes).toLowerCase();
    for (const person of entry.sensitive)
      if (searched.get(person.id)?.some((needle) => text.includes(needle))) person.namedIn.push(found.named);
  }
  const documents = new Map<string, BundleSendContents['cases'][number]['documents'][number]>();
  for (const item of items) {
    const { type } = item.manifest;
    if (type === 'document') {
      const document = item.value as Omit<DocumentRecord, 'blobId'>;
      const entry = { id: document.id, name: document.name, size: document.size, annotations: 0 };
      documents.set(document.id, entry);
      cases.get(document.caseId)?.documents.push(entry);
    } else if (type === 'annotation') {
      const found = documents.get((item.value as AnnotationRecord).documentId);
      if (found) found.annotations += 1;
    } else if (type === 'hearing') {
      const hearing = item.value as HearingRecord;
      cases.get(hearing.caseId)?.hearings.push({ id: hearing.id, date: hearing.hearing.value.date });
    } else if (type === 'timeline-event') {
      const entry = cases.get((item.value as TimelineEventRecord).caseId);
      if (entry) entry.timelineEvents += 1;
    }
  }
  return { cases: [...cases.values()] };
}

/**
 * Sending bundles: the chosen cases streamed through a BundleWriter a piece
 * at a time, each case's records as the registry's kinds send them
 * (record-kinds-bundle.ts), document bytes read from the vault as they are
 * written.
 */
export function createExports(services: BundleServices) {
  const { session } = services;
  const exports = new Map<string, OpenExport>();

  async function exportItems(store: VaultStore, request: BundleExportRequest): Promise<ExportItem[]> {
    const items: ExportItem[] = [];
    for (const selection of request.cases) {
      let chosen: Promise<DocumentRecord[]> | undefined;
      const context: SendContext = {
        store,
        services,
        selection,
        documents: () =>
          (chosen ??= services.documents
            .listDocuments(selection.caseId)
            .then((documents) =>
              documents.filter(
                (document) => selection.documentIds === 'all' || selection.documentIds.includes(document.id),
              ),
            )),
        record: recordItem,
      };
      for (const kind of TRAVELLING_KINDS) items.push(...((await BUNDLE_KINDS[kind].send?.(context)) ?? []));
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
      // A case or hearing that withholds someone: entries naming a hash of a whole copy of it (an earlier
      // import's) are reduced to their links, so nobody can test guessed names against that hash.
      const withholding = new Set(
        items
          .filter((item) => item.manifest.type === 'case' && withholdsAnyone(item.value as CaseRecord))
          .map((item) => (item.value as CaseRecord).id),
      );
      const withholdingHearings = new Set(
        items
          .filter((item) => item.manifest.type === 'hearing' && hearingWithholdsAnyone(item.value as HearingRecord))
          .map((item) => (item.value as HearingRecord).id),
      );
      const hashOfWithheld = (entry: { targetKind: string; targetId: string; caseId?: string }) =>
        (entry.targetKind === 'case' && withholding.has(entry.caseId ?? '')) ||
        (entry.targetKind === 'hearing' && withholdingHearings.has(entry.targetId));
      const segment = custodySegment(
        entries,
        head,
        (entry) =>
          entry.caseId !== undefined &&
          cases.has(entry.caseId) &&
          entry.targetKind !== 'bundle' &&
          !(hashOfWithheld(entry) && (entry.contentHashes?.length ?? 0) > 0) &&
          (entry.targetKind === 'case' || sent.has(entry.targetId)),
      );
      items.push(recordItem('custody-log', 'sender', segment));
    }
    return items;
  }

  function parseRequest(input: unknown): BundleExportRequest {
    const parsed = exportRequestSchema.safeParse(input);
    if (!parsed.success) throw new VaultError('invalid-input', 'Invalid bundle request.');
    return parsed.data;
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
          open.reading ??= await services.documents.openChunks(item.document.caseId, item.document.documentId);
          const plain = await open.reading.read(index);
          // Cancelled or locked while this chunk was read: its key is wiped by closeExport, nothing more is made.
          if (open.cancelled) {
            plain.fill(0);
            throw new VaultError('not-found', 'This export is no longer open.');
          }
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

  /** Ends an export: a piece still being made stops at its next step; the document key and stream it holds are wiped. */
  async function closeExport(open: OpenExport): Promise<void> {
    open.cancelled = true;
    await open.queue;
    open.reading?.close();
    open.reading = null;
    open.writer.close();
  }

  const api: Pick<
    VaultWorkerApi,
    'estimateBundleExport' | 'beginBundleExport' | 'readBundleExport' | 'finishBundleExport' | 'cancelBundleExport'
  > = {
    async estimateBundleExport(requestInput) {
      const { store } = session();
      const request = parseRequest(requestInput);
      const items = await exportItems(store, request);
      const recipients = request.recipients.length + (request.includeSelf ? 1 : 0);
      return {
        items: items.length,
        bytes: approximateBundleBytes(payloadOf(items), items.length, recipients),
        contents: await contentsOf(store, services, request, items),
      };
    },

    async beginBundleExport(requestInput) {
      const { store } = session();
      const request = parseRequest(requestInput);
      const contacts = await services.identity.contacts();
      const recipients = request.recipients.map((id) => {
        const contact = contacts.find((entry) => entry.id === id);
        if (!contact) throw new VaultError('not-found', 'A chosen recipient is no longer a contact.');
        return sodium.from_hex(contact.encryptionKey);
      });
      const keys = await services.identity.identityKeys(store);
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
        return {
          exportId,
          bundleId: writer.manifest.bundleId,
          items: items.length,
          approximateBytes: approximateBundleBytes(payloadOf(items), items.length, recipients.length),
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
  };

  /** On lock: every open export ends. */
  async function closeAll(): Promise<void> {
    const open = [...exports.values()];
    exports.clear();
    await Promise.all(open.map(closeExport));
  }

  return { api, closeAll };
}
