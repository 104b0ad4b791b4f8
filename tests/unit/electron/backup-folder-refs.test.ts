import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_FOLDER_KEY_FILE, BackupFolderRefs, MAX_SEALED_PATH_BYTES } from '../../../electron/backup-folder-refs';
import { IPC, MAX_BACKUP_FOLDER_REF_LENGTH, type HostBackupFolder } from '../../../electron/host-api';
import { runFileName } from '../../../renderer/src/vault/worker/backup/names';
import { endIpcHarness, ipcHarness, type IpcHarness } from '../../support/ipc-harness';

const TOKEN_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const RUN1 = runFileName('0123456789abcdef0123456789abcdef', 1);

let root: string;
/** The app's data folder (userData), where the key lives. */
let dataDir: string;
/** Another installation's data folder. */
let otherDataDir: string;
/** The backup folder, as the user would pick it. */
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ev-refs-'));
  dataDir = path.join(root, 'userData');
  otherDataDir = path.join(root, 'other userData');
  dir = path.join(root, 'USB backups');
  for (const folder of [dataDir, otherDataDir, dir]) await mkdir(folder);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `ref` with the character at `index` replaced by another base64url character. */
function flip(ref: string, index: number): string {
  const current = ref[index]!;
  const other = BASE64URL_CHARS[(BASE64URL_CHARS.indexOf(current) + 1) % BASE64URL_CHARS.length]!;
  return ref.slice(0, index) + other + ref.slice(index + 1);
}

