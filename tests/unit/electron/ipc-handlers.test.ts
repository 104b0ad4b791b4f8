import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { PDF_OPTIONS, pdfFileName, registerIpcHandlers, sanitizeSuggestedName } from '../../../electron/ipc-handlers';
import { HostFiles } from '../../../electron/host-files';
import { BackupFolders } from '../../../electron/backup-folder';
import { BackupFolderRefs } from '../../../electron/backup-folder-refs';
import {
  APP_ORIGIN,
  IPC,
  MAX_FILES_PER_PICK,
  MAX_IPC_CHUNK_BYTES,
  type HostFileHandle,
} from '../../../electron/host-api';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

interface Harness {
  dir: string;
  handlers: Map<string, Handler>;
  win: BrowserWindow;
  webContents: { id: number; printToPDF: ReturnType<typeof vi.fn> };
  dialog: { showOpenDialog: ReturnType<typeof vi.fn>; showSaveDialog: ReturnType<typeof vi.fn> };
  files: HostFiles;
  backups: BackupFolders;
  trusted: IpcMainInvokeEvent;
  call: (channel: string, ...args: unknown[]) => Promise<unknown>;
}

let h: Harness;

function frameEvent(webContents: object, frame: { url: string; parent: object | null } | null): IpcMainInvokeEvent {
  return { sender: webContents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

beforeEach(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ev-ipc-'));
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => handlers.set(channel, handler)),
  };
  const webContents = { id: 1, printToPDF: vi.fn() };
  const win = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
  const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() };
  const files = new HostFiles();
  const backups = new BackupFolders();
  registerIpcHandlers({
    ipcMain,
    dialog,
    getWindow: () => win,
    files,
    backups,
    backupRefs: new BackupFolderRefs(dir),
    appVersion: '1.2.3',
  });
  const trusted = frameEvent(webContents, { url: `${APP_ORIGIN}/index.html`, parent: null });
  const call = (channel: string, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(trusted, ...args);
  };
  h = { dir, handlers, win, webContents, dialog, files, backups, trusted, call };
});

afterEach(async () => {
  await h.files.dispose();
  await h.backups.dispose();
  await rm(h.dir, { recursive: true, force: true });
});

async function pick(...contents: (string | Uint8Array)[]): Promise<HostFileHandle[]> {
  const paths: string[] = [];
  for (const [index, content] of contents.entries()) {
    const filePath = path.join(h.dir, `evidence-${index}.pdf`);
    await writeFile(filePath, content);
    paths.push(filePath);
  }
  h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: paths });
  return (await h.call(IPC.openFiles)) as HostFileHandle[];
}

describe('registration', () => {
  it('handles every invoke channel of the contract', () => {
    const invokeChannels = Object.entries(IPC)
      .filter(([key]) => key !== 'lockRequest')
      .map(([, channel]) => channel);
    expect([...h.handlers.keys()].sort()).toEqual(invokeChannels.sort());
  });
});

