import { describe, expect, it, vi } from 'vitest';
import { MAX_IPC_CHUNK_BYTES, type VaultHostApi } from '../../../electron/host-api';
import { electronPlatform } from '../../../renderer/src/platform/electron-platform';

/** Only printToPdf is exercised; the other members are never called. */
function hostWith(printToPdf: VaultHostApi['printToPdf']): VaultHostApi {
  return { printToPdf } as Partial<VaultHostApi> as VaultHostApi;
}

describe('electron printToPdf', () => {
  it('returns the check of the saved file', async () => {
    const check = { sha256: 'ab'.repeat(32), size: 1234 };
    const printToPdf = vi.fn(() => Promise.resolve(check));
    const outcome = await electronPlatform(hostWith(printToPdf)).printToPdf('report.pdf');
    expect(outcome).toEqual({ kind: 'saved', check });
    expect(printToPdf).toHaveBeenCalledWith('report.pdf');
  });

  it('reports a cancelled dialog', async () => {
    const outcome = await electronPlatform(hostWith(() => Promise.resolve(null))).printToPdf('report.pdf');
    expect(outcome).toEqual({ kind: 'cancelled' });
  });

  it('passes host errors on', async () => {
    const host = hostWith(() => Promise.reject(new Error('The page could not be printed to PDF.')));
    await expect(electronPlatform(host).printToPdf('report.pdf')).rejects.toThrow(/could not be printed/);
  });
});

describe('electron save names', () => {
  it('hands main a safe name instead of one it would refuse', async () => {
    const beginSave = vi.fn(() => Promise.resolve(null));
    const printToPdf = vi.fn(() => Promise.resolve(null));
    const host = { beginSave, printToPdf } as Partial<VaultHostApi> as VaultHostApi;
    const platform = electronPlatform(host);
    await platform.beginSave('scan\\2025\u0000.pdf', 'application/pdf');
    await platform.printToPdf(`${'ក'.repeat(100)} — report.pdf`);
    expect(beginSave).toHaveBeenCalledWith('scan_2025_.pdf');
    const printed = (printToPdf.mock.calls[0] as unknown as [string])[0];
    expect(new TextEncoder().encode(printed).byteLength).toBeLessThanOrEqual(255);
    expect(printed).toMatch(/^ក+\.pdf$/u);
  });
});

describe('electron backup folders', () => {
  const folder = { token: '11111111-1111-4111-8111-111111111111', name: 'USB backups' };

  function backupHost(picked: typeof folder | null = folder) {
    const mocks = {
      pickBackupFolder: vi.fn((_purpose: string) => Promise.resolve(picked)),
      listBackupFiles: vi.fn((_folder: string) => Promise.resolve([{ name: 'x', size: 1 }])),
      readBackupChunk: vi.fn((_folder: string, _name: string, _offset: number, length: number) =>
        Promise.resolve(new Uint8Array(length).fill(7)),
      ),
      beginBackupFile: vi.fn((_folder: string, _name: string) => Promise.resolve('file-token')),
      appendBackupFile: vi.fn((_token: string, _bytes: Uint8Array) => Promise.resolve()),
      endBackupFile: vi.fn((_token: string, _commit: boolean) => Promise.resolve()),
      removeBackupFile: vi.fn((_folder: string, _name: string) => Promise.resolve()),
    };
    return { mocks, host: mocks as Partial<VaultHostApi> as VaultHostApi };
  }

  it('pickBackupFolder asks for a folder to back up into and labels it with its name', async () => {
    const { host, mocks } = backupHost();
    const picked = await electronPlatform(host).pickBackupFolder();
    expect(mocks.pickBackupFolder).toHaveBeenCalledWith('backup');
    expect(picked?.label).toBe('USB backups');
    const target = picked!.target;
    await expect(target.list()).resolves.toEqual([{ name: 'x', size: 1 }]);
    expect(mocks.listBackupFiles).toHaveBeenCalledWith(folder.token);
    await expect(target.beginFile('name.run')).resolves.toBe('file-token');
    expect(mocks.beginBackupFile).toHaveBeenCalledWith(folder.token, 'name.run');
    await target.endFile('file-token', true);
    expect(mocks.endBackupFile).toHaveBeenCalledWith('file-token', true);
    await target.remove('name.pack');
    expect(mocks.removeBackupFile).toHaveBeenCalledWith(folder.token, 'name.pack');
  });

  it('appends and reads in pieces of at most MAX_IPC_CHUNK_BYTES', async () => {
    const { host, mocks } = backupHost();
    const target = (await electronPlatform(host).pickBackupFolder())!.target;
    await target.appendFile('file-token', new Uint8Array(MAX_IPC_CHUNK_BYTES * 2 + 3));
    const sizes = mocks.appendBackupFile.mock.calls.map(([, bytes]) => bytes.byteLength);
    expect(sizes).toEqual([MAX_IPC_CHUNK_BYTES, MAX_IPC_CHUNK_BYTES, 3]);
    const bytes = await target.readChunk('name.pack', 10, MAX_IPC_CHUNK_BYTES + 5);
    expect(bytes.byteLength).toBe(MAX_IPC_CHUNK_BYTES + 5);
    expect(mocks.readBackupChunk.mock.calls).toEqual([
      [folder.token, 'name.pack', 10, MAX_IPC_CHUNK_BYTES],
      [folder.token, 'name.pack', 10 + MAX_IPC_CHUNK_BYTES, 5],
    ]);
  });

  it('pickBackupFiles restores from a folder, read only', async () => {
    const { host, mocks } = backupHost();
    const picked = await electronPlatform(host).pickBackupFiles();
    expect(mocks.pickBackupFolder).toHaveBeenCalledWith('restore');
    expect(picked?.label).toBe('USB backups');
    expect(Object.keys(picked!.source).sort()).toEqual(['list', 'readChunk']);
    await picked!.source.readChunk('name.run', 0, 4);
    expect(mocks.readBackupChunk).toHaveBeenCalledWith(folder.token, 'name.run', 0, 4);
  });

  it('returns null when the dialog is cancelled', async () => {
    const { host } = backupHost(null);
    await expect(electronPlatform(host).pickBackupFolder()).resolves.toBeNull();
    await expect(electronPlatform(host).pickBackupFiles()).resolves.toBeNull();
  });
});
