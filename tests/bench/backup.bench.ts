import { proxy, wrap } from 'comlink';
import Dexie from 'dexie';
import { attachFile } from '../../renderer/src/documents';
import { emptyCaseFields, startVaultWorker } from '../../renderer/src/vault';
import type { BackupFileInfo, BackupTarget } from '../../renderer/src/vault/api';
import { result, watchMemory, type Benchmark } from './harness';
import { syntheticFile } from './random-bytes';
import type { VaultBenchApi } from './vault-bench.worker';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PASSPHRASE = 'orchid lantern 47 granite meadow';

/**
 * A backup folder as a browser's downloads are: each file collected as Blob
 * parts and kept when committed (Chromium spills large Blobs to disk), here
 * also readable back for the restore (as the files a user picks).
 */
class BlobFolder implements BackupTarget {
  readonly files = new Map<string, Blob>();
  private readonly open = new Map<string, { name: string; parts: Blob[] }>();
  private next = 0;
  written = 0;

  constructor(private listable: boolean) {}

  readable(): this {
    this.listable = true;
    return this;
  }

  list(): Promise<BackupFileInfo[] | null> {
    return Promise.resolve(this.listable ? [...this.files].map(([name, blob]) => ({ name, size: blob.size })) : null);
  }

  async readChunk(name: string, offset: number, length: number): Promise<Uint8Array> {
    return new Uint8Array(
      await this.files
        .get(name)!
        .slice(offset, offset + length)
        .arrayBuffer(),
    );
  }

  beginFile(name: string): Promise<string> {
    const token = String(++this.next);
    this.open.set(token, { name, parts: [] });
    return Promise.resolve(token);
  }

  appendFile(token: string, bytes: Uint8Array): Promise<void> {
    this.open.get(token)!.parts.push(new Blob([bytes as BlobPart]));
    this.written += bytes.byteLength;
    return Promise.resolve();
  }

  endFile(token: string, commit: boolean): Promise<void> {
    const file = this.open.get(token)!;
    this.open.delete(token);
    if (commit) this.files.set(file.name, new Blob(file.parts));
    return Promise.resolve();
  }

  remove(name: string): Promise<void> {
    this.files.delete(name);
    return Promise.resolve();
  }
}

/**
 * A vault holding a 1 GiB document backed up into downloads, once whole and
 * once after one small change, then restored into an empty vault.
 * Baselines from the same run: plain IndexedDB reads of the same bytes handed
 * to Blobs (a plain copy), and plain IndexedDB writes of them (the restore).
 */
export const backupBenchmark: Benchmark = {
  name: 'backup',
  async run() {
    // The plain baselines first, and gone before the vault fills: the origin's quota holds about two copies.
    const benchWorker = new Worker(new URL('./vault-bench.worker.ts', import.meta.url), { type: 'module' });
    const raw = wrap<VaultBenchApi>(benchWorker);
    const plain = await raw.rawCopyToBlobs(GiB, MiB);
    benchWorker.terminate();

    const vault = startVaultWorker();
    const { recoveryKey } = await vault.createVault(new TextEncoder().encode(PASSPHRASE));
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Backup benchmark' });
    await attachFile(vault, caseId, syntheticFile('big.bin', GiB), () => undefined, new AbortController().signal);

    const folder = new BlobFolder(false);
    const fullStart = performance.now();
    const full = await watchMemory('backup-full', () => vault.backUp(proxy(folder)));
    const fullMs = performance.now() - fullStart;

    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Backup benchmark, renamed' });
    const before = folder.written;
    const incrementalStart = performance.now();
    await watchMemory('backup-incremental', () => vault.backUp(proxy(folder)));
    const incrementalMs = performance.now() - incrementalStart;
    const incrementalBytes = folder.written - before;

    // A new computer: the vault's database gone, the backup restored from the downloaded files.
    await vault.lock();
    await Dexie.delete('evidence-vault');
    const fresh = startVaultWorker();
    const restoreStart = performance.now();
    await watchMemory('backup-restore', () =>
      fresh.restoreBackup(
        proxy(folder.readable()),
        { kind: 'recovery-key', recoveryKey, newPassphrase: new TextEncoder().encode(PASSPHRASE) },
        { where: 'downloads' },
      ),
    );
    const restoreMs = performance.now() - restoreStart;
    const restored = await fresh.listDocuments(caseId);
    if (restored.length !== 1 || restored[0]!.size !== GiB) throw new Error('the restore lost the document');
    await fresh.lock();
    await Dexie.delete('evidence-vault');

    const rate = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
    return [
      result({
        name: `full backup of a 1 GiB vault (MiB/s) / plain copy: IndexedDB reads of 1 GiB into Blobs (${full.files} files)`,
        value: rate(full.bytesWritten, fullMs),
        baseline: rate(GiB, plain.copyMs),
        unit: 'MiB/s',
        goal: '≥ 0.7',
        memoryPhase: 'backup-full',
      }),
      result({
        name: 'incremental backup after one case edit (ms) / full backup (ms)',
        value: incrementalMs,
        baseline: fullMs,
        unit: 'ms',
        goal: `≤ 1000 ms and ≤ 2 MiB written (wrote ${(incrementalBytes / 1024).toFixed(1)} KiB)`,
        memoryPhase: 'backup-incremental',
      }),
      result({
        name: 'restore of the 1 GiB vault from its backup (MiB/s) / plain IndexedDB writes of 1 GiB',
        value: rate(GiB, restoreMs),
        baseline: rate(GiB, plain.putMs),
        unit: 'MiB/s',
        goal: '≥ 0.7',
        memoryPhase: 'backup-restore',
      }),
    ];
  },
};
