import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostFileError, HostFiles, toHostFileError } from '../../../electron/host-files';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeFiles(count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const filePath = path.join(dir, `f${i}.bin`);
    await writeFile(filePath, `file ${i}`);
    paths.push(filePath);
  }
  return paths;
}

describe('read side', () => {
  it('opens lazily and caps open descriptors (least recently used closed first)', async () => {
    const files = new HostFiles({ maxFileTokens: 100, maxOpenHandles: 3, maxSaves: 1 });
    const handles = await files.addFiles(await makeFiles(6));
    expect(files.openHandleCount).toBe(0);
    for (const [i, handle] of handles.entries()) {
      const bytes = await files.read(handle.token, 0, 64);
      expect(Buffer.from(bytes).toString()).toBe(`file ${i}`);
      expect(files.openHandleCount).toBeLessThanOrEqual(3);
    }
    // An evicted file is reopened transparently.
    const first = handles[0];
    expect(Buffer.from(await files.read(first?.token ?? '', 0, 64)).toString()).toBe('file 0');
    await files.dispose();
    expect(files.openHandleCount).toBe(0);
    expect(files.openFileCount).toBe(0);
  });

  it('caps the number of tokens', async () => {
    const files = new HostFiles({ maxFileTokens: 3, maxOpenHandles: 2, maxSaves: 1 });
    await files.addFiles(await makeFiles(2));
    await expect(files.addFiles(await makeFiles(2))).rejects.toThrow(/Too many files/);
    expect(files.openFileCount).toBe(2);
  });

  it('refuses directories', async () => {
    const files = new HostFiles();
    await expect(files.addFiles([dir])).rejects.toThrow(/regular files/);
  });

  it('serves concurrent reads of one token from a single descriptor', async () => {
    const files = new HostFiles({ maxFileTokens: 10, maxOpenHandles: 1, maxSaves: 1 });
    const [handle] = await files.addFiles(await makeFiles(1));
    const token = handle?.token ?? '';
    const chunks = await Promise.all([files.read(token, 0, 4), files.read(token, 5, 1), files.read(token, 0, 64)]);
    expect(chunks.map((c) => Buffer.from(c).toString())).toEqual(['file', '0', 'file 0']);
    expect(files.openHandleCount).toBe(1);
    await files.dispose();
  });
});

describe('write side', () => {
  it('keeps chunk order even when writes are not awaited one by one', async () => {
    const files = new HostFiles();
    const target = path.join(dir, 'out.bin');
    const token = await files.beginSave(target);
    await Promise.all(Array.from({ length: 20 }, (_, i) => files.writeSave(token, new TextEncoder().encode(`${i},`))));
    await files.endSave(token, true);
    expect(await readFile(target, 'utf8')).toBe(Array.from({ length: 20 }, (_, i) => `${i},`).join(''));
  });

  it('caps concurrent saves', async () => {
    const files = new HostFiles({ maxFileTokens: 1, maxOpenHandles: 1, maxSaves: 2 });
    await files.beginSave(path.join(dir, 'a'));
    await files.beginSave(path.join(dir, 'b'));
    await expect(files.beginSave(path.join(dir, 'c'))).rejects.toThrow(/Too many saves/);
    await files.dispose();
  });

  it('dispose removes unfinished partial files', async () => {
    const files = new HostFiles();
    const token = await files.beginSave(path.join(dir, 'out.bin'));
    await files.writeSave(token, new Uint8Array([1, 2, 3]));
    expect((await readdir(dir)).length).toBe(1);
    await files.dispose();
    expect(await readdir(dir)).toEqual([]);
    expect(files.saveCount).toBe(0);
  });

  it('reports a failed create with a code, never the path', async () => {
    const files = new HostFiles();
    const error = (await files.beginSave(path.join(dir, 'missing-dir', 'out.bin')).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(HostFileError);
    expect(error.message).toMatch(/ENOENT/);
    expect(error.message).not.toContain(dir);
  });
});

describe('saveBytes', () => {
  it('saves through a partial file and returns the check read back from disk', async () => {
    const files = new HostFiles();
    const target = path.join(dir, 'report.pdf');
    const check = await files.saveBytes(target, new TextEncoder().encode('hello world'));
    expect(check).toEqual({ sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', size: 11 });
    expect(await readFile(target, 'utf8')).toBe('hello world');
    expect(await readdir(dir)).toEqual(['report.pdf']);
    expect(files.saveCount).toBe(0);
  });

  it('counts against the limit on saves in progress', async () => {
    const files = new HostFiles({ maxFileTokens: 1, maxOpenHandles: 1, maxSaves: 1 });
    await files.beginSave(path.join(dir, 'a'));
    await expect(files.saveBytes(path.join(dir, 'b'), new Uint8Array([1]))).rejects.toThrow(/Too many saves/);
    await files.dispose();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('toHostFileError', () => {
  it('keeps only the error code', () => {
    const fsError = Object.assign(new Error(`EACCES: permission denied, open '/home/x/secret.pdf'`), {
      code: 'EACCES',
    });
    const safe = toHostFileError(fsError, 'The file could not be read');
    expect(safe.message).toBe('The file could not be read (EACCES).');
  });
});
