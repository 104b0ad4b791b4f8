import { wrap, type Remote } from 'comlink';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { readBundleFile } from '../../renderer/src/bundles';
import { attachFile } from '../../renderer/src/documents';
import { emptyCaseFields } from '../../renderer/src/vault';
import { exportCaseToBlob } from './app-workers';
import { blobFile } from './bundles.bench';
import { result, watchMemory, type BenchResult } from './harness';
import { syntheticFile } from './random-bytes';
import type { VaultBenchApi } from './vault-bench.worker';

const MiB = 1024 ** 2;

export interface ManyDocumentsImport {
  /** Reading, checking and staging the bundle, up to its preview. */
  stageMs: number;
  /** The merge, in its one transaction. */
  mergeMs: number;
  /** The baseline: plain IndexedDB writes of the same bytes, one piece of each document's size a transaction. */
  putMs: number;
}

/**
 * A field bundle of `count` documents of `bytes` each, imported into a vault. The baseline is measured first, before
 * `open` creates or unlocks the vault (whose work after an unlock would otherwise slow it). The vault sends itself
 * one case with those documents, then deletes them, so the import brings every byte again; the bundle is read,
 * checked and staged as the app does, then merged in its one transaction. The case goes afterwards. `memoryPhase`
 * names the phase `watchMemory` records.
 */
export async function importManyDocuments(
  vault: Remote<VaultWorkerApi>,
  {
    count,
    bytes,
    open,
    memoryPhase,
    say,
  }: { count: number; bytes: number; open: () => Promise<unknown>; memoryPhase: string; say: (line: string) => void },
): Promise<ManyDocumentsImport> {
  const benchWorker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
  const { putMs } = await wrap<VaultBenchApi>(benchWorker).rawPutThenGet(count * bytes, bytes);
  benchWorker.terminate();
  await open();
  const caseId = (await vault.createCase({ ...emptyCaseFields(), title: 'Field visit' })).id;
  try {
    const documentIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const file = syntheticFile(`exhibit-${index + 1}.bin`, bytes);
      documentIds.push((await attachFile(vault, caseId, file, () => undefined, new AbortController().signal)).id);
    }
    const bundle = await exportCaseToBlob(vault, caseId);
    for (const documentId of documentIds) await vault.deleteDocument(caseId, documentId);
    say(`a bundle of ${count} documents made (${(bundle.size / MiB).toFixed(0)} MiB)`);
    const { stageMs, mergeMs } = await watchMemory(memoryPhase, async () => {
      const stageStart = performance.now();
      const { importId, preview } = await readBundleFile(
        vault,
        blobFile('field-visit.evbundle', bundle),
        () => undefined,
        new AbortController().signal,
      );
      const stageMs = performance.now() - stageStart;
      say(`staged in ${stageMs.toFixed(0)} ms`);
      const brought = preview.items.filter((item) => item.type === 'document').length;
      if (brought !== count || preview.documentBytes !== count * bytes)
        throw new Error(`the bundle brought ${brought} documents, ${preview.documentBytes} bytes`);
      const mergeStart = performance.now();
      await vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });
      return { stageMs, mergeMs: performance.now() - mergeStart };
    });
    const listed = (await vault.listDocuments(caseId)).length;
    if (listed !== count) throw new Error(`${listed} documents after the import`);
    return { stageMs, mergeMs, putMs };
  } finally {
    await vault.deleteCase(caseId).catch(() => undefined);
  }
}

/**
 * The two lines an import of many documents reports (`label` before each, the vault it went `into`): staged, and
 * whole with its merge, in MiB/s against the plain writes of the same bytes.
 */
export function manyDocumentsResults(
  { stageMs, mergeMs, putMs }: ManyDocumentsImport,
  {
    count,
    bytes,
    label,
    into,
    memoryPhase,
  }: { count: number; bytes: number; label: string; into: string; memoryPhase: string },
): BenchResult[] {
  const rate = (elapsed: number) => (count * bytes) / MiB / (elapsed / 1000);
  return [
    result({
      name: `${label}a bundle of ${count} documents of ${bytes / MiB} MiB read, checked and staged into ${into} (MiB/s; ${(stageMs / count).toFixed(1)} ms a document, plain ${(putMs / count).toFixed(1)}) / plain IndexedDB writes of the same bytes`,
      value: rate(stageMs),
      baseline: rate(putMs),
      unit: 'MiB/s',
      goal: '≥ 0.7',
      memoryPhase,
    }),
    result({
      name: `${label}the same import whole, staged and merged in its transaction (MiB/s; merge ${mergeMs.toFixed(0)} ms) / plain IndexedDB writes of the same bytes`,
      value: rate(stageMs + mergeMs),
      baseline: rate(putMs),
      unit: 'MiB/s',
    }),
  ];
}
