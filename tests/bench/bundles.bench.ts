import { wrap } from 'comlink';
import { readBundleFile } from '../../renderer/src/bundles';
import { attachFile } from '../../renderer/src/documents';
import type { PickedFile } from '../../renderer/src/platform';
import { emptyCaseFields, startVaultWorker } from '../../renderer/src/vault';
import { exportCaseToBlob } from './app-workers';
import { result, watchMemory, type Benchmark } from './harness';
import { syntheticFile } from './random-bytes';
import type { VaultBenchApi } from './vault-bench.worker';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PASSPHRASE = 'orchid lantern 47 granite meadow';
/** Progress on the terminal (and phase marks for a profiler watching it). */
const say = (text: string) => console.warn(`bundles: ${text}`);

/** A Blob (a bundle made in memory) as a picked file. */
export function blobFile(name: string, blob: Blob): PickedFile {
  return {
    name,
    size: blob.size,
    async *chunks(chunkSize) {
      for (let offset = 0; offset < blob.size; offset += chunkSize)
        yield new Uint8Array(await blob.slice(offset, offset + chunkSize).arrayBuffer());
    },
    close: () => Promise.resolve(),
  };
}

/**
 * A 1 GiB document sent as a bundle and received again. Export: the vault
 * reads and decrypts its chunks and seals the bundle (pieces go to a Blob,
 * as a download would). Import: the bundle is read back piece by piece,
 * opened, checked and staged encrypted in IndexedDB, up to the preview.
 * Baselines: plain IndexedDB reading (export) and writing (import) the same
 * number of bytes in the same run.
 */
export const bundlesBenchmark: Benchmark = {
  name: 'bundles',
  async run() {
    const passphrase = () => new TextEncoder().encode(PASSPHRASE);
    const rate = (ms: number) => GiB / MiB / (ms / 1000);
    const results: ReturnType<typeof result>[] = [];
    let caseId = '';
    // A cipher pool of 1, then of 2 workers: the same vault, a vault worker started for each.
    for (const poolSize of [1, 2]) {
      const vault = startVaultWorker({ cipherWorkers: poolSize });
      if (caseId === '') {
        await vault.createVault(passphrase());
        await vault.renameIdentity('Benchmark');
        caseId = (await vault.createCase({ ...emptyCaseFields(), title: 'Bundle benchmark' })).id;
      } else {
        await vault.unlock(passphrase());
      }
      // The plain baseline first, and gone before the vault fills: the origin's quota holds about two copies.
      const benchWorker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
      const raw = wrap<VaultBenchApi>(benchWorker);
      const { putMs, getMs } = await raw.rawPutThenGet(GiB, MiB);
      benchWorker.terminate();
      const document = await attachFile(
        vault,
        caseId,
        syntheticFile('big.bin', GiB),
        () => undefined,
        new AbortController().signal,
      );

      say(`pool of ${poolSize}: export starts`);
      const exportStart = performance.now();
      const file = await watchMemory(`bundle-export-pool-${poolSize}`, async () => {
        // The app's own path: the vault seals the next piece while this one is written.
        return exportCaseToBlob(vault, caseId);
      });
      const exportMs = performance.now() - exportStart;
      say(`pool of ${poolSize}: export done in ${exportMs.toFixed(0)} ms`);
      // The bundle now holds the bytes: the vault's copy goes, so staging the import has room.
      await vault.deleteDocument(caseId, document.id);

      say(`pool of ${poolSize}: import starts`);
      const importStart = performance.now();
      const preview = await watchMemory(`bundle-import-pool-${poolSize}`, async () => {
        // The app's own path: the next piece is read while the vault takes this one.
        const { importId, preview: opened } = await readBundleFile(
          vault,
          blobFile('bundle.evb', file),
          () => undefined,
          new AbortController().signal,
        );
        await vault.cancelBundleImport(importId);
        return opened;
      });
      const importMs = performance.now() - importStart;
      say(`pool of ${poolSize}: import done in ${importMs.toFixed(0)} ms`);
      if (preview.items.filter((item) => item.type === 'document').length !== 1 || preview.documentBytes !== GiB)
        throw new Error(`the bundle carried ${preview.documentBytes} document bytes`);
      await vault.lock();

      results.push(
        result({
          name: `bundle export of a 1 GiB document (MiB/s), cipher pool of ${poolSize} / plain IndexedDB reads of 1 GiB`,
          value: rate(exportMs),
          baseline: rate(getMs),
          unit: 'MiB/s',
          goal: '≥ 0.7',
          memoryPhase: `bundle-export-pool-${poolSize}`,
        }),
        result({
          name: `bundle import of it, checked and staged (MiB/s), cipher pool of ${poolSize} / plain IndexedDB writes of 1 GiB`,
          value: rate(importMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
          goal: '≥ 0.7',
          memoryPhase: `bundle-import-pool-${poolSize}`,
        }),
      );
    }
    return results;
  },
};
