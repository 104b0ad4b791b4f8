import { transfer } from 'comlink';
import { MAX_WHOLE_DOCUMENT_BYTES, type CustodyTargetKind, type VaultWorkerApi } from '../api';
import { documentPasswordSchema, documentTextSchema, provenanceSchema, type DocumentRecord } from '../model';
import {
  Intake,
  blobShape,
  chunkId,
  contentTag,
  openBlobRow,
  sealBlobRow,
  wipeBlobKey,
  type BlobInfo,
} from './blob-store';
import { CHUNK_SIZE, openChunk, type CipherPool } from './cipher-pool';
import { inlineSha256, type Sha256StreamFactory } from './content-hash';
import { VaultError } from './crypto/errors';
import { newSha256 } from './crypto/sha256';
import { randomId } from './crypto/keys';
import { sniffType } from './sniff';
import type { BlobRow } from './storage/database';
import type { VaultChange, VaultStore } from './vault-store';
import { rowNames } from './row-ids';
import { draftNames } from '../draft-names';
import { draftRefs } from './drafts';

type DocumentApi = Pick<
  VaultWorkerApi,
  | 'beginIntake'
  | 'intakeChunk'
  | 'finishIntake'
  | 'cancelIntake'
  | 'listDocuments'
  | 'listAllDocuments'
  | 'readDocumentChunk'
  | 'readDocument'
  | 'verifyDocument'
  | 'deleteDocument'
  | 'updateProvenance'
  | 'saveDocumentText'
  | 'getDocumentText'
  | 'sniffDocument'
  | 'rememberDocumentPassword'
  | 'rememberedDocumentPassword'
  | 'hasRememberedDocumentPassword'
  | 'forgetDocumentPassword'
>;

interface OpenIntake {
  intake: Intake;
  caseId: string;
  name: string;
}

/** Largest file the vault takes in one document (the chunk index space is far larger). */
export const MAX_DOCUMENT_BYTES = 64 * 1024 ** 3;
const MAX_NAME_LENGTH = 1024;
/** Document chunks a long read fetches ahead of the one it uses (1 MiB each). */
const READ_AHEAD_CHUNKS = 4;

/** Chunks of one document, opened for reading in order; close wipes the key. */
export interface DocumentChunks {
  count: number;
  read(index: number): Promise<Uint8Array>;
  close(): void;
}

/** The extracted text's row id: derived from the document's, unlinkable without the key. */
export function textRowId(store: VaultStore, documentId: string): string {
  return store.blind(rowNames.documentText(documentId));
}

/** A remembered PDF password's row id: derived from the document's, as its text's is. */
export function passwordRowId(store: VaultStore, documentId: string): string {
  return store.blind(rowNames.documentPassword(documentId));
}

/**
 * Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF), checked
 * without decoding them: a remembered password never becomes a string in the vault worker.
 */
export function isWellFormedUtf8(bytes: Uint8Array): boolean {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0 || at + length > bytes.length) return false;
    for (let next = at + 1; next < at + length; next++) if ((bytes[next]! & 0xc0) !== 0x80) return false;
    const second = bytes[at + 1] ?? 0;
    if (lead === 0xe0 && second < 0xa0) return false; // overlong
    if (lead === 0xed && second > 0x9f) return false; // a UTF-16 surrogate
    if (lead === 0xf0 && second < 0x90) return false; // overlong
    if (lead === 0xf4 && second > 0x8f) return false; // past U+10FFFF
    at += length;
  }
  return true;
}

/** How much of a document's start is read to tell its type (sniff.ts needs far less). */
const SNIFF_BYTES = 4096;

/**
 * Source documents: intake in chunks, dedupe by a keyed hash of the
 * content, reading and verifying, deletion that drops the content when no
 * document points at it any more.
 */
