import type {
  BundleImportPreview,
  BundleImportResult,
  BundleQueueAcceptance,
  BundleQueueEntry,
  VaultWorkerApi,
} from '../../api';
import { BUNDLE_QUEUE_LIMIT, bundleQueueEntrySchema, type BundleQueueRecordEntry } from '../../bundle-model';
import { z } from '../../zod';
import { VaultError } from '../crypto/errors';
import { randomId } from '../crypto/keys';
import { rowNames } from '../row-ids';
import type { VaultStore } from '../vault-store';
import type { BundleServices } from './common';
import type { ImportCommit } from './import-commit';
import type { ImportPreview } from './import-preview';
import type { ImportStaging } from './import-staging';

type Decision = BundleQueueRecordEntry['decisions'][number];
type QueueApi = Pick<
  VaultWorkerApi,
  | 'beginBundleImport'
  | 'importBundleChunk'
  | 'finishBundleImport'
  | 'commitBundleImport'
  | 'cancelBundleImport'
  | 'listBundleQueue'
  | 'queueBundleFiles'
  | 'previewQueuedBundle'
  | 'acceptQueuedBundle'
  | 'acceptVerifiedBundles'
  | 'removeFromBundleQueue'
>;

const filesSchema = z
  .array(z.strictObject({ name: bundleQueueEntrySchema.shape.fileName, size: bundleQueueEntrySchema.shape.size }))
  .min(1)
  .max(BUNDLE_QUEUE_LIMIT);
const entryIdsSchema = z.array(bundleQueueEntrySchema.shape.id).max(BUNDLE_QUEUE_LIMIT);

/**
 * Imported entries kept, the newest: enough for the coordinator to see what the last session's files did. What
 * was taken stays in the receipts (per case, deleted with it); an older entry would only say that a file of
 * that name was once opened, in every backup, and take a place in the queue. Refused entries are not counted:
 * they stay until removed, a warning the coordinator should see.
 */
export const IMPORTED_ENTRIES_KEPT = 50;

/**
 * The queue as it is stored: imported entries beyond the newest IMPORTED_ENTRIES_KEPT dropped, and (when `room`
 * places are needed for new files in a full queue) as many of the oldest imported entries as that takes.
 */
export function prunedQueue(entries: readonly BundleQueueRecordEntry[], room = 0): BundleQueueRecordEntry[] {
  const importedAt = (entry: BundleQueueRecordEntry) => entry.imported?.at ?? entry.addedAt;
  const imported = entries.filter((entry) => entry.state === 'imported').sort((a, b) => importedAt(b) - importedAt(a));
  const over = Math.max(0, entries.length + room - BUNDLE_QUEUE_LIMIT);
  const kept = new Set(imported.slice(0, Math.max(0, Math.min(IMPORTED_ENTRIES_KEPT, imported.length - over))));
  return entries.filter((entry) => entry.state !== 'imported' || kept.has(entry));
}

const entryIdSchema = bundleQueueEntrySchema.shape.id;

/** A queue entry id as the page sends it: 32 hex digits, or refused (`invalid-input`) before anything is read. */
function entryIdOf(value: unknown): string {
  const valid = entryIdSchema.safeParse(value);
  if (!valid.success) throw new VaultError('invalid-input', 'Expected a queue entry.');
  return valid.data;
}

function entryIdsOf(value: unknown): Set<string> {
  const valid = entryIdsSchema.safeParse(value);
  if (!valid.success) throw new VaultError('invalid-input', 'Expected a list of queue entries.');
  return new Set(valid.data);
}

/** What a verified bundle needs decided before it can be taken; none: "accept all from verified contacts" takes it. */
function decisionsOf(preview: BundleImportPreview): Decision[] {
  const decisions: Decision[] = [];
  if (preview.signer.status !== 'verified') decisions.push(`signer-${preview.signer.status}`);
  if (preview.items.some((item) => item.status === 'conflict')) decisions.push('conflicts');
  if (preview.alreadyImportedAt !== null) decisions.push('already-imported');
  return decisions;
}

/** What the queue keeps of a preview: who signed it and how many items would do what. No item, no name. */
function summaryOf(preview: BundleImportPreview): NonNullable<BundleQueueRecordEntry['bundle']> {
  const changes = { new: 0, update: 0, same: 0, conflict: 0, refused: 0 };
  for (const item of preview.items) changes[item.status] += 1;
  const { name, signingKey, status, contactName } = preview.signer;
  return {
    bundleId: preview.bundleId,
    createdAt: preview.createdAt,
    signer: { name, signingKey, status, contactName },
    items: preview.items.length,
    changes,
  };
}

