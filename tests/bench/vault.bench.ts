import { wrap } from 'comlink';
import { result, type Benchmark } from './harness';
import type { VaultBenchApi } from './vault-bench.worker';

function vaultBenchWorker() {
  const worker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
  return { api: wrap<VaultBenchApi>(worker), stop: () => worker.terminate() };
}

/** Issue 3's goals: unlock ≈ bare Argon2id; encrypted records ≥ 0.7 × plain Dexie. */
export const vaultBenchmark: Benchmark = {
  name: 'vault',
  async run() {
    const { api, stop } = vaultBenchWorker();
    try {
      const unlock = await api.unlockVersusArgon2id();
      const records = await api.recordThroughput(2000);
      const list = await api.listTenThousandCases();
      const rekey = await api.rekeyTenThousandCases();
      const perSecond = (count: number, ms: number) => (count / ms) * 1000;
      return [
        result({
          name: 'unlock / bare Argon2id (t=3, 256 MiB)',
          value: unlock.unlockMs,
          baseline: unlock.argon2idMs,
          unit: 'ms',
          goal: 'ratio ≤ 1.1',
        }),
        result({
          name: `encrypted batch write / plain Dexie bulkPut (${records.count} case records)`,
          value: perSecond(records.count, records.encryptedWriteMs),
          baseline: perSecond(records.count, records.plainWriteMs),
          unit: 'records/s',
          goal: 'ratio ≥ 0.7',
        }),
        result({
          name: `of which sealing (JSON, padding, XChaCha20-Poly1305) / plain Dexie bulkPut (${records.count})`,
          value: records.sealMs,
          baseline: records.plainWriteMs,
          unit: 'ms',
        }),
        result({
          name: `encrypted read all / plain Dexie toArray (${records.count} case records)`,
          value: perSecond(records.count, records.encryptedReadMs),
          baseline: perSecond(records.count, records.plainReadMs),
          unit: 'records/s',
          goal: 'ratio ≥ 0.7',
        }),
        result({
          name: `encrypted save with custody-log entry, one transaction each / plain put (${records.singleCount})`,
          value: perSecond(records.singleCount, records.encryptedSingleMs),
          baseline: perSecond(records.singleCount, records.plainSingleMs),
          unit: 'records/s',
        }),
        result({
          name: `open case list: decrypt ${list.count} cases and their keys / plain Dexie toArray`,
          value: list.encryptedMs,
          baseline: list.plainMs,
          unit: 'ms',
        }),
        result({
          name:
            `re-key (passphrase change) of the ${rekey.count}-case vault: ${rekey.rowCount} rows in ${rekey.steps} ` +
            `steps, heap +${rekey.heapDeltaMiB.toFixed(0)} MiB / plain Dexie read and rewrite of as many rows`,
          value: rekey.encryptedMs,
          baseline: rekey.plainMs,
          unit: 'ms',
        }),
      ];
    } finally {
      stop();
    }
  },
};