describe('BackupFolderRefs', () => {
  it('opens what it sealed', async () => {
    const refs = new BackupFolderRefs(dataDir);
    const ref = await refs.seal(dir);
    expect(ref).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ref!.length).toBeLessThanOrEqual(MAX_BACKUP_FOLDER_REF_LENGTH);
    await expect(refs.open(ref!)).resolves.toBe(dir);
    // A later start reads the same key file.
    await expect(new BackupFolderRefs(dataDir).open(ref!)).resolves.toBe(dir);
  });

  it('seals a non-ASCII path, and each seal differs (random nonce)', async () => {
    const refs = new BackupFolderRefs(dataDir);
    const folder = path.join(root, 'ឯកសារ — preuves');
    const [a, b] = [await refs.seal(folder), await refs.seal(folder)];
    expect(a).not.toBe(b);
    await expect(refs.open(a!)).resolves.toBe(folder);
    await expect(refs.open(b!)).resolves.toBe(folder);
  });

  it('does not open a ref made under another key', async () => {
    const ref = await new BackupFolderRefs(otherDataDir).seal(dir);
    const refs = new BackupFolderRefs(dataDir);
    await refs.seal(path.join(root, 'anything')); // this installation has a key too
    await expect(refs.open(ref!)).resolves.toBeNull();
  });

  it('does not open a ref with any one character changed', async () => {
    const refs = new BackupFolderRefs(dataDir);
    const ref = (await refs.seal(dir))!;
    for (let index = 0; index < ref.length; index++) {
      await expect(refs.open(flip(ref, index))).resolves.toBeNull();
    }
  });

  it('does not open a truncated or extended ref', async () => {
    const refs = new BackupFolderRefs(dataDir);
    const ref = (await refs.seal(dir))!;
    for (const length of [0, 1, 2, 16, 40, ref.length - 4, ref.length - 2, ref.length - 1]) {
      await expect(refs.open(ref.slice(0, length))).resolves.toBeNull();
    }
    await expect(refs.open(`${ref}A`)).resolves.toBeNull();
    await expect(refs.open(`${ref}AAAA`)).resolves.toBeNull();
  });

  it.each([
    ['padding', (ref: string) => `${ref}==`],
    ['standard base64 characters', (ref: string) => ref.replace(/[A-Za-z]/, '+')],
    ['white space', (ref: string) => ` ${ref}`],
    [
      'another version byte',
      (ref: string) => Buffer.from([2, ...Buffer.from(ref, 'base64url').subarray(1)]).toString('base64url'),
    ],
    ['an over-long ref', () => 'A'.repeat(MAX_BACKUP_FOLDER_REF_LENGTH + 4)],
  ])('does not open a ref with %s', async (_label, change) => {
    const refs = new BackupFolderRefs(dataDir);
    const ref = (await refs.seal(dir))!;
    await expect(refs.open(change(ref))).resolves.toBeNull();
  });

  it('never holds the path in clear', async () => {
    const ref = (await new BackupFolderRefs(dataDir).seal(dir))!;
    const bytes = Buffer.from(ref, 'base64url');
    expect(bytes.includes(Buffer.from(dir, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('USB backups', 'utf8'))).toBe(false);
    expect(ref).not.toContain('USB');
  });

  it('creates the key file on the first seal only: 32 bytes, owner-only', async () => {
    const refs = new BackupFolderRefs(dataDir);
    await expect(refs.open('AQ')).resolves.toBeNull();
    expect(await readdir(dataDir)).toEqual([]); // opening never makes a key
    await refs.seal(dir);
    expect(await readdir(dataDir)).toEqual([BACKUP_FOLDER_KEY_FILE]); // no temporary file left
    const keyFile = path.join(dataDir, BACKUP_FOLDER_KEY_FILE);
    expect((await readFile(keyFile)).byteLength).toBe(32);
    if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('makes one key when two first seals run at once', async () => {
    const refs = new BackupFolderRefs(dataDir);
    const [a, b] = await Promise.all([refs.seal(dir), refs.seal(root)]);
    const fresh = new BackupFolderRefs(dataDir);
    await expect(fresh.open(a!)).resolves.toBe(dir);
    await expect(fresh.open(b!)).resolves.toBe(root);
  });

  it('uses a key another creator wrote first, and never replaces a key file', async () => {
    const first = new BackupFolderRefs(dataDir);
    const ref = (await first.seal(dir))!;
    const key = await readFile(path.join(dataDir, BACKUP_FOLDER_KEY_FILE));
    // A second instance that had not read the key yet.
    const second = new BackupFolderRefs(dataDir);
    await expect(second.open((await second.seal(root))!)).resolves.toBe(root);
    expect(await readFile(path.join(dataDir, BACKUP_FOLDER_KEY_FILE))).toEqual(key);
    await expect(second.open(ref)).resolves.toBe(dir);
  });

  it('treats a key file of the wrong size as no key, and does not overwrite it', async () => {
    const ref = (await new BackupFolderRefs(dataDir).seal(dir))!;
    const keyFile = path.join(dataDir, BACKUP_FOLDER_KEY_FILE);
    await writeFile(keyFile, Buffer.alloc(31, 7));
    const refs = new BackupFolderRefs(dataDir);
    await expect(refs.open(ref)).resolves.toBeNull();
    await expect(refs.seal(dir)).rejects.toThrow();
    expect(await readFile(keyFile)).toEqual(Buffer.alloc(31, 7));
    expect(await readdir(dataDir)).toEqual([BACKUP_FOLDER_KEY_FILE]);
  });

  it('makes no ref for a path too long to fit, and fits the longest one that does', async () => {
    const refs = new BackupFolderRefs(dataDir);
    await expect(refs.seal(`/${'a'.repeat(MAX_SEALED_PATH_BYTES)}`)).resolves.toBeNull();
    await expect(refs.seal(`/${'ក'.repeat(Math.ceil(MAX_SEALED_PATH_BYTES / 3))}`)).resolves.toBeNull();
    const longest = `/${'a'.repeat(MAX_SEALED_PATH_BYTES - 1)}`;
    const ref = (await refs.seal(longest))!;
    expect(ref.length).toBeLessThanOrEqual(MAX_BACKUP_FOLDER_REF_LENGTH);
    await expect(refs.open(ref)).resolves.toBe(longest);
  });
});

// ── Through IPC, as the renderer calls it ──────────────────────────────────

interface Harness extends IpcHarness {
  /** Registers the handlers again on a fresh BackupFolders: the app restarted (same data folder). */
  restart: () => void;
}

let h: Harness;

function makeHarness(replies: unknown[] = []): Harness {
  const harness = ipcHarness(dataDir, replies);
  return {
    ...harness,
    restart: () => {
      void harness.backups.dispose();
      h = makeHarness(replies);
    },
  };
}

beforeEach(() => {
  h = makeHarness();
});

afterEach(async () => {
  // No reply, value or error, named a folder or anything around it.
  await endIpcHarness(h, root);
});

async function pickFolder(purpose: 'backup' | 'restore', chosen = dir): Promise<HostBackupFolder> {
  h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [chosen] });
  const picked = (await h.call(IPC.pickBackupFolder, purpose)) as HostBackupFolder | null;
  if (picked === null) throw new Error('no folder');
  return picked;
}