/** A vault error as the queue records it (anything else is 'internal': its message may name anything). */
function errorOf(error: unknown): { code: string; detail?: string } {
  if (!(error instanceof VaultError)) return { code: 'internal' };
  return error.detail === undefined ? { code: error.code } : { code: error.code, detail: error.detail };
}

/**
 * The queue of bundle files being opened (a coordinator back with forty on
 * a USB stick). Each entry is read, verified and previewed through the one
 * import path (staging, preview, commit), one file at a time as the page
 * sends it, and taken one by one or all those from verified contacts at
 * once, each in its own transaction.
 *
 * What survives a lock is the queue itself: one vault-owned record sealed
 * with the records key (file name, size, state, signer, counts, the reason
 * it waits), never a key and never a bundle's contents. Staged contents do
 * not survive: a lock ends every open import (its keys wiped, its pending
 * blobs removed), so after an unlock an entry not yet imported says its file
 * must be opened again (`staged: false`).
 */
export function createImportQueue(
  services: BundleServices,
  staging: ImportStaging,
  preview: ImportPreview,
  commit: ImportCommit,
) {
  const { session } = services;
  // Which import stages which entry's file, in this session only (never stored).
  const importOfEntry = new Map<string, string>();
  const entryOfImport = new Map<string, string>();
  let writing: Promise<unknown> = Promise.resolve();

  const rowId = (store: VaultStore) => store.blind(rowNames.bundleQueue());
  const read = async (store: VaultStore) => (await store.find('bundle-queue', null, rowId(store)))?.entries ?? [];
  const isStaged = (entryId: string) => {
    const importId = importOfEntry.get(entryId);
    return importId !== undefined && staging.isOpen(importId) && staging.openImport(importId).preview !== null;
  };
  const view = (entry: BundleQueueRecordEntry): BundleQueueEntry => ({ ...entry, staged: isStaged(entry.id) });

  /**
   * Runs `run` with the queue held: no other change to the queue starts until it ends, so a change that reads the
   * queue and writes it in a commit of its own (an import, a case deletion) loses no other change, and is lost
   * by none.
   */
  function holding<T>(run: () => Promise<T>): Promise<T> {
    const result = writing.then(run);
    writing = result.catch(() => undefined);
    return result;
  }

  /** The row that stores `entries` (pruned: see IMPORTED_ENTRIES_KEPT). */
  const queueRow = (store: VaultStore, entries: readonly BundleQueueRecordEntry[]) =>
    store.seal('bundle-queue', null, rowId(store), { entries: prunedQueue(entries) });

  /** Changes the stored queue, one change at a time: read, changed and sealed again whole (it is small). */
  function update<T>(change: (entries: BundleQueueRecordEntry[]) => T): Promise<T> {
    return holding(async () => {
      const { store } = session();
      const entries = await read(store);
      const result = change(entries);
      await store.commit({ put: [await queueRow(store, entries)] });
      return result;
    });
  }

  /** Changes one entry, if it is still in the queue. */
  const updateEntry = (entryId: string, change: (entry: BundleQueueRecordEntry) => void) =>
    update((entries) => {
      const entry = entries.find((candidate) => candidate.id === entryId);
      if (entry) change(entry);
    });

  function unlink(importId: string): void {
    const entryId = entryOfImport.get(importId);
    entryOfImport.delete(importId);
    if (entryId !== undefined && importOfEntry.get(entryId) === importId) importOfEntry.delete(entryId);
  }

  /** Records a verified preview: ready (with what it needs decided), or refused if it overreaches. */
  function recordPreview(entryId: string, previewed: BundleImportPreview) {
    const overreaches = previewed.items.some((item) => item.status === 'refused');
    return updateEntry(entryId, (entry) => {
      entry.bundle = summaryOf(previewed);
      entry.decisions = decisionsOf(previewed);
      entry.state = overreaches ? 'refused' : 'ready';
      entry.error = overreaches ? { code: 'bundle-refused', detail: 'overreaches' } : null;
    });
  }

  /** Records why reading an entry's file stopped: a refusal is final; a lock or a cancel leaves it waiting. */
  async function recordReadFailure(importId: string, error: unknown): Promise<void> {
    const entryId = entryOfImport.get(importId);
    if (entryId === undefined || staging.isOpen(importId)) return;
    unlink(importId);
    if (!(error instanceof VaultError) || error.code === 'locked' || error.code === 'not-found') return;
    await updateEntry(entryId, (entry) => {
      entry.state = error.code === 'bundle-refused' ? 'refused' : 'failed';
      entry.error = errorOf(error);
    }).catch(() => undefined); // the failure itself is what the caller is told
  }

  function stagedImport(entryId: string): string {
    const importId = importOfEntry.get(entryId);
    if (importId === undefined || !isStaged(entryId))
      throw new VaultError('invalid-input', 'The file of this bundle must be opened again.', 'file-needed');
    return importId;
  }

  const api: QueueApi = {
    async beginBundleImport(queueEntryIdInput) {
      if (queueEntryIdInput === undefined) return staging.api.beginBundleImport();
      const queueEntryId = entryIdOf(queueEntryIdInput);
      const { store } = session();
      const entry = (await read(store)).find((candidate) => candidate.id === queueEntryId);
      if (!entry) throw new VaultError('not-found', 'This bundle is no longer in the queue.');
      if (entry.state === 'imported') throw new VaultError('invalid-input', 'This bundle was imported already.');
      // The same file opened again: what was staged of it before goes.
      const earlier = importOfEntry.get(queueEntryId);
      if (earlier !== undefined) {
        await staging.api.cancelBundleImport(earlier);
        unlink(earlier);
      }
      const importId = await staging.api.beginBundleImport();
      importOfEntry.set(queueEntryId, importId);
      entryOfImport.set(importId, queueEntryId);
      return importId;
    },

    async importBundleChunk(importId, bytes) {
      try {
        await staging.api.importBundleChunk(importId, bytes);
      } catch (error) {
        await recordReadFailure(importId, error);
        throw error;
      }
    },

    async finishBundleImport(importId) {
      let previewed: BundleImportPreview;
      try {
        previewed = await preview.api.finishBundleImport(importId);
      } catch (error) {
        await recordReadFailure(importId, error);
        throw error;
      }
      const entryId = entryOfImport.get(importId);
      if (entryId !== undefined) await recordPreview(entryId, previewed);
      return previewed;
    },

    async commitBundleImport(importId, choices, onProgress) {
      const entryId = entryOfImport.get(importId);
      let result: BundleImportResult;
      try {
        // A queued bundle's entry is marked imported in the import's own commit: a crash cannot leave a bundle
        // taken in but still waiting in the queue (to be taken again), nor marked imported but not taken.
        result =
          entryId === undefined
            ? await commit.api.commitBundleImport(importId, choices, onProgress)
            : await holding(() =>
                commit.take(importId, choices, onProgress, async (store, { added, updated, kept, cases }) => {
                  const entries = await read(store);
                  const entry = entries.find((candidate) => candidate.id === entryId);
                  if (!entry) return [];
                  entry.state = 'imported';
                  entry.error = null;
                  entry.imported = { at: Date.now(), added, updated, kept, cases };
                  return [await queueRow(store, entries)];
                }),
              );
      } catch (error) {
        // A decision missing is not a failure of the bundle: it stays as it was.
        const undecided = error instanceof VaultError && error.code === 'invalid-input';
        if (entryId !== undefined && !undecided)
          await updateEntry(entryId, (entry) => {
            // Taken after all (what failed came after its commit): it stays imported.
            if (entry.state === 'imported') return;
            entry.state = error instanceof VaultError && error.code === 'bundle-refused' ? 'refused' : 'failed';
            entry.error = errorOf(error);
          }).catch(() => undefined);
        throw error;
      }
      if (entryId !== undefined) unlink(importId);
      return result;
    },

    async cancelBundleImport(importId) {
      await staging.api.cancelBundleImport(importId);
      unlink(importId);
    },

    async listBundleQueue() {
      const { store } = session();
      return (await read(store)).map(view);
    },

    async queueBundleFiles(files) {
      const valid = filesSchema.safeParse(files);
      if (!valid.success) throw new VaultError('invalid-input', 'Expected a list of bundle files.');
      const ids = await update((entries) => {
        const chosen: string[] = [];
        for (const file of valid.data) {
          // The same file again (opened after a lock, or picked twice): its entry, not a second one.
          const same = entries.find(
            (entry) =>
              entry.state !== 'imported' &&
              entry.fileName === file.name &&
              entry.size === file.size &&
              !chosen.includes(entry.id),
          );
          if (same) {
            chosen.push(same.id);
            continue;
          }
          if (entries.length >= BUNDLE_QUEUE_LIMIT) {
            // Imported entries make room, the oldest first; what waits or was refused is never dropped for it.
            const kept = prunedQueue(entries, 1);
            if (kept.length >= BUNDLE_QUEUE_LIMIT)
              throw new VaultError('invalid-input', 'The queue of bundles is full.', 'queue-full');
            entries.splice(0, entries.length, ...kept);
          }
          const entry: BundleQueueRecordEntry = {
            id: randomId(),
            fileName: file.name,
            size: file.size,
            addedAt: Date.now(),
            state: 'waiting',
            decisions: [],
            error: null,
            bundle: null,
            imported: null,
          };
          entries.push(entry);
          chosen.push(entry.id);
        }
        return chosen.map((id) => entries.find((entry) => entry.id === id)!);
      });
      return ids.map(view);
    },

    async previewQueuedBundle(entryIdInput) {
      const entryId = entryIdOf(entryIdInput);
      const { store } = session();
      const open = staging.openImport(stagedImport(entryId));
      const previewed = await preview.refresh(store, open);
      await recordPreview(entryId, previewed);
      return previewed;
    },

    async acceptQueuedBundle(entryId, choices, onProgress) {
      return api.commitBundleImport(stagedImport(entryIdOf(entryId)), choices, onProgress);
    },

    async acceptVerifiedBundles(entryIds, onProgress) {
      const only = entryIds === undefined ? null : entryIdsOf(entryIds);
      const { store } = session();
      const candidates = (await read(store)).filter(
        (entry) =>
          entry.state === 'ready' &&
          entry.decisions.length === 0 &&
          isStaged(entry.id) &&
          (only === null || only.has(entry.id)),
      );
      const outcomes: BundleQueueAcceptance[] = [];
      // One after another, each its own transaction: what one does is what the next is compared with.
      for (const { id: entryId } of candidates) {
        try {
          const importId = stagedImport(entryId);
          // An earlier bundle of the queue may have brought some of the same records: compared again now.
          const previewed = await preview.refresh(store, staging.openImport(importId));
          await recordPreview(entryId, previewed);
          if (decisionsOf(previewed).length > 0 || previewed.items.some((item) => item.status === 'refused'))
            throw new VaultError('invalid-input', 'This bundle now needs a decision.', 'needs-decision');
          const result = await api.commitBundleImport(
            importId,
            { resolutions: {}, acceptUnknownSigner: false },
            onProgress,
          );
          outcomes.push({ entryId, ok: true, result });
        } catch (error) {
          if (error instanceof VaultError && error.code === 'locked') throw error;
          outcomes.push({ entryId, ok: false, error: errorOf(error) });
        }
      }
      return outcomes;
    },

    async removeFromBundleQueue(entryIds) {
      const ids = entryIdsOf(entryIds);
      for (const entryId of ids) {
        const importId = importOfEntry.get(entryId);
        if (importId === undefined) continue;
        await staging.api.cancelBundleImport(importId);
        unlink(importId);
      }
      await update((entries) => {
        const kept = entries.filter((entry) => !ids.has(entry.id));
        entries.splice(0, entries.length, ...kept);
      });
    },
  };

  /**
   * For case deletion, run while the queue is held (`holding`): the queue row without the imported entries that
   * held records of `caseId` (an entry from before entries named their cases cannot tell, and goes too), for the
   * deletion's own commit; none when no entry goes. The receipts of what those bundles took go with the case too:
   * nothing in the vault says any longer that such a file was opened into it.
   */
  async function rowsWithoutCase(store: VaultStore, caseId: string) {
    const entries = await read(store);
    const kept = entries.filter(
      (entry) =>
        entry.state !== 'imported' || (entry.imported?.cases !== undefined && !entry.imported.cases.includes(caseId)),
    );
    return kept.length === entries.length ? [] : [await queueRow(store, kept)];
  }

  /** On lock: the staged imports are ended by staging; which entry they staged is forgotten with them. */
  function dropAll(): void {
    importOfEntry.clear();
    entryOfImport.clear();
    writing = Promise.resolve();
  }

  return { api, dropAll, holding, rowsWithoutCase };
}
