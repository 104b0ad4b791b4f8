import sodium from 'libsodium-wrappers-sumo';
import type { VaultWorkerApi } from '../../api';
import { BundleReader, concat, type BundleEvent, type Manifest } from '../bundle';
import { Intake, deleteChunksOf, wipeBlobKey } from '../blob-store';
import type { Sha256Stream } from '../content-hash';
import { VaultError } from '../crypto/errors';
import { randomId } from '../crypto/keys';
import { bundleKindOf } from '../record-kinds-bundle';
import type { VaultStore } from '../vault-store';
import { recordHash, refused, type BundleServices, type OpenImport } from './common';

/** Records (everything but document bytes) a bundle may bring, in total: the rest must be documents. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** A failure kept to be thrown again, as an Error (anything else thrown becomes the vault's generic failure). */
const asError = (error: unknown): Error =>
  error instanceof Error ? error : new VaultError('engine-failed', 'The bundle could not be staged.');

/** Documents whose last chunks are still being sealed and written while the next is read (finishInBackground). */
const MAX_FINISHING = 4;
/** Largest single record a bundle may carry, checked against the manifest before anything is staged. */
const MAX_RECORD_ITEM_BYTES = 8 * 1024 * 1024;

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

/**
 * The SHA-256 of staged document bytes, without hashing them again: the
 * bundle reader hashes every item as it passes and refuses a mismatch
 * before the item ends, which is when the intake is finished.
 */
function verifiedHash(sha256: string): Sha256Stream {
  return { update: () => undefined, digest: () => Promise.resolve(sha256), dispose: () => undefined };
}

/**
 * Receiving a bundle: the file streamed through a BundleReader into staging,
 * records in memory (each checked by its kind's portable schema), document
 * bytes as pending encrypted blobs, until the preview and the merge.
 */
