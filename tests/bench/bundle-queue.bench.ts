import { wrap } from 'comlink';
import Dexie from 'dexie';
import { readBundleFile } from '../../renderer/src/bundles';
import { attachFile } from '../../renderer/src/documents';
import { emptyCaseFields } from '../../renderer/src/vault';
import { blobFile } from './bundles.bench';
import { appVaultWorker, exportCaseToBlob } from './app-workers';
import { result, watchMemory, type Benchmark } from './harness';
import { syntheticFile } from './random-bytes';
import type { ScaleBenchApi } from './scale-bench.worker';
import type { VaultBenchApi } from './vault-bench.worker';

const MiB = 1024 ** 2;
const PASSPHRASE = 'orchid lantern 47 granite meadow';
const passphrase = () => new TextEncoder().encode(PASSPHRASE);
/** Bundles on the coordinator's USB stick (issue 18). */
const BUNDLES = 40;
/** The document each bundle carries: the 20 MiB. */
const BUNDLE_DOCUMENT_BYTES = 20 * MiB;
/** Documents already in the vault the bundles go into (scale-bench.worker.ts generates it as the app stores it). */
const VAULT_DOCUMENTS = 10_000;

const say = (text: string) => console.warn(`bundle-queue: ${text}`);

/**
 * Issue 18: a coordinator back with forty bundles opens them at once, into
 * a vault of 10,000 documents. The vault sends itself forty bundles of one
 * case with a 20 MiB document each (then the documents go, so each import
 * brings its bytes again); all forty are queued, verified and staged one at
 * a time (the app's own reading path, as the Receive tab runs it), then
 * taken one after another, each in its own transaction. Self-signed bundles
 * each need the coordinator's decision, so they are taken one by one
 * (acceptQueuedBundle): the same merge "accept all from verified contacts"
 * runs, without its eligibility check. Baseline: plain IndexedDB writes of
 * the same bytes in the same run.
 */
export const bundleQueueBenchmark: Benchmark = {
  name: 'bundle-queue',
  async run() {
    const totalBytes = BUNDLES * BUNDLE_DOCUMENT_BYTES;
    const rate = (ms: number) => totalBytes / MiB / (ms / 1000);
    await Dexie.delete('evidence-vault');
    const creator = appVaultWorker();
    await creator.api.createVault(passphrase());
    await creator.api.lock();
    creator.stop();
    const scaleWorker = new Worker(new URL('./scale-bench.worker.ts', import.meta.url), { type: 'module' });
    const scale = wrap<ScaleBenchApi>(scaleWorker);
    const made = await scale.generate(passphrase(), VAULT_DOCUMENTS, []);
    await scale.removePlain();
    scaleWorker.terminate();
    say(`vault of ${made.documents} documents, ${made.cases} cases generated`);

    // The plain baseline first, and gone before the bundles are staged: the origin's quota is finite.
    const benchWorker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
    const { putMs } = await wrap<VaultBenchApi>(benchWorker).rawPutThenGet(totalBytes, MiB);
    benchWorker.terminate();

    const { api: vault, stop } = appVaultWorker();
    try {
      await vault.unlock(passphrase());
      const files: { name: string; blob: Blob }[] = [];
      for (let index = 0; index < BUNDLES; index++) {
        const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: `Field visit ${index + 1}` });
        const document = await attachFile(
          vault,
          caseId,
          syntheticFile(`visit-${index + 1}.bin`, BUNDLE_DOCUMENT_BYTES),
          () => undefined,
          new AbortController().signal,
        );
        const bundle = await exportCaseToBlob(vault, caseId);
        // The bundle holds the bytes now: the vault's copy goes, so the import brings them again.
        await vault.deleteDocument(caseId, document.id);
        files.push({ name: `visit-${index + 1}.evbundle`, blob: bundle });
      }

      const entries = await vault.queueBundleFiles(files.map(({ name, blob }) => ({ name, size: blob.size })));
      const verifyStart = performance.now();
      const verifyTimes: number[] = [];
      await watchMemory('bundle-queue-verify', async () => {
        for (const [index, entry] of entries.entries()) {
          const start = performance.now();
          await readBundleFile(
            vault,
            blobFile(files[index]!.name, files[index]!.blob),
            () => undefined,
            new AbortController().signal,
            entry.id,
          );
          verifyTimes.push(performance.now() - start);
        }
      });
      const verifyMs = performance.now() - verifyStart;

      const takeStart = performance.now();
      const takeTimes: number[] = [];
      await watchMemory('bundle-queue-take', async () => {
        for (const entry of entries) {
          const start = performance.now();
          await vault.acceptQueuedBundle(entry.id, { resolutions: {}, acceptUnknownSigner: false });
          takeTimes.push(performance.now() - start);
        }
      });
      const takeMs = performance.now() - takeStart;
      const queue = await vault.listBundleQueue();
      const imported = queue.filter((entry) => entry.state === 'imported').length;
      if (imported !== BUNDLES) throw new Error(`${imported} of ${BUNDLES} bundles were imported`);
      const spread = (times: number[]) =>
        `first ${times[0]!.toFixed(0)} ms, last ${times.at(-1)!.toFixed(0)} ms, slowest ${Math.max(...times).toFixed(0)} ms`;
      say(`verified ${BUNDLES} bundles in ${verifyMs.toFixed(0)} ms (${spread(verifyTimes)})`);
      say(`took ${BUNDLES} bundles in ${takeMs.toFixed(0)} ms (${spread(takeTimes)})`);
      await vault.lock();

      return [
        result({
          name: `${BUNDLES} bundles of ${BUNDLE_DOCUMENT_BYTES / MiB} MiB queued, verified and staged one at a time into a ${VAULT_DOCUMENTS.toLocaleString('en')}-document vault (MiB/s) / plain IndexedDB writes of the same bytes`,
          value: rate(verifyMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
          goal: '≥ 0.7',
          memoryPhase: 'bundle-queue-verify',
        }),
        result({
          name: `the same ${BUNDLES} bundles taken one after another, each its own transaction (MiB/s of document bytes merged) / plain IndexedDB writes of the same bytes`,
          value: rate(takeMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
          memoryPhase: 'bundle-queue-take',
        }),
        result({
          name: `the whole queue of ${BUNDLES} bundles, verified and taken (MiB/s) / plain IndexedDB writes of the same bytes`,
          value: rate(verifyMs + takeMs),
          baseline: rate(putMs),
          unit: 'MiB/s',
          goal: '≥ 0.7',
        }),
      ];
    } finally {
      stop();
      await Dexie.delete('evidence-vault');
    }
  },
};
