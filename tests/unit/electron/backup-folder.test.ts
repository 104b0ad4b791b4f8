import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { BackupFolders, folderLabel, isBackupFileName } from '../../../electron/backup-folder';
import { IPC, MAX_IPC_CHUNK_BYTES, type HostBackupFolder } from '../../../electron/host-api';
import { endIpcHarness, ipcHarness, type IpcHarness } from '../../support/ipc-harness';
import { packFileName, parseBackupFileName, runFileName } from '../../../renderer/src/vault/worker/backup/names';

// Every name a test writes through the API is made by the app's own format code.
const SET = '0123456789abcdef0123456789abcdef';
const OTHER_SET = 'fedcba9876543210fedcba9876543210';
const RUN1 = runFileName(SET, 1);
const RUN2 = runFileName(SET, 2);
const PACK = packFileName(SET, 'aa'.repeat(16));
const OTHER_PACK = packFileName(OTHER_SET, 'bb'.repeat(16));
const TOKEN_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const canSymlink = process.platform !== 'win32';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ev-backup-'));
  dir = path.join(root, 'USB backups');
  await mkdir(dir);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();
const encode = (value: string): Uint8Array => new TextEncoder().encode(value);

async function writeAll(folders: BackupFolders, folder: string, name: string, content: string): Promise<void> {
  const token = await folders.beginFile(folder, name);
  await folders.appendFile(token, encode(content));
  await folders.endFile(token, true);
}

describe('names', () => {
  it.each([
    ['a run file', RUN1, true],
    ['a pack file', PACK, true],
    ['run 0', `evb-${SET}-000000.run`, false],
    ['dot-dot', '..', false],
    ['a dot-dot path', `../${RUN1}`, false],
    ['a POSIX path', `/tmp/${RUN1}`, false],
    ['a Windows path', `C:\\backups\\${RUN1}`, false],
    ['a backslash', `x\\${RUN1}`, false],
    ['a NUL', `${RUN1}\u0000`, false],
    ['a newline', `${RUN1}\n`, false],
    ['another extension', `evb-${SET}-000001.exe`, false],
    ['a partial file', `${PACK}.partial-0011223344556677`, false],
    ['upper-case hex', `evb-${SET.toUpperCase()}-000001.run`, false],
    ['an empty name', '', false],
  ])('%s: accepted = %s, as the format reads names', (_label, name, accepted) => {
    expect(isBackupFileName(name)).toBe(accepted);
    expect(isBackupFileName(name)).toBe(parseBackupFileName(name) !== null);
  });
});

describe('folderLabel', () => {
  it.each([
    ['/media/ana/USB STICK', 'linux', 'USB STICK'],
    ['/Volumes/Backups/', 'darwin', 'Backups'],
    ['/', 'linux', '/'],
    ['E:\\Evidence backups', 'win32', 'Evidence backups'],
    ['E:\\', 'win32', 'E:'],
  ] as const)('%s (%s) → %s', (folder, platform, label) => {
    expect(folderLabel(folder, platform)).toBe(label);
  });
});

