import { wrap } from 'comlink';
import { createRoot } from 'react-dom/client';
import { attachFile, readDocumentBytes } from '../../renderer/src/documents';
import { PdfViewer } from '../../renderer/src/documents/viewers/PdfViewer';
import { nextPdfWorkerReady, pdfDocumentOptions, pdfjs } from '../../renderer/src/documents/viewers/pdfjs';
import { emptyCaseFields, startVaultWorker } from '../../renderer/src/vault';
import '../../renderer/src/styles/app.css';
import { result, watchMemory, type Benchmark } from './harness';
import { fileFromBytes, syntheticFile } from './random-bytes';
import { syntheticPdf } from './synthetic-pdf';
import type { VaultBenchApi } from './vault-bench.worker';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

async function bareFirstPage(bytes: Uint8Array): Promise<number> {
  const start = performance.now();
  // pdf.js as documented: getDocument starts its own worker.
  const task = pdfjs.getDocument(pdfDocumentOptions(bytes.slice()));
  const document = await task.promise;
  const page = await document.getPage(1);
  const viewport = page.getViewport({ scale: 96 / 72 });
  const canvas = window.document.createElement('canvas');
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  await page.render({ canvas, viewport }).promise;
  const elapsed = performance.now() - start;
  await task.destroy();
  return elapsed;
}

/** Vault bytes → decrypted → the app's viewer, until page 1 is painted. */
async function appFirstPage(load: () => Promise<Uint8Array>): Promise<number> {
  const host = window.document.createElement('div');
  window.document.body.append(host);
  const root = createRoot(host);
  const start = performance.now();
  const bytes = await load();
  await new Promise<void>((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (host.querySelector('[data-page-number="1"][data-rendered="true"]')) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(host, { subtree: true, attributes: true, childList: true });
    root.render(<PdfViewer bytes={bytes} onFailure={() => reject(new Error('pdf failed'))} />);
  });
  const elapsed = performance.now() - start;
  root.unmount();
  host.remove();
  return elapsed;
}

export const documentsBenchmark: Benchmark = {
  name: 'documents',
  async run() {
    const passphrase = () => new TextEncoder().encode('orchid lantern 47 granite meadow');
    const benchWorker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
    const raw = wrap<VaultBenchApi>(benchWorker);
    const size = GiB;
    const throughput = (ms: number) => size / MiB / (ms / 1000);

    // The same vault with a cipher pool of 1, then of 2 workers (a vault worker started for each), each
    // ingest beside a plain baseline measured just before it.
    let caseId = '';
    const ingests: ReturnType<typeof result>[] = [];
    for (const poolSize of [1, 2]) {
      const pooled = startVaultWorker({ cipherWorkers: poolSize });
      if (caseId === '') {
        await pooled.createVault(passphrase());
        caseId = (await pooled.createCase({ ...emptyCaseFields(), title: 'Benchmark case' })).id;
      } else {
        await pooled.unlock(passphrase());
      }
      const rawMs = await raw.rawPutThroughput(size, MiB);
      const ingestStart = performance.now();
      const record = await watchMemory(`ingest-pool-${poolSize}`, () =>
        attachFile(pooled, caseId, syntheticFile('big.bin', size), () => undefined, new AbortController().signal),
      );
      const ingestMs = performance.now() - ingestStart;
      await pooled.deleteDocument(caseId, record.id);
      await pooled.lock();
      ingests.push(
        result({
          name: `ingest of a 1 GiB file (hash + encrypt + store), cipher pool of ${poolSize} / raw IndexedDB puts of the same bytes in 1 MiB records`,
          value: throughput(ingestMs),
          baseline: throughput(rawMs),
          unit: 'MiB/s',
          goal: 'ratio ≥ 0.85',
          memoryPhase: `ingest-pool-${poolSize}`,
        }),
      );
    }
    const vault = startVaultWorker();
    await vault.unlock(passphrase());

    const pdf = syntheticPdf(300);
    const stored = await attachFile(
      vault,
      caseId,
      fileFromBytes('300-pages.pdf', pdf),
      () => undefined,
      new AbortController().signal,
    );
    await bareFirstPage(pdf); // warm pdf.js up (worker start, fonts)
    const bareMs = Math.min(await bareFirstPage(pdf), await bareFirstPage(pdf));
    // The app starts each document's pdf.js worker ahead of need; give it the
    // moment it would have while the user looks at the list.
    const appRun = async () => {
      await nextPdfWorkerReady();
      return appFirstPage(() => readDocumentBytes(vault, stored));
    };
    const appMs = Math.min(await appRun(), await appRun());
    benchWorker.terminate();
    await vault.lock();

    return [
      ...ingests,
      result({
        name: 'first rendered page of a 300-page PDF from the vault / bare pdf.js render of that page',
        value: appMs,
        baseline: bareMs,
        unit: 'ms',
        goal: 'ratio ≤ 1.2',
      }),
    ];
  },
};
