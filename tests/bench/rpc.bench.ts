import { startVaultWorker } from '../../renderer/src/vault';
import { medianMs, result, type Benchmark } from './harness';

const CALLS = 2000;

function bareEchoRoundTrips(worker: Worker, count: number): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    worker.onmessage = () => {
      received += 1;
      if (received === count) resolve();
      else worker.postMessage(received);
    };
    worker.postMessage(0);
  });
}

/** What the typed RPC layer costs over a bare postMessage round trip. */
export const rpcBenchmark: Benchmark = {
  name: 'vault worker RPC',
  async run() {
    const vault = startVaultWorker();
    await vault.health(); // worker started and self-test done
    const echo = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
    await bareEchoRoundTrips(echo, 10);

    const rpcMs = await medianMs(5, async () => {
      for (let call = 0; call < CALLS; call++) await vault.health();
    });
    const bareMs = await medianMs(5, () => bareEchoRoundTrips(echo, CALLS));
    echo.terminate();
    return [
      result({
        name: 'vault RPC round trip / bare postMessage round trip',
        value: (rpcMs * 1000) / CALLS,
        baseline: (bareMs * 1000) / CALLS,
        unit: 'µs per call',
      }),
    ];
  },
};
