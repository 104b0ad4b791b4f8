import sodium from 'libsodium-wrappers-sumo';
import type { BundleImportPreview, VaultWorkerApi } from '../../api';
import type { AnnotationRecord } from '../../model';
import { isBundleError, type BundleItemType, type BundleReader, type Manifest, type ManifestItem } from '../bundle';
import type { Intake } from '../blob-store';
import type { CipherPool } from '../cipher-pool';
import { canonicalJson } from '../canonical-json';
import { VaultError } from '../crypto/errors';
import type { DocumentChunks } from '../documents-service';
import type { createIdentityService } from '../identity-service';
import type { VaultChange, VaultStore } from '../vault-store';

/** What the bundle service works with: the session and the services that own each kind of record. */
export interface BundleServices {
  session: () => { store: VaultStore; actor: string };
  /** Seals the chunks of staged documents. */
  cipher: CipherPool;
  identity: ReturnType<typeof createIdentityService>;
  documents: Pick<VaultWorkerApi, 'getDocumentText' | 'listDocuments'> & {
    openChunks(caseId: string, documentId: string): Promise<DocumentChunks>;
  };
  annotations: {
    listAnnotations: VaultWorkerApi['listAnnotations'];
    placeRecords(
      caseId: string,
      records: readonly AnnotationRecord[],
      documentsArriving: ReadonlySet<string>,
    ): Promise<VaultChange>;
  };
  hearings: Pick<VaultWorkerApi, 'listHearings'>;
  timeline: Pick<VaultWorkerApi, 'listTimelineEvents'>;
}

/** Bundle item types that carry a record (not document bytes, not the sender's custody log). */
export type RecordItemType = Exclude<BundleItemType, 'document-bytes' | 'custody-log'>;

/** One item of an export being made. */
export interface ExportItem {
  manifest: ManifestItem;
  /** The bytes of a record item; document bytes are read from the vault as they are written. */
  bytes?: Uint8Array;
  /** The record as it travels (a record item): what the sender's summary names. */
  value?: unknown;
  document?: { caseId: string; documentId: string; chunks: number };
}

/** A record received, parsed as it travels, kept in memory until the merge. */
export interface StagedRecord {
  type: RecordItemType;
  value: unknown;
  /** SHA-256 of this vault's canonical encoding of the parsed record. */
  sha256: string;
  /** The case it belongs to (a document's text: its document's case). */
  caseId: string;
}

/** Document bytes received into encrypted staging (a pending blob), with their first bytes. */
export type StagedBytes = Awaited<ReturnType<Intake['finish']>> & { blobId: string; head: Uint8Array };

/** An import being read, previewed or merged. */
export interface OpenImport {
  reader: BundleReader;
  manifest: Manifest | null;
  /** Record items being received: their bytes so far. */
  pieces: Map<number, Uint8Array[]>;
  records: Map<string, StagedRecord>;
  recordBytes: number;
  /** Document bytes arrive into encrypted staging (pending blobs the unlock sweep removes if we crash). */
  intakes: Map<number, Intake>;
  /** Document bytes staged, by document id: the type is sniffed from their first bytes, never taken from the
   * sender. */
  staged: Map<string, StagedBytes>;
  /** Documents whose last bytes arrived, their intakes still sealing and writing; each leaves this set once it has
   * landed in `staged` or been discarded. */
  finishing: Set<Promise<void>>;
  /** The first failure of a document finishing in the background: the import stops at its next step. */
  failure: Error | null;
  /** The last step asked of this import (a piece, or the finish): the next runs after it (`inOrder`). */
  receiving: Promise<void>;
  /** Set when the import is dropped: documents still finishing then discard themselves. */
  closed: boolean;
  custodyLog: Uint8Array | null;
  preview: BundleImportPreview | null;
  wipeKeys: () => void;
  /** The database staging writes go to (kept here: at lock the session is already gone). */
  db: VaultStore['database'];
  /** Set while the merge commits: the import can then be neither cancelled nor committed again. */
  committing: boolean;
}

const encoder = new TextEncoder();

/** SHA-256 (hex) of some bytes. */
export const sha256Hex = (bytes: Uint8Array) => sodium.to_hex(sodium.crypto_hash_sha256(bytes));

/** A record's bytes as it travels: this vault's canonical JSON of it. */
export const recordBytes = (value: unknown) => encoder.encode(canonicalJson(value));

/** SHA-256 of a record as it travels: what tells the same record from a changed one. */
export const recordHash = (value: unknown) => sha256Hex(recordBytes(value));

/** Only "there is no such record" reads as absent; a damaged record or a lock must stop the import. */
export function absentIfNotFound(error: unknown): undefined {
  if (error instanceof VaultError && error.code === 'not-found') return undefined;
  throw error;
}

/** A bundle format error as the vault reports it (`bundle-refused`, with the format's reason). */
export function refused(error: unknown): never {
  if (isBundleError(error)) throw new VaultError('bundle-refused', error.message, error.code);
  throw error;
}
