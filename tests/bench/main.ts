import { heapMiB, type Benchmark, type BenchResult } from './harness';
import { initI18n } from '../../renderer/src/i18n';
import { annotationsBenchmark } from './annotations.bench';
import { backupBenchmark } from './backup.bench';
import { bundleQueueBenchmark } from './bundle-queue.bench';
import { bundlesBenchmark } from './bundles.bench';
import { caseListBenchmark } from './case-list.bench';
import { documentsBenchmark } from './documents.bench';
import { hearingsBenchmark } from './hearings.bench';
import { manyDocumentsBenchmark } from './many-documents.bench';
import { rpcBenchmark } from './rpc.bench';
import { scaleBenchmark } from './scale.bench';
import { searchBenchmark } from './search.bench';
import { vaultBenchmark } from './vault.bench';

initI18n();
const BENCHMARKS: Benchmark[] = [
  rpcBenchmark,
  vaultBenchmark,
  caseListBenchmark,
  documentsBenchmark,
  annotationsBenchmark,
  hearingsBenchmark,
  bundlesBenchmark,
  manyDocumentsBenchmark,
  backupBenchmark,
  searchBenchmark,
  scaleBenchmark,
  bundleQueueBenchmark,
];

/** Runs one benchmark by name; the harness samples process memory around it. */
async function runBenchmark(name: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const benchmark of BENCHMARKS.filter((entry) => entry.name === name)) {
    const idle = heapMiB();
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, heapMiB())), 20);
    try {
      const measured = await benchmark.run();
      peak = Math.max(peak, heapMiB());
      for (const entry of measured) results.push({ ...entry, peakHeapMiB: entry.peakHeapMiB ?? peak - idle });
    } finally {
      clearInterval(sampler);
    }
  }
  return results;
}

Object.assign(window, { runBenchmark, benchmarkNames: () => BENCHMARKS.map((entry) => entry.name) });
document.getElementById('state')!.textContent = 'ready';
