import { wrap, type Remote } from 'comlink';
import { writeBundleExport } from '../../renderer/src/bundles';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';

/** The app's own vault worker (as startVaultWorker starts it), with a way to stop it. */
export function appVaultWorker(): { api: Remote<VaultWorkerApi>; stop: () => void } {
  const worker = new Worker(new URL('../../renderer/src/vault/worker/vault.worker.ts', import.meta.url), {
    type: 'module',
    name: 'vault',
  });
  return { api: wrap<VaultWorkerApi>(worker), stop: () => worker.terminate() };
}

type ExportingVault = Parameters<typeof writeBundleExport>[0] &
  Pick<VaultWorkerApi, 'beginBundleExport' | 'finishBundleExport'>;

/**
 * A bundle of one whole case, encrypted to this vault itself, made through the app's own path (the vault seals the
 * next piece while this one is kept) into a Blob, as a download would be.
 */
export async function exportCaseToBlob(vault: ExportingVault, caseId: string): Promise<Blob> {
  const { exportId } = await vault.beginBundleExport({
    cases: [{ caseId, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
    recipients: [],
    includeSelf: true,
    includeCustodyLog: true,
  });
  const parts: Blob[] = [];
  await writeBundleExport(
    vault,
    exportId,
    (piece) => {
      parts.push(new Blob([piece as BlobPart]));
      return Promise.resolve();
    },
    () => undefined,
    new AbortController().signal,
  );
  await vault.finishBundleExport(exportId);
  return new Blob(parts);
}