describe('BackupFolders', () => {
  it('registers the real folder and returns a token and its base name only', async () => {
    const folders = new BackupFolders();
    const picked = await folders.addFolder(dir, 'write');
    expect(Object.keys(picked).sort()).toEqual(['name', 'token']);
    expect(picked.token).toMatch(TOKEN_PATTERN);
    expect(picked.name).toBe('USB backups');
  });

  it.runIf(canSymlink)('resolves a symlinked folder when picked', async () => {
    const link = path.join(root, 'link-to-backups');
    await symlink(dir, link);
    const folders = new BackupFolders();
    const picked = await folders.addFolder(link, 'write');
    expect(picked.name).toBe('USB backups');
    await writeAll(folders, picked.token, RUN1, 'run');
    expect(await readdir(dir)).toEqual([RUN1]);
  });

  it('removes partial files a crash left when the folder is picked to write, and nothing else', async () => {
    const leftover = `${RUN2}.partial-0123456789abcdef`;
    const foreign = 'notes.txt.partial-0123456789abcdef';
    for (const name of [leftover, foreign, RUN1]) await writeFile(path.join(dir, name), 'x');
    await new BackupFolders().addFolder(dir, 'read');
    expect((await readdir(dir)).sort()).toEqual([RUN1, foreign, leftover].sort());
    await new BackupFolders().addFolder(dir, 'write');
    expect((await readdir(dir)).sort()).toEqual([RUN1, foreign].sort());
  });

  it('refuses a file or a missing folder, without its path', async () => {
    const folders = new BackupFolders();
    await writeFile(path.join(root, 'file'), 'x');
    await expect(folders.addFolder(path.join(root, 'file'), 'write')).rejects.toThrow(/Choose a folder/);
    const error = (await folders.addFolder(path.join(root, 'gone'), 'write').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/ENOENT/);
    expect(error.message).not.toContain(root);
    expect(folders.folderCount).toBe(0);
  });

  it('drops the least recently used idle folder past the limit, never one being written', async () => {
    const folders = new BackupFolders({ maxFolders: 2, maxWrites: 4, maxListed: 10 });
    const a = await folders.addFolder(dir, 'write');
    const b = await folders.addFolder(dir, 'write');
    const writing = await folders.beginFile(a.token, RUN1);
    await folders.list(b.token);
    const c = await folders.addFolder(dir, 'read');
    expect(folders.folderCount).toBe(2);
    await expect(folders.list(b.token)).rejects.toThrow(/Unknown backup folder token/);
    await expect(folders.list(c.token)).resolves.toEqual([]);
    await folders.endFile(writing, true);
    await expect(folders.list(a.token)).resolves.toEqual([{ name: RUN1, size: 0 }]);
  });

  describe('list', () => {
    it('lists only regular files under names the format makes, with their sizes', async () => {
      const folders = new BackupFolders();
      const { token } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(dir, RUN1), 'run one');
      await writeFile(path.join(dir, PACK), 'a pack');
      await writeFile(path.join(dir, OTHER_PACK), '');
      await writeFile(path.join(dir, 'notes.txt'), 'foreign');
      await writeFile(path.join(dir, `evb-${SET}-000000.run`), 'run 0');
      await writeFile(path.join(dir, `evb-${SET.toUpperCase()}-000003.run`), 'upper');
      await writeFile(path.join(dir, `${RUN2}.partial-0011223344556677`), 'half');
      await mkdir(path.join(dir, RUN2));
      if (canSymlink) {
        await writeFile(path.join(root, 'outside'), 'secret');
        await symlink(path.join(root, 'outside'), path.join(dir, runFileName(SET, 3)));
      }
      expect(await folders.list(token)).toEqual(
        [
          { name: RUN1, size: 7 },
          { name: PACK, size: 6 },
          { name: OTHER_PACK, size: 0 },
        ].sort((x, y) => (x.name < y.name ? -1 : 1)),
      );
    });

    it('caps the number of files listed', async () => {
      const folders = new BackupFolders({ maxFolders: 2, maxWrites: 1, maxListed: 1 });
      const { token } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(dir, RUN1), '');
      await writeFile(path.join(dir, RUN2), '');
      await expect(folders.list(token)).rejects.toThrow(/too many backup files/);
    });
  });

  describe('read', () => {
    it('reads a chunk, a short tail and nothing at the end; refuses an offset past the end', async () => {
      const folders = new BackupFolders();
      const { token } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(dir, RUN1), '0123456789');
      const chunk = await folders.read(token, RUN1, 2, 4);
      expect(text(chunk)).toBe('2345');
      expect(chunk.buffer.byteLength).toBe(4);
      const tail = await folders.read(token, RUN1, 8, 100);
      expect(text(tail)).toBe('89');
      expect(tail.buffer.byteLength).toBe(2);
      expect((await folders.read(token, RUN1, 10, 5)).byteLength).toBe(0);
      await expect(folders.read(token, RUN1, 11, 1)).rejects.toThrow(/past the end/);
    });

    it('refuses a name the format does not make, even if such a file exists', async () => {
      const folders = new BackupFolders();
      const { token } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(dir, 'notes.txt'), 'foreign');
      await writeFile(path.join(root, RUN1), 'outside the folder');
      await expect(folders.read(token, 'notes.txt', 0, 10)).rejects.toThrow(/Not a backup file name/);
      await expect(folders.read(token, `../${RUN1}`, 0, 10)).rejects.toThrow(/Not a backup file name/);
      await expect(folders.read(token, path.join(root, RUN1), 0, 10)).rejects.toThrow(/Not a backup file name/);
    });

    it.runIf(canSymlink)('refuses a symlink under a backup name', async () => {
      const folders = new BackupFolders();
      const { token } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(root, 'outside'), 'secret');
      await symlink(path.join(root, 'outside'), path.join(dir, RUN1));
      await expect(folders.read(token, RUN1, 0, 10)).rejects.toThrow(/regular backup files/);
    });

    it('refuses a folder under a backup name, and a missing file without its path', async () => {
      const folders = new BackupFolders();
      const { token } = await folders.addFolder(dir, 'read');
      await mkdir(path.join(dir, RUN1));
      await expect(folders.read(token, RUN1, 0, 10)).rejects.toThrow(/regular backup files/);
      const error = (await folders.read(token, RUN2, 0, 10).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/ENOENT/);
      expect(error.message).not.toContain(root);
    });

    it('refuses an unknown folder token', async () => {
      const folders = new BackupFolders();
      await expect(folders.read('11111111-1111-4111-8111-111111111111', RUN1, 0, 1)).rejects.toThrow(
        /Unknown backup folder token/,
      );
    });
  });

  describe('write', () => {
    it('writes under a temporary name; the file appears under its name only at commit', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const token = await folders.beginFile(folder, RUN1);
      expect(token).toMatch(TOKEN_PATTERN);
      await folders.appendFile(token, encode('hello '));
      await folders.appendFile(token, encode('world'));
      const during = await readdir(dir);
      expect(during).toHaveLength(1);
      expect(during[0]).toMatch(new RegExp(`^${RUN1.replace(/\./g, '\\.')}\\.partial-[0-9a-f]{16}$`));
      expect(during).not.toContain(RUN1);
      // The partial file is not a backup file: it is not listed.
      expect(await folders.list(folder)).toEqual([]);
      if (process.platform !== 'win32') expect((await stat(path.join(dir, during[0] ?? ''))).mode & 0o777).toBe(0o600);

      await folders.endFile(token, true);
      expect(await readdir(dir)).toEqual([RUN1]);
      expect(await readFile(path.join(dir, RUN1), 'utf8')).toBe('hello world');
      expect(folders.writeCount).toBe(0);
      await expect(folders.endFile(token, true)).rejects.toThrow(/Unknown backup file token/);
      await expect(folders.appendFile(token, encode('x'))).rejects.toThrow(/Unknown backup file token/);
    });

    it('keeps chunk order even when appends are not awaited one by one', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const token = await folders.beginFile(folder, PACK);
      await Promise.all(Array.from({ length: 20 }, (_, i) => folders.appendFile(token, encode(`${i},`))));
      await folders.endFile(token, true);
      expect(await readFile(path.join(dir, PACK), 'utf8')).toBe(Array.from({ length: 20 }, (_, i) => `${i},`).join(''));
    });

    it('abort leaves nothing behind', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const token = await folders.beginFile(folder, PACK);
      await folders.appendFile(token, new Uint8Array(1000));
      await folders.endFile(token, false);
      expect(await readdir(dir)).toEqual([]);
      expect(folders.writeCount).toBe(0);
    });

    it('refuses a second beginFile of a name being written, from any token of the folder', async () => {
      const folders = new BackupFolders();
      const a = await folders.addFolder(dir, 'write');
      const b = await folders.addFolder(dir, 'write');
      const [first, second] = await Promise.allSettled([
        folders.beginFile(a.token, RUN1),
        folders.beginFile(a.token, RUN1),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(second.status).toBe('rejected');
      await expect(folders.beginFile(b.token, RUN1)).rejects.toThrow(/already being written/);
      await expect(folders.remove(a.token, RUN1)).rejects.toThrow(/being written/);
      if (first.status === 'fulfilled') await folders.endFile(first.value, false);
      // Free again once it ended.
      await writeAll(folders, b.token, RUN1, 'done');
      expect(await readdir(dir)).toEqual([RUN1]);
    });

    it('never replaces an existing file, folder or symlink', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      await writeFile(path.join(dir, RUN1), 'an earlier run');
      await expect(folders.beginFile(folder, RUN1)).rejects.toThrow(/already in the backup folder/);
      await mkdir(path.join(dir, RUN2));
      await expect(folders.beginFile(folder, RUN2)).rejects.toThrow(/already in the backup folder/);
      if (canSymlink) {
        await symlink(path.join(root, 'nowhere'), path.join(dir, PACK));
        await expect(folders.beginFile(folder, PACK)).rejects.toThrow(/already in the backup folder/);
      }
      expect(await readFile(path.join(dir, RUN1), 'utf8')).toBe('an earlier run');
      expect(folders.writeCount).toBe(0);
    });

    it.runIf(canSymlink)('refuses a commit if something appeared under the name meanwhile, and cleans up', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const token = await folders.beginFile(folder, PACK);
      await folders.appendFile(token, encode('pack bytes'));
      await writeFile(path.join(root, 'target'), 'not to be replaced');
      await symlink(path.join(root, 'target'), path.join(dir, PACK));
      await expect(folders.endFile(token, true)).rejects.toThrow(/already in the backup folder/);
      expect(await readdir(dir)).toEqual([PACK]);
      expect(await readFile(path.join(root, 'target'), 'utf8')).toBe('not to be replaced');
    });

    it('refuses names the format does not make', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      for (const name of ['..', `../${RUN1}`, 'evil.sh', `${RUN1}\u0000`, path.join(root, RUN1)]) {
        await expect(folders.beginFile(folder, name)).rejects.toThrow(/Not a backup file name/);
      }
      expect(await readdir(root)).toEqual(['USB backups']);
      expect(await readdir(dir)).toEqual([]);
    });

    it('caps files written at once', async () => {
      const folders = new BackupFolders({ maxFolders: 1, maxWrites: 1, maxListed: 10 });
      const { token: folder } = await folders.addFolder(dir, 'write');
      await folders.beginFile(folder, RUN1);
      await expect(folders.beginFile(folder, RUN2)).rejects.toThrow(/Too many backup files/);
      await folders.dispose();
    });

    it('a folder chosen to restore from can only be read', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'read');
      await writeFile(path.join(dir, RUN1), 'run');
      await expect(folders.beginFile(folder, RUN2)).rejects.toThrow(/reading only/);
      await expect(folders.remove(folder, RUN1)).rejects.toThrow(/reading only/);
      expect(await readdir(dir)).toEqual([RUN1]);
    });

    it('dispose removes unfinished files and forgets every token', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const token = await folders.beginFile(folder, PACK);
      await folders.appendFile(token, new Uint8Array([1, 2, 3]));
      await folders.dispose();
      expect(await readdir(dir)).toEqual([]);
      expect(folders.writeCount).toBe(0);
      expect(folders.folderCount).toBe(0);
      await expect(folders.list(folder)).rejects.toThrow(/Unknown backup folder token/);
      await expect(folders.appendFile(token, new Uint8Array(1))).rejects.toThrow(/Unknown backup file token/);
    });

    it('a dispose while a file is being created leaves nothing behind', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      const begun = folders.beginFile(folder, PACK);
      await folders.dispose();
      await expect(begun).rejects.toThrow(/Unknown backup folder token/);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  describe('remove', () => {
    it('removes a backup file', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      await writeFile(path.join(dir, PACK), 'orphan');
      await writeFile(path.join(dir, RUN1), 'run');
      await folders.remove(folder, PACK);
      expect(await readdir(dir)).toEqual([RUN1]);
    });

    it.runIf(canSymlink)('refuses a symlink and leaves it and its target alone', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      await writeFile(path.join(root, 'target'), 'keep');
      await symlink(path.join(root, 'target'), path.join(dir, PACK));
      await expect(folders.remove(folder, PACK)).rejects.toThrow(/regular backup files/);
      expect(await readdir(dir)).toEqual([PACK]);
      expect(await readFile(path.join(root, 'target'), 'utf8')).toBe('keep');
    });

    it('refuses a folder, a foreign name and a path', async () => {
      const folders = new BackupFolders();
      const { token: folder } = await folders.addFolder(dir, 'write');
      await mkdir(path.join(dir, PACK));
      await writeFile(path.join(dir, 'notes.txt'), 'x');
      await writeFile(path.join(root, RUN1), 'outside');
      await expect(folders.remove(folder, PACK)).rejects.toThrow(/regular backup files/);
      await expect(folders.remove(folder, 'notes.txt')).rejects.toThrow(/Not a backup file name/);
      await expect(folders.remove(folder, `../${RUN1}`)).rejects.toThrow(/Not a backup file name/);
      expect((await readdir(dir)).sort()).toEqual(['notes.txt', PACK].sort());
      expect(await readFile(path.join(root, RUN1), 'utf8')).toBe('outside');
    });
  });
});

