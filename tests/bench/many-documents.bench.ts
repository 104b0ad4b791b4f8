import Dexie from 'dexie';
import type { Benchmark } from './harness';
import { appVaultWorker } from './app-workers';
import { importManyDocuments, manyDocumentsResults } from './many-documents';

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
      const measured = await importManyDocuments(vault, {
        count: DOCUMENTS,
        bytes: DOCUMENT_BYTES,
        open: () => vault.createVault(new TextEncoder().encode(PASSPHRASE)),
        memoryPhase: 'many-documents-import',
        say: (line) => console.warn(`many-documents: ${line}`),
      });
      return manyDocumentsResults(measured, {
        count: DOCUMENTS,
        bytes: DOCUMENT_BYTES,
        label: '',
        into: 'a new vault',
        memoryPhase: 'many-documents-import',
      });
    } finally {
      await vault.lock().catch(() => undefined);
      stop();
      await Dexie.delete('evidence-vault');
    }
  },
};