export function createImportStaging(services: BundleServices) {
  const { session } = services;
  const imports = new Map<string, OpenImport>();
  /**
   * Why each import that failed was dropped, until the lock: the reader has the next piece in the vault's hands
   * when one fails, and that piece must report the same failure (the bundle queue records the first it is told).
   */
  const failures = new Map<string, Error>();

  /** What a step of an import that is no longer open is told: why it failed, if it did. */
  function closedError(id: string): Error {
    return failures.get(id) ?? new VaultError('not-found', 'This import is no longer open.');
  }

  function openImport(id: string): OpenImport {
    const open = imports.get(id);
    if (!open) throw closedError(id);
    return open;
  }

  /** Ends an import: its keys wiped, staged bytes removed. */
  async function dropImport(id: string): Promise<void> {
    const open = imports.get(id);
    if (!open) return;
    imports.delete(id);
    open.closed = true;
    open.wipeKeys();
    open.reader.close();
    // Documents still finishing remove themselves now that the import is closed: wait until all have.
    while (open.finishing.size > 0) await Promise.allSettled([...open.finishing]);
    const intakes = [...open.intakes.values()];
    open.intakes.clear();
    await Promise.allSettled(intakes.map((intake) => intake.discard()));
    const staged = [...open.staged.values()];
    open.staged.clear();
    for (const { info } of staged) wipeBlobKey(info);
    await Promise.allSettled(
      staged.map(async ({ blobId }) => {
        await open.db.transaction('rw', open.db.blobs, open.db.chunks, async () => {
          await open.db.blobs.delete(blobId);
          await deleteChunksOf(open.db, blobId);
        });
      }),
    );
  }

  /** A record item received whole: parsed by its kind, checked to be what its id says, placed in its case. */
  function stageRecord(open: OpenImport, itemId: string, type: Parameters<typeof bundleKindOf>[0], bytes: Uint8Array) {
    const { spec } = bundleKindOf(type);
    let value: unknown;
    try {
      value = spec.portable.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    } catch {
      throw new VaultError('bundle-refused', 'An item in the bundle is not a valid record.', 'item-invalid');
    }
    if (itemId !== `${type}:${spec.key(value)}`)
      throw new VaultError('bundle-refused', 'An item in the bundle is mislabelled.', 'item-invalid');
    const caseId = spec.caseOf(value, (id) => open.records.get(id));
    // Compared in this vault's own encoding of the parsed record (the bytes' hash was checked by the reader):
    // a sender's key order or fields this version drops must not make the same record look changed.
    open.records.set(itemId, { type, value, sha256: recordHash(value), caseId });
  }

  /**
   * Finishes a document's intake (its last chunks sealed and written) while
   * the next document is read: on a bundle of many small documents, waiting
   * for each one's writes before reading on doubled the import's time. A few
   * at a time, so memory stays bounded. Each lands in `staged`, or is
   * discarded: if it failed (the failure then stops the import at its next
   * event, `handle`, or at the end, `settleFinishing`) or if the import was
   * closed meanwhile (`dropImport` waits for every one of them).
   */
  async function finishInBackground(open: OpenImport, intake: Intake, documentId: string): Promise<void> {
    const finishing: Promise<void> = intake
      .finish()
      .then(
        async (finished) => {
          if (!open.closed) {
            open.staged.set(documentId, { ...finished, blobId: intake.blobId, head: intake.head });
            return;
          }
          wipeBlobKey(finished.info);
          await intake.discard().catch(() => undefined); // what a failed removal leaves, the unlock sweep removes
        },
        async (error: unknown) => {
          open.failure ??= asError(error);
          // In neither `intakes` nor `staged`: nobody else would remove what it wrote. Its own failure (the
          // database closing at a lock) must not hide the one that stopped the document.
          await intake.discard().catch(() => undefined);
        },
      )
      .finally(() => open.finishing.delete(finishing));
    open.finishing.add(finishing);
    while (open.finishing.size > MAX_FINISHING) await Promise.race(open.finishing);
    if (open.failure !== null) throw open.failure;
  }

  /** Waits for every document still finishing: each staged, or the first failure thrown. */
  async function settleFinishing(open: OpenImport): Promise<void> {
    while (open.finishing.size > 0) await Promise.allSettled([...open.finishing]);
    if (open.failure !== null) throw open.failure;
    if (open.closed) throw new VaultError('locked', 'The import was closed.');
  }

  async function handle(store: VaultStore, open: OpenImport, events: BundleEvent[]): Promise<void> {
    for (const event of events) {
      // A lock or a cancel may have closed this import while the last write was under way.
      if (open.closed) throw new VaultError('locked', 'The import was closed.');
      // A document finishing in the background failed: nothing more is read.
      if (open.failure !== null) throw open.failure;
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
            intake = Intake.begin(
              store.database,
              store.recordsKey,
              item.size,
              verifiedHash(item.sha256),
              services.cipher,
            );
            open.intakes.set(event.index, intake);
          }
          await intake.write(event.bytes);
        } else {
          const intake =
            open.intakes.get(event.index) ??
            Intake.begin(store.database, store.recordsKey, 0, verifiedHash(item.sha256), services.cipher);
          open.intakes.delete(event.index);
          await finishInBackground(open, intake, item.id.slice('document-bytes:'.length));
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
      const bytes = concat(...(open.pieces.get(event.index) ?? []));
      open.pieces.delete(event.index);
      if (item.type === 'custody-log') open.custodyLog = bytes;
      else stageRecord(open, item.id, item.type, bytes);
    }
  }

  /** Feeds the reader's events for `bytes` (or, with null, its last ones) into staging. */
  async function receive(store: VaultStore, open: OpenImport, bytes: Uint8Array | null): Promise<void> {
    let events: BundleEvent[];
    try {
      events = bytes === null ? open.reader.finish() : open.reader.push(bytes);
    } catch (error) {
      refused(error);
    }
    await handle(store, open, events);
    // The preview follows the last bytes: every document must be staged by then.
    if (bytes === null) await settleFinishing(open);
  }

  /** Runs a step of import `importId`: if it fails, the import is dropped (staged bytes removed). */
  async function dropOnFailure<T>(importId: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (imports.has(importId)) failures.set(importId, asError(error));
      await dropImport(importId);
      throw error;
    }
  }

  /**
   * Runs `step` of import `importId` once every step asked before it has run, dropping the import if it fails.
   * The reader sends the next piece while this one is staged; were two pieces staged at once, one document's
   * bytes could reach its intake out of order (they are hashed by the reader, not again by the intake).
   */
  function inOrder<T>(importId: string, open: OpenImport, step: () => Promise<T>): Promise<T> {
    const run = open.receiving.then(() => {
      if (imports.get(importId) !== open) throw closedError(importId);
      return dropOnFailure(importId, step);
    });
    open.receiving = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  const api: Pick<VaultWorkerApi, 'beginBundleImport' | 'importBundleChunk' | 'cancelBundleImport'> = {
    async beginBundleImport() {
      const { store } = session();
      const keys = await services.identity.identityKeys(store);
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
        finishing: new Set(),
        failure: null,
        receiving: Promise.resolve(),
        closed: false,
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
      await inOrder(importId, open, () => receive(store, open, bytes));
    },

    async cancelBundleImport(importId) {
      if (imports.get(importId)?.committing)
        throw new VaultError('invalid-input', 'The bundle is being imported and can no longer be cancelled.');
      await dropImport(importId);
    },
  };

  /** On lock: every open import ends, staged bytes removed. */
  async function dropAll(): Promise<void> {
    await Promise.allSettled([...imports.keys()].map((id) => dropImport(id)));
    failures.clear();
  }

  /** Whether import `id` is open (read, or being read) in this session. */
  const isOpen = (id: string) => imports.has(id);

  return { api, openImport, isOpen, dropImport, receive, inOrder, dropAll };
}

export type ImportStaging = ReturnType<typeof createImportStaging>;
