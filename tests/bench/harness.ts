/** One benchmark's result: `value` measured against `baseline` in the same
 * run, so the ratio means something on any machine. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline. Whether higher is better depends on the unit (a
   * throughput ratio wants ≥ goal, a time ratio ≤ goal). */
  ratio: number;
  goal?: string;
  peakHeapMiB?: number;
  /** A phase watched by `watchMemory`: the runner reports that phase's peak resident memory. */
  memoryPhase?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** Median of repeated timings of `work`, in milliseconds. */
export async function medianMs(repeats: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** Main-thread JS heap in MiB (Chromium with --enable-precise-memory-info). */
export function heapMiB(): number {
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize / 2 ** 20 : Number.NaN;
}

export function result(fields: Omit<BenchResult, 'ratio'>): BenchResult {
  const { name, value, unit, baseline, ...rest } = fields;
  return { name, value, unit, baseline, ratio: value / baseline, ...rest };
}

declare global {
  interface Window {
    /** Provided by scripts/bench.mjs: samples the renderer's resident memory (page and workers) between the edges. */
    benchMemory?: (phase: string, edge: 'start' | 'end') => Promise<void>;
    /** Provided by scripts/bench.mjs: the JS heap in use now, page and workers summed, in MiB. */
    benchHeapMiB?: () => Promise<number>;
    /** Provided by scripts/bench.mjs: the renderer's resident memory (page and workers) after gc, in MiB. */
    benchResidentMiB?: () => Promise<number>;
  }
}

/** The renderer's resident memory after gc in every thread, in MiB (NaN outside scripts/bench.mjs). */
export async function residentMiB(): Promise<number> {
  return (await window.benchResidentMiB?.()) ?? Number.NaN;
}

/** Runs `work` while the runner samples resident memory, so a result can report
 * the peak above the memory in use just before (not above a cold start). */
export async function watchMemory<T>(phase: string, work: () => Promise<T>): Promise<T> {
  await window.benchMemory?.(phase, 'start');
  try {
    return await work();
  } finally {
    await window.benchMemory?.(phase, 'end');
  }
}
