import { heapMiB, type Benchmark, type BenchResult } from './harness';
import { initI18n } from '../../renderer/src/i18n';
import { caseListBenchmark } from './case-list.bench';
import { rpcBenchmark } from './rpc.bench';
import { vaultBenchmark } from './vault.bench';

initI18n();
const BENCHMARKS: Benchmark[] = [rpcBenchmark, vaultBenchmark, caseListBenchmark];

async function runBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const benchmark of BENCHMARKS) {
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

(window as unknown as { runBenchmarks: typeof runBenchmarks }).runBenchmarks = runBenchmarks;
document.getElementById('state')!.textContent = 'ready';
