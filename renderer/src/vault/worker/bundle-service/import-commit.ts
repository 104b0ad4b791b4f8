import type {
  BundleImportPreview,
  BundleImportResult,
  BundleMergeProgress,
  ImportResolution,
  VaultWorkerApi,
} from '../../api';
import { progressRelay, type ProgressRelay } from '../progress-relay';
import { z } from '../../zod';
import { wipeBlobKey } from '../blob-store';
import { VaultError } from '../crypto/errors';
import { randomId } from '../crypto/keys';
import type { CustodyEntryInput } from '../custody-log';
import { custodyTargetOf, type TravellingKind } from '../record-kinds';
import { BUNDLE_KINDS, TRAVELLING_KINDS, bundleKindOf, type MergeContext } from '../record-kinds-bundle';
import type { RecordRow } from '../storage/database';
import type { VaultChange, VaultStore } from '../vault-store';
import { blobLedger } from './blob-ledger';
import type { BundleServices, OpenImport } from './common';
import type { ImportPreview } from './import-preview';
import type { ImportStaging } from './import-staging';
import type { Receipts } from './receipts';

/** How often a merge starts again when the vault changed while it was being prepared. */
const MERGE_ATTEMPTS = 3;

/** What an import took, as known just before its commit: for rows that must land in that same commit. */
export interface ImportOutcome {
  added: number;
  updated: number;
  kept: number;
  /** Every case the bundle holds records of (taken or not). */
  cases: string[];
}

/**
 * Rows written in the import's own commit, made from its outcome (the bundle queue's entry marked imported):
 * what the import did and what says it was done land together, or neither. Called again on each merge attempt.
 */
export type AlongsideImport = (store: VaultStore, outcome: ImportOutcome) => Promise<RecordRow[]>;

const choicesSchema = z.strictObject({
  resolutions: z.record(z.string(), z.enum(['mine', 'theirs', 'both'])),
  acceptUnknownSigner: z.boolean(),
});

/**
 * Taking a previewed bundle in: the user's choices checked, then everything
 * taken merged in one commit (each record as its kind takes it,
 * record-kinds-bundle.ts), with the receipts and the custody-log entries,
 * or nothing. A merge that finds the vault changed since it began reading
 * starts again on what is there now.
 */
