import type { VaultWorkerApi } from '../../api';
import type { BundleServices } from './common';
import { createExports } from './export';
import { createImportCommit } from './import-commit';
import { createImportPreview } from './import-preview';
import { createImportQueue } from './import-queue';
import { createImportStaging } from './import-staging';
import { createReceipts } from './receipts';

export type { BundleServices } from './common';

/** The calls of the worker API this service answers. */
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
  | 'listBundleQueue'
  | 'queueBundleFiles'
  | 'previewQueuedBundle'
  | 'acceptQueuedBundle'
  | 'acceptVerifiedBundles'
  | 'removeFromBundleQueue'
  | 'itemOrigin'
>;

/**
 * Sending and receiving bundles (docs/bundle-format.md), one job a file:
 * export.ts streams the chosen cases through a BundleWriter a piece at a
 * time; import-staging.ts streams a file through a BundleReader into staging
 * (records in memory, document bytes as pending encrypted blobs);
 * import-preview.ts says what it would change; import-commit.ts merges
 * everything in one commit, or nothing; import-queue.ts keeps the queue of
 * files being opened (sealed, it survives a lock) and records each step of
 * their imports in it; receipts.ts keeps what imports took and lists it. What each kind of record does in a bundle is its entry in
 * record-kinds-bundle.ts.
 */
export function createBundleService(services: BundleServices) {
  const exports = createExports(services);
  const staging = createImportStaging(services);
  const receipts = createReceipts(services);
  const preview = createImportPreview(services, staging, receipts);
  const commit = createImportCommit(services, staging, receipts, preview);
  const queue = createImportQueue(services, staging, preview, commit);

  /** On lock: every open export and import ends, staged bytes removed. */
  async function dropAll(): Promise<void> {
    await exports.closeAll();
    await staging.dropAll();
    queue.dropAll();
  }

  // The queue answers the import calls: it passes them to staging, preview and commit and records each step.
  const api: BundleApi = { ...exports.api, ...receipts.api, ...queue.api };
  return {
    api,
    dropAll,
    forgetCase: receipts.forgetCase,
    forgetDeletedCases: receipts.forgetDeletedCases,
    /** For case deletion: runs it with the queue held, and gives the queue row without the case's entries. */
    holdingQueue: queue.holding,
    queueRowsWithoutCase: queue.rowsWithoutCase,
  };
}
