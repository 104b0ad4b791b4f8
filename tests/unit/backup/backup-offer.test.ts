import { afterEach, describe, expect, it, vi } from 'vitest';
import { findBackupOffer } from '../../../renderer/src/backups/backup-offer';
import type { PickedBackupFolder } from '../../../renderer/src/platform';
import type { LastBackupFolder } from '../../../renderer/src/vault/api';
import { MemoryFolder } from '../../support/backup-folder';

const LAST: LastBackupFolder = { folderRef: 'opaque-ref', at: '2026-11-20T10:00:00.000Z', changedSince: true };
const FOLDER: PickedBackupFolder = { target: new MemoryFolder(), label: 'EVIDENCE-USB', ref: 'opaque-ref' };

function setUp(
  last: LastBackupFolder | null,
  folder: PickedBackupFolder | null,
  kind: 'electron' | 'browser' = 'electron',
) {
  const vault = { lastBackupFolder: vi.fn(() => Promise.resolve(last)) };
  const platform = { kind, reopenBackupFolder: vi.fn((_ref: string) => Promise.resolve(folder)) };
  return { vault, platform };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('whether the Lock button offers a backup first', () => {
  it('offers the folder of the last backup when it is connected and the vault changed since', async () => {
    const { vault, platform } = setUp(LAST, FOLDER);
    expect(await findBackupOffer(vault, platform)).toEqual({ folder: FOLDER, lastAt: LAST.at });
    expect(platform.reopenBackupFolder).toHaveBeenCalledWith('opaque-ref');
  });

  it('does not offer in a browser, without a folder backup, with nothing changed, or with the folder absent', async () => {
    for (const [last, folder, kind] of [
      [LAST, FOLDER, 'browser'],
      [null, FOLDER, 'electron'],
      [{ ...LAST, changedSince: false }, FOLDER, 'electron'],
      [LAST, null, 'electron'],
    ] as const) {
      const { vault, platform } = setUp(last, folder, kind);
      expect(await findBackupOffer(vault, platform)).toBeNull();
    }
    // Nothing changed: the folder is not even looked for.
    const unchanged = setUp({ ...LAST, changedSince: false }, FOLDER);
    await findBackupOffer(unchanged.vault, unchanged.platform);
    expect(unchanged.platform.reopenBackupFolder).not.toHaveBeenCalled();
  });

  it('locks without an offer when finding the folder fails or takes too long', async () => {
    const failing = setUp(LAST, FOLDER);
    failing.platform.reopenBackupFolder.mockRejectedValueOnce(new Error('the disk went away'));
    expect(await findBackupOffer(failing.vault, failing.platform)).toBeNull();

    vi.useFakeTimers();
    const hung = setUp(LAST, FOLDER);
    hung.platform.reopenBackupFolder.mockReturnValueOnce(new Promise(() => undefined));
    const offer = findBackupOffer(hung.vault, hung.platform);
    await vi.advanceTimersByTimeAsync(1500);
    expect(await offer).toBeNull();
  });
});
