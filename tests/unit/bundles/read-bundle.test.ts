import { describe, expect, it } from 'vitest';
import { readBundleFile } from '../../../renderer/src/bundles/read-bundle';
import type { PickedFile } from '../../../renderer/src/platform';
import type { BundleImportPreview, VaultClient } from '../../../renderer/src/vault';

const MiB = 1024 * 1024;

/** A file of `pieces` pieces of 1 MiB (the last shorter), read from memory. */
function fileOf(pieces: number): PickedFile {
  const size = pieces * MiB - 123;
  return {
    name: 'field.evbundle',
    size,
    async *chunks(chunkSize) {
      for (let offset = 0; offset < size; offset += chunkSize) {
        await Promise.resolve(); // as a disk read would, in its own turn
        yield new Uint8Array(Math.min(chunkSize, size - offset)).fill(offset / chunkSize);
      }
    },
    close: () => Promise.resolve(),
  };
}

/** A vault that stages each piece after `delayMs`, refusing the `refuseAt`-th, and records what it was asked. */
function fakeVault({ delayMs = 2, refuseAt = 0 } = {}) {
  const seen = { pieces: [] as number[], inHand: 0, mostInHand: 0, cancelled: 0, finished: 0 };
  const vault = {
    beginBundleImport: () => Promise.resolve('import-1'),
    async importBundleChunk(_importId: string, bytes: Uint8Array) {
      const number = seen.pieces.push(bytes[0]!);
      seen.mostInHand = Math.max(seen.mostInHand, ++seen.inHand);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      seen.inHand -= 1;
      if (number === refuseAt) throw Object.assign(new Error('refused'), { code: 'bundle-refused' });
    },
    finishBundleImport() {
      seen.finished += 1;
      return Promise.resolve({ items: [] } as unknown as BundleImportPreview);
    },
    cancelBundleImport() {
      seen.cancelled += 1;
      return Promise.resolve();
    },
  };
  return { vault: vault as unknown as VaultClient, seen };
}

describe('reading a bundle file through the vault', () => {
  it('sends the next piece while the vault stages this one, never more than two in its hands, progress rising to the end', async () => {
    const { vault, seen } = fakeVault();
    const file = fileOf(6);
    const progress: number[] = [];
    await readBundleFile(vault, file, (read) => progress.push(read), new AbortController().signal);
    expect(seen.pieces).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.mostInHand).toBe(2);
    expect(progress).toEqual([MiB, 2 * MiB, 3 * MiB, 4 * MiB, 5 * MiB, file.size]);
    expect(seen.finished).toBe(1);
    expect(seen.cancelled).toBe(0);
  });

  it('stops at a refused piece, cancels the import and reports the refusal', async () => {
    const { vault, seen } = fakeVault({ refuseAt: 3 });
    const progress: number[] = [];
    await expect(
      readBundleFile(vault, fileOf(6), (read) => progress.push(read), new AbortController().signal),
    ).rejects.toMatchObject({ code: 'bundle-refused' });
    expect(seen.cancelled).toBe(1);
    expect(seen.finished).toBe(0);
    expect(progress).toEqual([MiB, 2 * MiB]);
    expect(seen.pieces.length).toBeLessThanOrEqual(4); // the refused piece, and at most the one sent after it
  });

  it('cancels the import when aborted while a piece is in the vault', async () => {
    const { vault, seen } = fakeVault({ delayMs: 20 });
    const controller = new AbortController();
    const reading = readBundleFile(vault, fileOf(6), () => undefined, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    await expect(reading).rejects.toThrow();
    expect(seen.cancelled).toBe(1);
    expect(seen.finished).toBe(0);
  });
});
