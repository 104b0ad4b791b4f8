import type { VaultWorkerApi } from '../../api';
import type { BundleServices } from './common';
import { createExports } from './export';
import { createImportCommit } from './import-commit';
import { createImportPreview } from './import-preview';
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
  | 'itemOrigin'
>;

/**
 * Sending and receiving bundles (docs/bundle-format.md), one job a file:
 * export.ts streams the chosen cases through a BundleWriter a piece at a
 * time; import-staging.ts streams a file through a BundleReader into staging
 * (records in memory, document bytes as pending encrypted blobs);
 * import-preview.ts says what it would change; import-commit.ts merges
 * everything in one commit, or nothing; receipts.ts keeps what imports took
 * and lists it. What each kind of record does in a bundle is its entry in
 * record-kinds-bundle.ts.
 */
export function createBundleService(services: BundleServices) {
  const exports = createExports(services);
  const staging = createImportStaging(services);
  const receipts = createReceipts(services);
  const preview = createImportPreview(services, staging, receipts);
  const commit = createImportCommit(services, staging, receipts, preview);

  /** On lock: every open export and import ends, staged bytes removed. */
  async function dropAll(): Promise<void> {
    await exports.closeAll();
    await staging.dropAll();
  }

  const api: BundleApi = { ...exports.api, ...staging.api, ...preview.api, ...commit.api, ...receipts.api };
  return {
    api,
    dropAll,
    forgetCase: receipts.forgetCase,
    forgetDeletedCases: receipts.forgetDeletedCases,
  };
}