describe('sender checks', () => {
  const channels = [
    [IPC.appVersion, []],
    [IPC.openFiles, []],
    [IPC.readFileChunk, ['00000000-0000-4000-8000-000000000000', 0, 1]],
    [IPC.closeFile, ['00000000-0000-4000-8000-000000000000']],
    [IPC.beginSave, ['bundle.evb']],
    [IPC.writeSaveChunk, ['00000000-0000-4000-8000-000000000000', new Uint8Array(1)]],
    [IPC.endSave, ['00000000-0000-4000-8000-000000000000', false]],
    [IPC.printToPdf, ['report.pdf']],
    [IPC.pickBackupFolder, ['backup']],
    [IPC.listBackupFiles, ['00000000-0000-4000-8000-000000000000']],
    [IPC.readBackupChunk, ['00000000-0000-4000-8000-000000000000', `evb-${'a'.repeat(32)}-000001.run`, 0, 1]],
    [IPC.beginBackupFile, ['00000000-0000-4000-8000-000000000000', `evb-${'a'.repeat(32)}-000001.run`]],
    [IPC.appendBackupFile, ['00000000-0000-4000-8000-000000000000', new Uint8Array(1)]],
    [IPC.endBackupFile, ['00000000-0000-4000-8000-000000000000', false]],
    [IPC.removeBackupFile, ['00000000-0000-4000-8000-000000000000', `evb-${'a'.repeat(32)}-000001.run`]],
    [IPC.reopenBackupFolder, ['AQ']],
  ] as const;

  it.each(channels)('%s rejects a null senderFrame', async (channel, args) => {
    const event = frameEvent(h.webContents, null);
    await expect(h.handlers.get(channel)?.(event, ...args)).rejects.toThrow(/refused/);
  });

  it.each(channels)('%s rejects a foreign origin', async (channel, args) => {
    const event = frameEvent(h.webContents, { url: 'https://evil.example/', parent: null });
    await expect(h.handlers.get(channel)?.(event, ...args)).rejects.toThrow(/refused/);
  });

  it.each([
    ['another host on our scheme', 'evidence-vault://evil/index.html'],
    ['file://', 'file:///tmp/index.html'],
    ['about:blank', 'about:blank'],
    ['data:', 'data:text/html,x'],
  ])('rejects %s', async (_label, url) => {
    const event = frameEvent(h.webContents, { url, parent: null });
    await expect(h.handlers.get(IPC.appVersion)?.(event)).rejects.toThrow(/refused/);
  });

  it('rejects a subframe, even on the app origin', async () => {
    const event = frameEvent(h.webContents, { url: `${APP_ORIGIN}/index.html`, parent: {} });
    await expect(h.handlers.get(IPC.appVersion)?.(event)).rejects.toThrow(/refused/);
  });

  it('rejects another webContents, even on the app origin', async () => {
    const event = frameEvent({ id: 2 }, { url: `${APP_ORIGIN}/index.html`, parent: null });
    await expect(h.handlers.get(IPC.appVersion)?.(event)).rejects.toThrow(/refused/);
  });

  it('does not open a dialog for a refused sender', async () => {
    const event = frameEvent(h.webContents, { url: 'https://evil.example/', parent: null });
    await expect(h.handlers.get(IPC.openFiles)?.(event)).rejects.toThrow();
    expect(h.dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('does not print for a refused sender', async () => {
    const event = frameEvent(h.webContents, { url: `${APP_ORIGIN}/index.html`, parent: {} });
    await expect(h.handlers.get(IPC.printToPdf)?.(event, 'report.pdf')).rejects.toThrow(/refused/);
    expect(h.webContents.printToPDF).not.toHaveBeenCalled();
    expect(h.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('accepts the app main frame', async () => {
    await expect(h.call(IPC.appVersion)).resolves.toBe('1.2.3');
  });
});

describe('argument validation', () => {
  it.each([
    ['negative offset', ['TOKEN', -1, 10]],
    ['fractional offset', ['TOKEN', 1.5, 10]],
    ['unsafe offset', ['TOKEN', 2 ** 60, 10]],
    ['NaN offset', ['TOKEN', Number.NaN, 10]],
    ['string offset', ['TOKEN', '0', 10]],
    ['oversized length', ['TOKEN', 0, MAX_IPC_CHUNK_BYTES + 1]],
    ['negative length', ['TOKEN', 0, -5]],
    ['missing length', ['TOKEN', 0]],
    ['extra argument', ['TOKEN', 0, 10, 'extra']],
    ['malformed token', ['../../etc/passwd', 0, 10]],
    ['path as token', ['/etc/passwd', 0, 10]],
    ['object as token', [{ toString: () => 'x' }, 0, 10]],
  ])('readFileChunk refuses %s', async (_label, args) => {
    const [file] = await pick('hello');
    const real = args.map((arg) => (arg === 'TOKEN' ? file?.token : arg));
    await expect(h.call(IPC.readFileChunk, ...real)).rejects.toThrow(/Invalid arguments/);
  });

  it('readFileChunk refuses an unknown (well-formed) token', async () => {
    await expect(h.call(IPC.readFileChunk, '11111111-1111-4111-8111-111111111111', 0, 10)).rejects.toThrow(
      /Unknown file token/,
    );
  });

  it.each([
    ['a plain array', [1, 2, 3]],
    ['a string', 'bytes'],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['an Int8Array', new Int8Array(4)],
    ['an oversized Uint8Array', new Uint8Array(MAX_IPC_CHUNK_BYTES + 1)],
  ])('writeSaveChunk refuses %s', async (_label, bytes) => {
    const token = await beginSave('out.evb');
    await expect(h.call(IPC.writeSaveChunk, token, bytes)).rejects.toThrow(/Invalid arguments/);
  });

  it('writeSaveChunk refuses an unknown token', async () => {
    await expect(h.call(IPC.writeSaveChunk, '11111111-1111-4111-8111-111111111111', new Uint8Array(1))).rejects.toThrow(
      /Unknown save token/,
    );
  });

  it.each([
    ['a POSIX path', '/etc/cron.d/evil'],
    ['a relative path', '../../.bashrc'],
    ['a Windows path', 'C:\\Users\\victim\\evil.exe'],
    ['a control character', 'report\u0000.pdf'],
    ['a newline', 'report\n.pdf'],
    ['an empty name', ''],
    ['dot-dot', '..'],
    ['an over-long name', 'a'.repeat(256)],
    ['a name of 255 characters but 765 bytes', 'ក'.repeat(255)],
    ['a number', 42],
  ])('beginSave refuses %s as suggestedName', async (_label, name) => {
    await expect(h.call(IPC.beginSave, name)).rejects.toThrow(/Invalid arguments/);
    expect(h.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it.each([
    ['a number', [42]],
    ['an object', [{ toString: () => 'report.pdf' }]],
    ['null', [null]],
    ['a POSIX path', ['/home/victim/report.pdf']],
    ['a relative path', ['../report.pdf']],
    ['a Windows path', ['C:\\Users\\victim\\report.pdf']],
    ['a control character', ['report\u0000.pdf']],
    ['an empty name', ['']],
    ['dot-dot', ['..']],
    ['an over-long name', ['a'.repeat(252) + '.pdf']],
    ['no argument', []],
    ['an extra argument', ['report.pdf', { printBackground: false }]],
  ])('printToPdf refuses %s, before rendering', async (_label, args) => {
    await expect(h.call(IPC.printToPdf, ...args)).rejects.toThrow(/Invalid arguments/);
    expect(h.webContents.printToPDF).not.toHaveBeenCalled();
    expect(h.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('endSave needs a boolean', async () => {
    const token = await beginSave('out.evb');
    await expect(h.call(IPC.endSave, token, 'yes')).rejects.toThrow(/Invalid arguments/);
  });
});

describe('openFiles and readFileChunk', () => {
  it('returns tokens, base names and sizes, never paths', async () => {
    const handles = await pick('hello', new Uint8Array(300));
    expect(handles).toHaveLength(2);
    expect(Object.keys(handles[0] ?? {}).sort()).toEqual(['name', 'size', 'token']);
    expect(handles[0]?.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(handles[0]?.name).toBe('evidence-0.pdf');
    expect(handles[0]?.size).toBe(5);
    expect(handles[1]?.size).toBe(300);
    expect(JSON.stringify(handles)).not.toContain(h.dir);
    const [owner, options] = h.dialog.showOpenDialog.mock.calls[0] as [unknown, { properties: string[] }];
    expect(owner).toBe(h.win);
    expect(options.properties).toEqual(expect.arrayContaining(['openFile', 'multiSelections']));
  });

  it('returns [] when the dialog is cancelled', async () => {
    h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(h.call(IPC.openFiles)).resolves.toEqual([]);
  });

  it('refuses more files than MAX_FILES_PER_PICK', async () => {
    const paths = Array.from({ length: MAX_FILES_PER_PICK + 1 }, (_, i) => path.join(h.dir, `${i}`));
    h.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: paths });
    await expect(h.call(IPC.openFiles)).rejects.toThrow(/at most/);
  });

  it('reads chunks at offsets and returns exact-size Uint8Arrays', async () => {
    const [file] = await pick('0123456789');
    const chunk = (await h.call(IPC.readFileChunk, file?.token, 2, 4)) as Uint8Array;
    expect(chunk).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(chunk).toString()).toBe('2345');
    expect(chunk.buffer.byteLength).toBe(4);
    const tail = (await h.call(IPC.readFileChunk, file?.token, 8, 100)) as Uint8Array;
    expect(Buffer.from(tail).toString()).toBe('89');
    // Only the bytes read travel: no trailing buffer space.
    expect(tail.buffer.byteLength).toBe(2);
    const past = (await h.call(IPC.readFileChunk, file?.token, 50, 10)) as Uint8Array;
    expect(past.byteLength).toBe(0);
  });

  it('accepts a MAX_IPC_CHUNK_BYTES read', async () => {
    const [file] = await pick(new Uint8Array(MAX_IPC_CHUNK_BYTES + 10).fill(7));
    const chunk = (await h.call(IPC.readFileChunk, file?.token, 0, MAX_IPC_CHUNK_BYTES)) as Uint8Array;
    expect(chunk.byteLength).toBe(MAX_IPC_CHUNK_BYTES);
  });

  it('closeFile invalidates the token', async () => {
    const [file] = await pick('hello');
    await h.call(IPC.closeFile, file?.token);
    await expect(h.call(IPC.readFileChunk, file?.token, 0, 1)).rejects.toThrow(/Unknown file token/);
    await expect(h.call(IPC.closeFile, file?.token)).rejects.toThrow(/Unknown file token/);
  });

  it('refuses to read a file replaced after it was chosen, without leaking its path', async () => {
    const [file] = await pick('original');
    await writeFile(path.join(h.dir, 'evidence-0.pdf'), 'replaced by someone else');
    const error = await h.call(IPC.readFileChunk, file?.token, 0, 4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/changed on disk/);
    expect((error as Error).message).not.toContain(h.dir);
  });

  it('reports a deleted file with an error code, not its path', async () => {
    const [file] = await pick('gone soon');
    await rm(path.join(h.dir, 'evidence-0.pdf'));
    const error = (await h.call(IPC.readFileChunk, file?.token, 0, 4).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/ENOENT/);
    expect(error.message).not.toContain(h.dir);
  });
});

async function beginSave(name: string, target = path.join(h.dir, 'bundle.evb')): Promise<string> {
  h.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
  const token = await h.call(IPC.beginSave, name);
  if (typeof token !== 'string') throw new Error('no save token');
  return token;
}

describe('save flow', () => {
  it('writes to an owner-only partial file, then renames it over the target', async () => {
    const target = path.join(h.dir, 'bundle.evb');
    await writeFile(target, 'old contents');
    const token = await beginSave('bundle.evb', target);
    await h.call(IPC.writeSaveChunk, token, new TextEncoder().encode('hello '));
    await h.call(IPC.writeSaveChunk, token, new TextEncoder().encode('world'));

    const partials = (await readdir(h.dir)).filter((name) => name.includes('.partial-'));
    expect(partials).toHaveLength(1);
    if (process.platform !== 'win32') {
      expect((await stat(path.join(h.dir, partials[0] ?? ''))).mode & 0o777).toBe(0o600);
    }
    expect(await readFile(target, 'utf8')).toBe('old contents');

    // The saved file is read back from disk and its SHA-256 returned.
    expect(await h.call(IPC.endSave, token, true)).toEqual({
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      size: 11,
    });
    expect(await readFile(target, 'utf8')).toBe('hello world');
    expect((await readdir(h.dir)).filter((name) => name.includes('.partial-'))).toEqual([]);
    if (process.platform !== 'win32') expect((await stat(target)).mode & 0o777).toBe(0o600);
    await expect(h.call(IPC.endSave, token, true)).rejects.toThrow(/Unknown save token/);
  });

  it('endSave(false) removes the partial file and leaves the target alone', async () => {
    const target = path.join(h.dir, 'bundle.evb');
    const token = await beginSave('bundle.evb', target);
    await h.call(IPC.writeSaveChunk, token, new Uint8Array([1, 2, 3]));
    expect(await h.call(IPC.endSave, token, false)).toBeNull();
    expect(await readdir(h.dir)).toEqual([]);
  });

  it('returns null when the save dialog is cancelled', async () => {
    h.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    await expect(h.call(IPC.beginSave, 'bundle.evb')).resolves.toBeNull();
  });

  it('offers a sanitised name in the dialog', async () => {
    await beginSave('\u202Efdp.exe');
    expect(h.dialog.showSaveDialog).toHaveBeenCalledWith(h.win, expect.objectContaining({ defaultPath: 'fdp.exe' }));
  });
});

describe('sanitizeSuggestedName', () => {
  it.each([
    ['case 12: report.pdf', 'case 12_ report.pdf'],
    ['..hidden', 'hidden'],
    ['name. ', 'name'],
    ['CON.txt', '_CON.txt'],
    ['a<b>c|d?.evb', 'a_b_c_d_.evb'],
    ['\u202Egpj.exe', 'gpj.exe'],
    ['...', 'export'],
  ])('%s → %s', (input, output) => {
    expect(sanitizeSuggestedName(input)).toBe(output);
  });
});

describe('printToPdf', () => {
  const pdfBytes = Buffer.from('%PDF-1.7\n% a rendered case report\n%%EOF\n');

  function renders(bytes: Uint8Array = pdfBytes): void {
    h.webContents.printToPDF.mockResolvedValueOnce(bytes);
  }

  function savesTo(target: string): void {
    h.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
  }

  it("renders the sender's window, saves the bytes and returns their hash as read back from disk", async () => {
    const target = path.join(h.dir, 'case-12-report.pdf');
    renders();
    savesTo(target);
    const check = await h.call(IPC.printToPdf, 'case-12-report.pdf');

    expect(h.webContents.printToPDF).toHaveBeenCalledTimes(1);
    expect(h.webContents.printToPDF).toHaveBeenCalledWith({
      printBackground: true,
      pageSize: 'A4',
      preferCSSPageSize: true,
      generateDocumentOutline: true,
      displayHeaderFooter: false,
    });
    const onDisk = await readFile(target);
    expect(onDisk).toEqual(pdfBytes);
    expect(check).toEqual({ sha256: createHash('sha256').update(onDisk).digest('hex'), size: pdfBytes.byteLength });
    // Only the check crosses back: no path, no PDF bytes.
    expect(Object.keys(check as object).sort()).toEqual(['sha256', 'size']);
    expect(await readdir(h.dir)).toEqual(['case-12-report.pdf']);
    if (process.platform !== 'win32') expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('asks where to save on the app window, offering a PDF name and filter', async () => {
    renders();
    savesTo(path.join(h.dir, 'out.pdf'));
    await h.call(IPC.printToPdf, 'Case 12: hearing report');
    expect(h.dialog.showSaveDialog).toHaveBeenCalledWith(
      h.win,
      expect.objectContaining({
        defaultPath: 'Case 12_ hearing report.pdf',
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: expect.arrayContaining(['showOverwriteConfirmation', 'dontAddToRecent']) as unknown,
      }),
    );
  });

  it('replaces an existing file only once the new one is complete', async () => {
    const target = path.join(h.dir, 'report.pdf');
    await writeFile(target, 'an older report');
    renders();
    savesTo(target);
    await h.call(IPC.printToPdf, 'report.pdf');
    expect(await readFile(target)).toEqual(pdfBytes);
    expect(await readdir(h.dir)).toEqual(['report.pdf']);
  });

  it('returns null and writes nothing when the dialog is cancelled', async () => {
    renders();
    h.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    await expect(h.call(IPC.printToPdf, 'report.pdf')).resolves.toBeNull();
    expect(await readdir(h.dir)).toEqual([]);
    expect(h.files.saveCount).toBe(0);
  });

  it('does not open the dialog when rendering fails, and does not pass on its message', async () => {
    h.webContents.printToPDF.mockRejectedValueOnce(new Error(`Failed to print ${h.dir}/secret`));
    const error = (await h.call(IPC.printToPdf, 'report.pdf').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('The page could not be printed to PDF.');
    expect(h.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('reports a failed write with an error code, not the path, and leaves nothing behind', async () => {
    renders();
    savesTo(path.join(h.dir, 'missing-dir', 'report.pdf'));
    const error = (await h.call(IPC.printToPdf, 'report.pdf').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/ENOENT/);
    expect(error.message).not.toContain(h.dir);
    expect(await readdir(h.dir)).toEqual([]);
  });

  it('refuses a second print while one is in progress', async () => {
    renders();
    let answer: (value: { canceled: boolean; filePath: string }) => void = () => undefined;
    h.dialog.showSaveDialog.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const first = h.call(IPC.printToPdf, 'first.pdf');
    await vi.waitFor(() => expect(h.dialog.showSaveDialog).toHaveBeenCalledTimes(1));
    await expect(h.call(IPC.printToPdf, 'second.pdf')).rejects.toThrow(/already being saved/);
    expect(h.webContents.printToPDF).toHaveBeenCalledTimes(1);
    answer({ canceled: true, filePath: '' });
    await expect(first).resolves.toBeNull();
    // Free again once the first one ended.
    renders();
    savesTo(path.join(h.dir, 'third.pdf'));
    await expect(h.call(IPC.printToPdf, 'third.pdf')).resolves.toMatchObject({ size: pdfBytes.byteLength });
  });

  it('uses the documented options', () => {
    expect(PDF_OPTIONS).toEqual({
      printBackground: true,
      pageSize: 'A4',
      preferCSSPageSize: true,
      generateDocumentOutline: true,
      displayHeaderFooter: false,
    });
  });
});

describe('pdfFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['Report.PDF', 'Report.PDF'],
    ['Case 12 report', 'Case 12 report.pdf'],
    ['notes.txt', 'notes.txt.pdf'],
    ['report.', 'report.pdf'],
    ['\u202Efdp.exe', 'fdp.exe.pdf'],
    ['CON', '_CON.pdf'],
    ['...', 'export.pdf'],
    ['a'.repeat(255), `${'a'.repeat(251)}.pdf`],
  ])('%s → %s', (input, output) => {
    expect(pdfFileName(input)).toBe(output);
  });
});