export function createDocumentService(
  session: () => { store: VaultStore; actor: string },
  cipher: CipherPool,
  sha256Stream: Sha256StreamFactory = inlineSha256,
  /** Records that hang off a document (annotations) and go with it. */
  dependentsOf: (
    caseId: string,
    documentId: string,
  ) => Promise<{ rowIds: string[]; logged: { targetKind: CustodyTargetKind; targetId: string }[] }> = () =>
    Promise.resolve({ rowIds: [], logged: [] }),
) {
  const intakes = new Map<string, OpenIntake>();

  function openIntake(intakeId: string): OpenIntake {
    const open = intakes.get(intakeId);
    if (!open) throw new VaultError('not-found', 'This file intake was cancelled or has expired.');
    return open;
  }

  const loadDocument = (store: VaultStore, caseId: string, documentId: string): Promise<DocumentRecord> =>
    store.read('document', caseId, documentId);

  async function loadBlob(store: VaultStore, blobId: string): Promise<{ row: BlobRow; info: BlobInfo }> {
    const row = await store.database.blobs.get(blobId);
    if (!row || row.tag === '') throw new VaultError('not-found', 'The content of this document is missing.');
    return { row, info: openBlobRow(store.recordsKey, row) };
  }

  /** The blob rows to write or delete so that `documents` no longer point at their content. */
  async function releaseContent(store: VaultStore, documents: DocumentRecord[]): Promise<VaultChange> {
    const byBlob = new Map<string, Set<string>>();
    for (const document of documents) {
      const ids = byBlob.get(document.blobId) ?? new Set<string>();
      ids.add(document.id);
      byBlob.set(document.blobId, ids);
    }
    const putBlobs: BlobRow[] = [];
    const deleteBlobs: string[] = [];
    for (const [blobId, released] of byBlob) {
      const { row, info } = await loadBlob(store, blobId).catch(() => ({ row: undefined, info: undefined }));
      if (!row || !info) continue;
      try {
        const refs = info.refs.filter((ref) => !released.has(ref));
        if (refs.length === 0) deleteBlobs.push(blobId);
        else putBlobs.push(sealBlobRow(store.recordsKey, blobId, row.tag, { ...info, refs }));
      } finally {
        wipeBlobKey(info);
      }
    }
    return { putBlobs, deleteBlobs };
  }

  const api: DocumentApi & {
    releaseCaseContent(caseId: string): Promise<VaultChange>;
    dropIntakes(): Promise<void>;
    openChunks(caseId: string, documentId: string): Promise<DocumentChunks>;
  } = {
    /** A document's chunks for a long read (a bundle export): records and key opened once, not per chunk. */
    async openChunks(caseId, documentId) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      const { info } = await loadBlob(store, document.blobId);
      const key = info.key; // wiped at close; each job under way has its own copy
      const shape = blobShape(document.blobId, info);
      const fetch = (index: number) => {
        const plain = store.database.chunks.get(chunkId(document.blobId, index)).then(async (row) => {
          if (!row) throw new VaultError('record-tampered', 'A part of this document is missing from the vault.');
          const [opened] = await cipher.openChunks(key, shape, [{ index, env: row.env }]);
          return opened!;
        });
        plain.catch(() => undefined); // awaited by the read that wants it; not unhandled meanwhile
        return plain;
      };
      // Reads are sequential: the next chunks are fetched and opened in the cipher pool while this one is
      // used here (sealed into the bundle), so reading, opening and sealing run on different cores.
      const ahead = new Map<number, Promise<Uint8Array>>();
      return {
        count: info.chunkCount,
        async read(index) {
          if (key.every((byte) => byte === 0)) throw new VaultError('locked', 'The document was closed.');
          const fetching = ahead.get(index) ?? fetch(index);
          ahead.delete(index);
          for (let next = index + 1; next <= Math.min(index + READ_AHEAD_CHUNKS, info.chunkCount - 1); next++)
            if (!ahead.has(next)) ahead.set(next, fetch(next));
          return fetching;
        },
        close: () => {
          // Chunks opened ahead and never read are wiped as they arrive.
          for (const plain of ahead.values())
            void plain.then(
              (bytes) => bytes.fill(0),
              () => undefined,
            );
          ahead.clear();
          key.fill(0);
        },
      };
    },

    async beginIntake(caseId, name, size) {
      const { store } = session();
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH)
        throw new VaultError('invalid-input', 'The file name is missing or too long.');
      if (!Number.isSafeInteger(size) || size < 0 || size > MAX_DOCUMENT_BYTES)
        throw new VaultError('invalid-input', 'The file is larger than the vault accepts.');
      if ((await store.find('case', caseId, caseId)) === undefined)
        throw new VaultError('not-found', 'This case does not exist.');
      const intake = Intake.begin(store.database, store.recordsKey, size, sha256Stream(), cipher);
      const intakeId = randomId();
      intakes.set(intakeId, { intake, caseId, name });
      return intakeId;
    },

    async intakeChunk(intakeId, bytes) {
      session();
      if (!(bytes instanceof Uint8Array)) throw new VaultError('invalid-input', 'Expected bytes.');
      return openIntake(intakeId).intake.write(bytes);
    },

    async finishIntake(intakeId, provenanceInput) {
      const { store, actor } = session();
      const { intake, caseId, name } = openIntake(intakeId);
      const provenance = provenanceSchema.safeParse(provenanceInput);
      if (!provenance.success) throw new VaultError('invalid-input', 'Invalid provenance fields.');
      // The content key the intake hands back for the blob row: wiped once it is sealed (or the intake fails).
      let finished: { key: Uint8Array } | undefined;
      try {
        const { sha256, info } = await intake.finish();
        finished = info;
        const sniffed = sniffType(intake.head, name);
        const documentId = randomId();
        const tag = contentTag(store.blindIndexKey, sha256);
        const existing = await store.database.blobs.where('tag').equals(tag).first();
        const change: VaultChange = { putBlobs: [], deleteBlobs: [] };
        let blobId = intake.blobId;
        if (existing) {
          // Same content already stored: point at it, drop what this intake wrote.
          const existingInfo = openBlobRow(store.recordsKey, existing);
          blobId = existing.id;
          try {
            change.putBlobs!.push(
              sealBlobRow(store.recordsKey, existing.id, tag, {
                ...existingInfo,
                refs: [...existingInfo.refs, documentId],
              }),
            );
          } finally {
            wipeBlobKey(existingInfo);
          }
          change.deleteBlobs!.push(intake.blobId);
        } else {
          change.putBlobs!.push(sealBlobRow(store.recordsKey, intake.blobId, tag, { ...info, refs: [documentId] }));
        }
        const record: DocumentRecord = {
          id: documentId,
          caseId,
          blobId,
          name,
          size: info.size,
          mimeType: sniffed.mimeType,
          kind: sniffed.kind,
          sha256,
          intakeAt: Date.now(),
          intakeBy: actor,
          provenance: provenance.data,
        };
        await store.commit({
          ...change,
          put: [await store.seal('document', caseId, documentId, record)],
          log: [{ action: 'attached', targetKind: 'document', targetId: documentId, caseId, contentHashes: [sha256] }],
        });
        intake.wipe();
        intakes.delete(intakeId);
        return record;
      } catch (error) {
        intakes.delete(intakeId);
        await intake.discard();
        throw error;
      } finally {
        wipeBlobKey(finished);
      }
    },

    async cancelIntake(intakeId) {
      const open = intakes.get(intakeId);
      if (!open) return;
      intakes.delete(intakeId);
      await open.intake.discard();
    },

    async listDocuments(caseId) {
      const { store } = session();
      const records = await store.list('document', caseId);
      return records.map(({ value }) => value).sort((a, b) => a.intakeAt - b.intakeAt);
    },

    async listAllDocuments() {
      const { store } = session();
      // A record must sit under the case it names, or it was moved: the store reports it as damaged.
      const { entries, damaged } = await store.listEntries('document');
      const documents = entries.map(({ entry }) => entry);
      return { documents: documents.sort((a, b) => b.intakeAt - a.intakeAt), damaged };
    },

    async readDocumentChunk(caseId, documentId, index) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      const { info } = await loadBlob(store, document.blobId);
      try {
        if (!Number.isSafeInteger(index) || index < 0 || index >= info.chunkCount)
          throw new VaultError('invalid-input', 'No such part of the document.');
        const row = await store.database.chunks.get(chunkId(document.blobId, index));
        if (!row) throw new VaultError('record-tampered', 'A part of this document is missing from the vault.');
        return openChunk(info.key, blobShape(document.blobId, info), index, row.env);
      } finally {
        wipeBlobKey(info);
      }
    },

    async readDocument(caseId, documentId) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      if (document.size > MAX_WHOLE_DOCUMENT_BYTES)
        throw new VaultError('invalid-input', 'This document is too large to open whole.');
      const { info } = await loadBlob(store, document.blobId);
      const key = info.key;
      const bytes = new Uint8Array(info.size);
      try {
        for (let index = 0; index < info.chunkCount; index++) {
          const row = await store.database.chunks.get(chunkId(document.blobId, index));
          if (!row) throw new VaultError('record-tampered', 'A part of this document is missing from the vault.');
          bytes.set(openChunk(key, blobShape(document.blobId, info), index, row.env), index * CHUNK_SIZE);
        }
      } finally {
        key.fill(0);
      }
      // Moved, not copied, to the UI thread.
      return transfer(bytes, [bytes.buffer]);
    },

    async verifyDocument(caseId, documentId) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      const { info } = await loadBlob(store, document.blobId);
      const key = info.key;
      const hash = newSha256();
      try {
        for (let index = 0; index < info.chunkCount; index++) {
          const row = await store.database.chunks.get(chunkId(document.blobId, index));
          if (!row) {
            hash.close();
            return { ok: false, sha256: '' };
          }
          const plain = openChunk(key, blobShape(document.blobId, info), index, row.env);
          hash.updateBytes(plain);
          plain.fill(0);
        }
      } catch {
        hash.close();
        return { ok: false, sha256: '' };
      } finally {
        key.fill(0);
      }
      const sha256 = hash.hexDigest();
      return { ok: sha256 === document.sha256 && info.size === document.size, sha256 };
    },

    async updateProvenance(caseId, documentId, provenanceInput) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      const provenance = provenanceSchema.safeParse(provenanceInput);
      if (!provenance.success) throw new VaultError('invalid-input', 'Invalid provenance fields.');
      const updated = { ...document, provenance: provenance.data };
      await store.commit({
        put: [await store.seal('document', caseId, documentId, updated)],
        log: [{ action: 'edited', targetKind: 'document', targetId: documentId, caseId }],
      });
      return updated;
    },

    async saveDocumentText(caseId, documentId, textInput) {
      const { store } = session();
      await loadDocument(store, caseId, documentId);
      const text = documentTextSchema.safeParse(textInput);
      if (!text.success) throw new VaultError('invalid-input', 'Invalid extracted text.');
      await store.commit({
        put: [await store.seal('document-text', caseId, textRowId(store, documentId), text.data)],
      });
    },

    async getDocumentText(caseId, documentId) {
      const { store } = session();
      return (await store.find('document-text', caseId, textRowId(store, documentId))) ?? null;
    },

    async sniffDocument(caseId, documentId) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      if (document.size === 0) return { kind: document.kind, mimeType: document.mimeType };
      const { info } = await loadBlob(store, document.blobId);
      let first: Uint8Array | undefined;
      try {
        const row = await store.database.chunks.get(chunkId(document.blobId, 0));
        if (!row) throw new VaultError('record-tampered', 'A part of this document is missing from the vault.');
        first = openChunk(info.key, blobShape(document.blobId, info), 0, row.env);
        const { kind, mimeType } = sniffType(first.subarray(0, SNIFF_BYTES), document.name);
        return { kind, mimeType };
      } finally {
        first?.fill(0);
        wipeBlobKey(info);
      }
    },

    async rememberDocumentPassword(caseId, documentId, password) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      if (document.kind !== 'pdf') throw new VaultError('invalid-input', 'Only a PDF has a password to remember.');
      const value = { password };
      if (!documentPasswordSchema.safeParse(value).success)
        throw new VaultError('invalid-input', 'The password is empty or too long to remember.');
      if (!isWellFormedUtf8(password)) throw new VaultError('invalid-input', 'The password is not valid text.');
      await store.commit({
        put: [await store.seal('document-password', caseId, passwordRowId(store, documentId), value)],
      });
    },

    async rememberedDocumentPassword(caseId, documentId) {
      const { store } = session();
      await loadDocument(store, caseId, documentId);
      const remembered = await store.find('document-password', caseId, passwordRowId(store, documentId));
      if (!remembered) return null;
      // Moved, not copied, to the UI thread, which wipes it once pdf.js has it.
      return transfer(remembered.password, [remembered.password.buffer]);
    },

    async hasRememberedDocumentPassword(caseId, documentId) {
      const { store } = session();
      await loadDocument(store, caseId, documentId);
      const remembered = await store.find('document-password', caseId, passwordRowId(store, documentId));
      remembered?.password.fill(0);
      return remembered !== undefined;
    },

    async forgetDocumentPassword(caseId, documentId) {
      const { store } = session();
      await loadDocument(store, caseId, documentId);
      await store.commit({
        delete: [{ table: 'document-password', caseId, id: passwordRowId(store, documentId) }],
      });
    },

    async deleteDocument(caseId, documentId) {
      const { store } = session();
      const document = await loadDocument(store, caseId, documentId);
      const release = await releaseContent(store, [document]);
      const dependents = await dependentsOf(caseId, documentId);
      await store.commit({
        ...release,
        delete: [
          { table: 'document', caseId, id: documentId },
          { table: 'document-text', caseId, id: textRowId(store, documentId) },
          { table: 'document-password', caseId, id: passwordRowId(store, documentId) },
          ...dependents.rowIds.map((id) => ({ table: 'annotation-page' as const, caseId, id })),
          // The drafts typed for it (its provenance, its annotations' notes) go with it, not on as orphans.
          ...draftRefs(store, [
            draftNames.provenance(caseId, documentId),
            ...dependents.logged.flatMap((entry) =>
              entry.targetKind === 'annotation' ? [draftNames.annotation(caseId, entry.targetId)] : [],
            ),
          ]),
        ],
        log: [
          { action: 'deleted', targetKind: 'document', targetId: documentId, caseId },
          ...dependents.logged.map((entry) => ({ action: 'deleted' as const, ...entry, caseId })),
        ],
      });
    },

    /** For case deletion: the blob changes that go into the same commit. */
    async releaseCaseContent(caseId) {
      const { store } = session();
      const documents = (await store.list('document', caseId)).map(({ value }) => value);
      return releaseContent(store, documents);
    },

    /** At lock: every unfinished intake is discarded. */
    async dropIntakes() {
      const open = [...intakes.values()];
      intakes.clear();
      await Promise.allSettled(open.map(({ intake }) => intake.discard()));
    },
  };
  return api;
}

export { CHUNK_SIZE };