describe('IPC: pickBackupFolder refs', () => {
  it('gives a folder picked for backups a ref to its real path', async () => {
    const picked = await pickFolder('backup');
    expect(Object.keys(picked).sort()).toEqual(['name', 'ref', 'token']);
    await expect(new BackupFolderRefs(dataDir).open(picked.ref!)).resolves.toBe(await realpath(dir));
  });

  it('gives a folder picked to restore from no ref', async () => {
    const picked = await pickFolder('restore');
    expect(Object.keys(picked).sort()).toEqual(['name', 'token']);
    expect(await readdir(dataDir)).toEqual([]); // no key made either
  });

  it('still picks the folder when no ref can be made (an unusable key file)', async () => {
    await writeFile(path.join(dataDir, BACKUP_FOLDER_KEY_FILE), 'short');
    const picked = await pickFolder('backup');
    expect(Object.keys(picked).sort()).toEqual(['name', 'token']);
    await expect(h.call(IPC.beginBackupFile, picked.token, RUN1)).resolves.toMatch(TOKEN_PATTERN);
  });
});

describe('IPC: reopenBackupFolder', () => {
  it('opens the folder again to write, after a restart, with a new token, its name and the same ref', async () => {
    const picked = await pickFolder('backup');
    h.restart();
    const reopened = (await h.call(IPC.reopenBackupFolder, picked.ref)) as HostBackupFolder;
    expect(h.dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(Object.keys(reopened).sort()).toEqual(['name', 'ref', 'token']);
    expect(reopened.token).toMatch(TOKEN_PATTERN);
    expect(reopened.token).not.toBe(picked.token);
    expect(reopened.name).toBe('USB backups');
    expect(reopened.ref).toBe(picked.ref);
    const write = (await h.call(IPC.beginBackupFile, reopened.token, RUN1)) as string;
    await h.call(IPC.appendBackupFile, write, new TextEncoder().encode('run'));
    await h.call(IPC.endBackupFile, write, true);
    expect(await readFile(path.join(dir, RUN1), 'utf8')).toBe('run');
  });

  it('sweeps partial files a crash left, as a pick to write does', async () => {
    const picked = await pickFolder('backup');
    const leftover = `${RUN1}.partial-0123456789abcdef`;
    await writeFile(path.join(dir, leftover), 'x');
    await h.call(IPC.reopenBackupFolder, picked.ref);
    expect(await readdir(dir)).toEqual([]);
  });

  it('returns null when the folder is gone (a stick not plugged in)', async () => {
    const picked = await pickFolder('backup');
    await rm(dir, { recursive: true });
    await expect(h.call(IPC.reopenBackupFolder, picked.ref)).resolves.toBeNull();
    expect(h.backups.folderCount).toBe(1); // only the original pick
  });

  it('returns null when a regular file now stands where the folder was', async () => {
    const picked = await pickFolder('backup');
    await rm(dir, { recursive: true });
    await writeFile(dir, 'not a folder');
    await expect(h.call(IPC.reopenBackupFolder, picked.ref)).resolves.toBeNull();
  });

  it('returns null for a ref another installation made, or an altered one', async () => {
    const picked = await pickFolder('backup');
    const foreign = (await new BackupFolderRefs(otherDataDir).seal(await realpath(dir)))!;
    await expect(h.call(IPC.reopenBackupFolder, foreign)).resolves.toBeNull();
    await expect(h.call(IPC.reopenBackupFolder, flip(picked.ref!, 5))).resolves.toBeNull();
    await expect(h.call(IPC.reopenBackupFolder, picked.ref!.slice(0, -3))).resolves.toBeNull();
  });

  it('returns null when the key file is gone', async () => {
    const picked = await pickFolder('backup');
    await rm(path.join(dataDir, BACKUP_FOLDER_KEY_FILE));
    h.restart();
    await expect(h.call(IPC.reopenBackupFolder, picked.ref)).resolves.toBeNull();
  });

  it.each([
    ['an empty string', () => ['']],
    ['a path', () => [dir]],
    ['a relative path', () => ['../..']],
    ['standard base64', () => ['ab+c/d==']],
    ['padding', () => ['AQ==']],
    ['white space', () => ['AQ AQ']],
    ['a NUL', () => ['AQ\u0000']],
    ['an over-long string', () => ['A'.repeat(MAX_BACKUP_FOLDER_REF_LENGTH + 1)]],
    ['a number', () => [42]],
    ['an object', () => [{ toString: () => 'AQ' }]],
    ['no argument', () => []],
    ['an extra argument', () => ['AQ', 'AQ']],
  ])('refuses %s', async (_label, args) => {
    await expect(h.call(IPC.reopenBackupFolder, ...args())).rejects.toThrow(/Invalid arguments/);
    expect(h.backups.folderCount).toBe(0);
  });

  it('accepts a well-formed ref of the longest length (null: not one of ours)', async () => {
    await expect(h.call(IPC.reopenBackupFolder, 'A'.repeat(MAX_BACKUP_FOLDER_REF_LENGTH))).resolves.toBeNull();
  });
});
