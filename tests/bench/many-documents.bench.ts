import Dexie from 'dexie';
import { result, type Benchmark } from './harness';
import { appVaultWorker } from './app-workers';
import { importManyDocuments } from './many-documents';

const MiB = 1024 ** 2;
const PASSPHRASE = 'orchid lantern 47 granite meadow';
/** As the scale benchmark's import into its largest vault, here into a new one: the cost of each document alone. */
const DOCUMENTS = 500;
const DOCUMENT_BYTES = MiB;

/**
 * A field bundle of many small documents (500 of 1 MiB) into a new vault: what each document costs an import
 * beyond its bytes, apart from the size of the vault it goes into (`npm run bench -- scale` measures the same
 * import into its 50,000-document vault). Baseline: plain IndexedDB writes of the same bytes in the same run.
 */
export const manyDocumentsBenchmark: Benchmark = {
  name: 'many-documents',
  async run() {
    await Dexie.delete('evidence-vault');
    const { api: vault, stop } = appVaultWorker();
    try {
      const { stageMs, mergeMs, putMs } = await importManyDocuments(vault, {
        count: DOCUMENTS,
        bytes: DOCUMENT_BYTES,
        open: () => vault.createVault(new TextEncoder().encode(PASSPHRASE)),
        memoryPhase: 'many-documents-import',
        say: (line) => console.warn(`many-documents: ${line}`),
      });
      const rate = (elapsed: number) => (DOCUMENTS * DOCUMENT_BYTES) / MiB / (elapsed / 1000);
      return [
        result({
          name: `a bundle of ${DOCUMENTS} documents of ${DOCUMENT_BYTES / MiB} MiB read, checked and staged into a new vault (MiB/s; ${(stageMs / DOCUMENTS).toFixed(1)} ms a document, plain ${(putMs / DOCUMENTS).toFixed(1)}) / plain IndexedDB writes of the same bytes`,
          value: rate(stageMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
          goal: '≥ 0.7',
          memoryPhase: 'many-documents-import',
        }),
        result({
          name: `the same import whole, staged and merged in its transaction (MiB/s; merge ${mergeMs.toFixed(0)} ms) / plain IndexedDB writes of the same bytes`,
          value: rate(stageMs + mergeMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
        }),
      ];
    } finally {
      await vault.lock().catch(() => undefined);
      stop();
      await Dexie.delete('evidence-vault');
    }
  },
};