export function createImportCommit(
  services: BundleServices,
  staging: ImportStaging,
  receipts: Receipts,
  preview: ImportPreview,
) {
  const { session } = services;

  /** The merge itself: one commit with everything taken, or nothing. */
  async function merge(
    store: VaultStore,
    importId: string,
    open: OpenImport,
    previewed: BundleImportPreview,
    resolutions: Record<string, ImportResolution>,
    /** store.commits when the merge began reading: the commit is refused if anything changed since. */
    commits: number,
    alongside: AlongsideImport | undefined,
    progress: ProgressRelay<BundleMergeProgress>,
  ): Promise<BundleImportResult> {
    const decision = new Map<string, ImportResolution | 'skip'>();
    for (const item of previewed.items)
      decision.set(
        item.id,
        item.status === 'same' ? 'skip' : item.status === 'conflict' ? resolutions[item.id]! : 'theirs',
      );
    const taken = previewed.items.filter(
      (item) => decision.get(item.id) === 'theirs' || decision.get(item.id) === 'both',
    );
    const touched = [...new Set([...open.records.values()].map((staged) => staged.caseId))];
    const added = taken.filter((item) => item.status === 'new' || decision.get(item.id) === 'both').length;
    const outcome: ImportOutcome = {
      added,
      updated: taken.length - added,
      kept: previewed.items.length - taken.length,
      cases: touched,
    };
    if (taken.length === 0) {
      // Nothing new (the same bundle again, or every conflict kept as mine): nothing of the bundle is written.
      const rows = alongside ? await alongside(store, outcome) : [];
      if (rows.length > 0) await store.commit({ put: rows });
      await staging.dropImport(importId);
      return { added: 0, updated: 0, kept: previewed.items.length, bundleId: previewed.bundleId, cases: [] };
    }

    const change: Required<Pick<VaultChange, 'put' | 'delete' | 'putBlobs' | 'deleteBlobs'>> = {
      put: [],
      delete: [],
      putBlobs: [],
      deleteBlobs: [],
    };
    const log: CustodyEntryInput[] = [];
    const takenIds: Record<string, string> = {};
    const takenHere: Record<string, string> = {};
    const blobs = blobLedger(store);
    const batches = new Map<TravellingKind, Map<string, unknown[]>>();
    const context: MergeContext = {
      store,
      services,
      change,
      newCases: new Set(),
      blobs,
      stagedBytes: (documentId) => open.staged.get(documentId),
      taken,
      batch(kind) {
        let batch = batches.get(kind);
        if (!batch) batches.set(kind, (batch = new Map<string, unknown[]>()));
        return batch;
      },
    };
    const first = (item: (typeof taken)[number]) => (bundleKindOf(item.type).spec.takenFirst ? -1 : 0);
    let merged = 0;
    progress.report({ stage: 'merging', done: 0, total: taken.length });
    for (const item of [...taken].sort((a, b) => first(a) - first(b))) {
      const staged = open.records.get(item.id)!;
      const { kind, spec } = bundleKindOf(staged.type);
      const value = { ...(staged.value as Record<string, unknown>) };
      if (decision.get(item.id) === 'both' && 'id' in value) value.id = randomId();
      await spec.take(context, value, staged.caseId, item);
      const key = spec.key(value);
      takenIds[item.id] = staged.sha256;
      takenHere[`${staged.type}:${key}`] = item.id;
      log.push({
        action: 'imported',
        targetKind: custodyTargetOf(kind),
        targetId: key,
        caseId: staged.caseId,
        contentHashes: [staged.sha256],
      });
      // A record kept for its kind's `settle` (an annotation) counts once taken: settling is a fraction of it.
      progress.report({ stage: 'merging', done: ++merged, total: taken.length });
    }
    for (const kind of TRAVELLING_KINDS) await BUNDLE_KINDS[kind].settle?.(context);
    // Blob refs settled once; staged bytes no record took (a document kept as mine) go with the commit.
    const settled = blobs.finish([...open.staged.values()].map((staged) => staged.blobId));
    change.putBlobs.push(...settled.putBlobs);
    change.deleteBlobs.push(...settled.deleteBlobs);

    // What the import took, one receipt per case it touched, sealed with that case's key: deleting the case
    // deletes its part (item ids and hashes, the sender's entries about it, the signer if no other case names
    // them). previousImports merges them back into one record per bundle.
    const written = await receipts.receiptsOf(store, {
      preview: previewed,
      headerHash: open.manifest!.headerHash,
      custodyLog: open.custodyLog ? new TextDecoder().decode(open.custodyLog) : null,
      items: {
        ...Object.fromEntries(
          previewed.items
            .filter((item) => item.status === 'same')
            .map((item) => [item.id, open.records.get(item.id)!.sha256]),
        ),
        ...takenIds,
      },
      takenHere,
      caseOfItem: (itemId) => open.records.get(itemId)!.caseId,
      touched,
      newCases: context.newCases,
    });
    change.put.push(...written.put);
    change.delete.push(...written.delete);
    // The bundle's own entry, once per case (like an export's): sealed with each case's details.
    log.unshift(
      ...touched.map((caseId) => ({
        action: 'imported' as const,
        targetKind: 'bundle' as const,
        targetId: previewed.bundleId,
        caseId,
        contentHashes: [open.manifest!.headerHash],
      })),
    );
    // The one commit: all or nothing, so it cannot report on its way; the page says it is being written.
    progress.report({ stage: 'writing', done: taken.length, total: taken.length });
    try {
      if (alongside) change.put.push(...(await alongside(store, outcome)));
      await store.commit({ ...change, log, unlessChangedSince: commits });
    } finally {
      blobs.wipe();
    }
    // The staged content keys are sealed in their blob rows now (merge attempts that failed kept them).
    for (const { info } of open.staged.values()) wipeBlobKey(info);
    open.staged.clear();
    await staging.dropImport(importId);
    return {
      added,
      updated: outcome.updated,
      kept: outcome.kept,
      bundleId: previewed.bundleId,
      newCases: [...context.newCases],
      cases: [...new Set(taken.map((item) => item.caseId))],
    } satisfies BundleImportResult;
  }

  /** commitBundleImport, with rows that land in the import's own commit (`alongside`). */
  async function take(
    importId: string,
    choices: Parameters<VaultWorkerApi['commitBundleImport']>[1],
    onProgress?: Parameters<VaultWorkerApi['commitBundleImport']>[2],
    alongside?: AlongsideImport,
  ): Promise<BundleImportResult> {
    const { store } = session();
    const open = staging.openImport(importId);
    const previewed = open.preview;
    if (!previewed) throw new VaultError('invalid-input', 'The bundle has not been read to its end yet.');
    if (previewed.items.some((item) => item.status === 'refused'))
      throw new VaultError('bundle-refused', 'This bundle would change records it does not own.', 'overreaches');
    const { resolutions, acceptUnknownSigner } = choicesSchema.parse(choices);
    if (previewed.signer.status === 'unknown' && !acceptUnknownSigner)
      throw new VaultError(
        'invalid-input',
        'Confirm that you accept a bundle from an unknown key.',
        'signer-unconfirmed',
      );
    const unresolved = previewed.items.filter((item) => item.status === 'conflict' && !resolutions[item.id]);
    // A case or a document kept twice would split its records between the copies (a text: its document would
    // have two): only one version of each.
    for (const item of previewed.items) {
      const single = bundleKindOf(item.type).spec.onlyOneCopy;
      if (single !== undefined && resolutions[item.id] === 'both')
        throw new VaultError(
          'invalid-input',
          `${single[0]!.toUpperCase()}${single.slice(1)} can only be kept as yours or taken as theirs.`,
        );
    }
    if (unresolved.length > 0)
      throw new VaultError('invalid-input', 'Choose how to resolve every conflict.', 'conflicts-unresolved');

    // The choices are complete. One merge at a time, and only if the vault did not change since the preview.
    if (open.committing) throw new VaultError('invalid-input', 'This bundle is already being imported.');
    open.committing = true;
    // One relay across attempts: a merge that starts again holds the bar where the last one got to.
    const progress = progressRelay(onProgress);
    try {
      // The merge reads what it merges into (documents, annotation pages) before it commits. A change that
      // lands in between (an annotation edited meanwhile) makes the commit refuse, and the merge runs again
      // on what is there now: nothing of the user's is overwritten with an older copy.
      for (let attempt = 1; ; attempt++) {
        const commits = store.commits;
        const now = await preview.assess(store, open, await receipts.previousImports(store));
        if (now.some((item, index) => item.status !== previewed.items[index]?.status))
          throw new VaultError('invalid-input', 'The vault changed since the preview.', 'preview-stale');
        try {
          return await merge(store, importId, open, previewed, resolutions, commits, alongside, progress);
        } catch (error) {
          if (attempt < MERGE_ATTEMPTS && error instanceof VaultError && error.detail === 'stale') continue;
          throw error;
        }
      }
    } finally {
      open.committing = false;
    }
  }

  const api: Pick<VaultWorkerApi, 'commitBundleImport'> = {
    commitBundleImport: (importId, choices, onProgress) => take(importId, choices, onProgress),
  };

  return { api, take };
}

export type ImportCommit = ReturnType<typeof createImportCommit>;