// ── Through IPC, as the renderer calls it ──────────────────────────────────

let h: IpcHarness;

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ev-userdata-'));
  h = ipcHarness(dataDir);
});

afterEach(async () => {
  // No reply, value or error, named the folder or anything around it.
  await endIpcHarness(h, root);
  await rm(dataDir, { recursive: true, force: true });
});

async function pickFolder(purpose: 'backup' | 'restore' = 'backup', chosen = dir): Promise<HostBackupFolder> {
  h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [chosen] });
  const picked = (await h.call(IPC.pickBackupFolder, purpose)) as HostBackupFolder | null;
  if (picked === null) throw new Error('no folder');
  return picked;
}

describe('IPC: pickBackupFolder', () => {
  it('opens a folder dialog on the app window and returns a token, the base name and a ref only', async () => {
    const picked = await pickFolder();
    expect(Object.keys(picked).sort()).toEqual(['name', 'ref', 'token']);
    expect(picked.ref).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(picked.token).toMatch(TOKEN_PATTERN);
    expect(picked.name).toBe('USB backups');
    const [owner, options] = h.dialog.showOpenDialog.mock.calls[0] as [unknown, { properties: string[] }];
    expect(owner).toBe(h.win);
    expect(options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
    expect(options.properties).not.toContain('openFile');
    expect(options.properties).not.toContain('multiSelections');
  });

  it('returns null when cancelled', async () => {
    h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(h.call(IPC.pickBackupFolder, 'restore')).resolves.toBeNull();
    expect(h.backups.folderCount).toBe(0);
  });

  it.each([[[]], [['write']], [[42]], [['backup', 'extra']], [[{ purpose: 'backup' }]]])(
    'refuses the arguments %j before opening a dialog',
    async (args) => {
      await expect(h.call(IPC.pickBackupFolder, ...args)).rejects.toThrow(/Invalid arguments/);
      expect(h.dialog.showOpenDialog).not.toHaveBeenCalled();
    },
  );

  it('refuses a sender that is not the app, before opening a dialog', async () => {
    const event = { sender: h.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(
      h.handlers.get(IPC.pickBackupFolder)?.(event as unknown as IpcMainInvokeEvent, 'backup'),
    ).rejects.toThrow(/refused/);
    expect(h.dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});

describe('IPC: a backup and a restore', () => {
  it('writes, lists, reads and removes by token and name, never by path', async () => {
    const target = await pickFolder('backup');
    await writeFile(path.join(dir, 'holiday.jpg'), 'foreign');

    const packToken = await h.call(IPC.beginBackupFile, target.token, PACK);
    expect(packToken).toMatch(TOKEN_PATTERN);
    await h.call(IPC.appendBackupFile, packToken, encode('pack '));
    await h.call(IPC.appendBackupFile, packToken, new Uint8Array(MAX_IPC_CHUNK_BYTES).fill(1));
    expect(await h.call(IPC.listBackupFiles, target.token)).toEqual([]);
    await expect(h.call(IPC.endBackupFile, packToken, true)).resolves.toBeUndefined();

    const runToken = await h.call(IPC.beginBackupFile, target.token, RUN1);
    await h.call(IPC.appendBackupFile, runToken, encode('run one'));
    await h.call(IPC.endBackupFile, runToken, true);

    const orphan = await h.call(IPC.beginBackupFile, target.token, OTHER_PACK);
    await h.call(IPC.appendBackupFile, orphan, encode('cut short'));
    await h.call(IPC.endBackupFile, orphan, false);

    const listed = [
      { name: PACK, size: 5 + MAX_IPC_CHUNK_BYTES },
      { name: RUN1, size: 7 },
    ].sort((x, y) => (x.name < y.name ? -1 : 1));
    expect(await h.call(IPC.listBackupFiles, target.token)).toEqual(listed);

    // A restore picks the same folder: its token reads, and only reads.
    const source = await pickFolder('restore');
    expect(source.token).not.toBe(target.token);
    expect(await h.call(IPC.listBackupFiles, source.token)).toEqual(listed);
    const chunk = (await h.call(IPC.readBackupChunk, source.token, RUN1, 4, 100)) as Uint8Array;
    expect(text(chunk)).toBe('one');
    const big = (await h.call(IPC.readBackupChunk, source.token, PACK, 0, MAX_IPC_CHUNK_BYTES)) as Uint8Array;
    expect(big.byteLength).toBe(MAX_IPC_CHUNK_BYTES);
    expect(text(big.subarray(0, 5))).toBe('pack ');
    await expect(h.call(IPC.readBackupChunk, source.token, RUN1, 8, 1)).rejects.toThrow(/past the end/);
    await expect(h.call(IPC.beginBackupFile, source.token, RUN2)).rejects.toThrow(/reading only/);
    await expect(h.call(IPC.removeBackupFile, source.token, PACK)).rejects.toThrow(/reading only/);

    await h.call(IPC.removeBackupFile, target.token, PACK);
    expect((await readdir(dir)).sort()).toEqual(['holiday.jpg', RUN1].sort());
  });

  it('refuses unknown or closed tokens', async () => {
    const target = await pickFolder();
    const unknown = '11111111-1111-4111-8111-111111111111';
    await expect(h.call(IPC.listBackupFiles, unknown)).rejects.toThrow(/Unknown backup folder token/);
    await expect(h.call(IPC.readBackupChunk, unknown, RUN1, 0, 1)).rejects.toThrow(/Unknown backup folder token/);
    await expect(h.call(IPC.beginBackupFile, unknown, RUN1)).rejects.toThrow(/Unknown backup folder token/);
    await expect(h.call(IPC.removeBackupFile, unknown, RUN1)).rejects.toThrow(/Unknown backup folder token/);
    await expect(h.call(IPC.appendBackupFile, unknown, new Uint8Array(1))).rejects.toThrow(/Unknown backup file token/);
    await expect(h.call(IPC.endBackupFile, unknown, true)).rejects.toThrow(/Unknown backup file token/);
    // A folder token is not a file token, and the other way round.
    await expect(h.call(IPC.appendBackupFile, target.token, new Uint8Array(1))).rejects.toThrow(/Unknown backup file/);
    const file = await h.call(IPC.beginBackupFile, target.token, RUN1);
    await expect(h.call(IPC.listBackupFiles, file)).rejects.toThrow(/Unknown backup folder token/);
    await h.call(IPC.endBackupFile, file, false);
    await expect(h.call(IPC.endBackupFile, file, false)).rejects.toThrow(/Unknown backup file token/);
  });

  it('reports a failed write with an error code only', async () => {
    const target = await pickFolder();
    await rm(dir, { recursive: true });
    await expect(h.call(IPC.beginBackupFile, target.token, RUN1)).rejects.toThrow(/ENOENT/);
    await expect(h.call(IPC.listBackupFiles, target.token)).rejects.toThrow(/ENOENT/);
  });
});

describe('IPC: argument validation', () => {
  const badNames: [string, unknown][] = [
    ['dot-dot', '..'],
    ['a dot-dot path', `../${RUN1}`],
    ['a POSIX path', `/etc/${RUN1}`],
    ['an absolute path', '/etc/passwd'],
    ['a Windows path', `C:\\Users\\victim\\${RUN1}`],
    ['a backslash', `..\\${RUN1}`],
    ['a NUL', `${RUN1}\u0000.txt`],
    ['another extension', `evb-${SET}-000001.exe`],
    ['a partial file', `${RUN1}.partial-0011223344556677`],
    ['upper-case hex', `evb-${SET.toUpperCase()}-000001.run`],
    ['a foreign file', 'holiday.jpg'],
    ['an empty name', ''],
    ['a long name', `${'a'.repeat(200)}.run`],
    ['a number', 42],
    ['an object', { toString: () => RUN1 }],
  ];

  it.each(badNames)('beginBackupFile refuses %s and writes nothing', async (_label, name) => {
    const target = await pickFolder();
    await expect(h.call(IPC.beginBackupFile, target.token, name)).rejects.toThrow(/Invalid arguments/);
    expect(await readdir(dir)).toEqual([]);
    expect(await readdir(root)).toEqual(['USB backups']);
  });

  it.each(badNames)('readBackupChunk refuses %s', async (_label, name) => {
    const source = await pickFolder('restore');
    await writeFile(path.join(dir, 'holiday.jpg'), 'foreign');
    await expect(h.call(IPC.readBackupChunk, source.token, name, 0, 10)).rejects.toThrow(/Invalid arguments/);
  });

  it.each(badNames)('removeBackupFile refuses %s and removes nothing', async (_label, name) => {
    const target = await pickFolder();
    await writeFile(path.join(dir, 'holiday.jpg'), 'foreign');
    await expect(h.call(IPC.removeBackupFile, target.token, name)).rejects.toThrow(/Invalid arguments/);
    expect(await readdir(dir)).toEqual(['holiday.jpg']);
  });

  it.each([
    ['negative offset', [RUN1, -1, 10]],
    ['fractional offset', [RUN1, 0.5, 10]],
    ['unsafe offset', [RUN1, 2 ** 60, 10]],
    ['string offset', [RUN1, '0', 10]],
    ['oversized length', [RUN1, 0, MAX_IPC_CHUNK_BYTES + 1]],
    ['negative length', [RUN1, 0, -1]],
    ['missing length', [RUN1, 0]],
    ['extra argument', [RUN1, 0, 10, 'extra']],
  ])('readBackupChunk refuses %s', async (_label, args) => {
    const source = await pickFolder('restore');
    await writeFile(path.join(dir, RUN1), 'run');
    await expect(h.call(IPC.readBackupChunk, source.token, ...args)).rejects.toThrow(/Invalid arguments/);
  });

  it.each([
    ['a path as folder token', () => [dir]],
    ['a relative path as folder token', () => ['../..']],
    ['a number', () => [1]],
    ['no token', () => []],
  ])('listBackupFiles refuses %s', async (_label, args) => {
    await expect(h.call(IPC.listBackupFiles, ...args())).rejects.toThrow(/Invalid arguments/);
  });

  it.each([
    ['a plain array', [1, 2, 3]],
    ['a string', 'bytes'],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['an oversized Uint8Array', new Uint8Array(MAX_IPC_CHUNK_BYTES + 1)],
  ])('appendBackupFile refuses %s', async (_label, bytes) => {
    const target = await pickFolder();
    const token = await h.call(IPC.beginBackupFile, target.token, PACK);
    await expect(h.call(IPC.appendBackupFile, token, bytes)).rejects.toThrow(/Invalid arguments/);
    await h.call(IPC.endBackupFile, token, false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('endBackupFile needs a boolean', async () => {
    const target = await pickFolder();
    const token = await h.call(IPC.beginBackupFile, target.token, PACK);
    await expect(h.call(IPC.endBackupFile, token, 'yes')).rejects.toThrow(/Invalid arguments/);
    await expect(h.call(IPC.endBackupFile, token, 1)).rejects.toThrow(/Invalid arguments/);
  });
});
