/**
 * The main-process side of VaultHostApi. Every handler first proves the call
 * comes from our window's main frame on the app origin, then validates its
 * arguments; a hostile page that got script execution still cannot name a
 * path, read past a token, or send unbounded data.
 */
import { z } from 'zod';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, PrintToPDFOptions } from 'electron';
import {
  IPC,
  MAX_BACKUP_FOLDER_REF_LENGTH,
  MAX_FILES_PER_PICK,
  MAX_IPC_CHUNK_BYTES,
  type HostBackupFolder,
  type HostFileHandle,
  type SavedFileCheck,
} from './host-api';
import { isAppOriginUrl } from './app-origin';
import { BackupFolderUnavailableError, isBackupFileName, type BackupFolders } from './backup-folder';
import type { BackupFolderRefs } from './backup-folder-refs';
import { HostFileError, type HostFiles } from './host-files';

/** A refused call: wrong sender or malformed arguments. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
}

/** `crypto.randomUUID()` output, the only token format we hand out. */
const TOKEN_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// C0 and C1 control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Invisible direction overrides can disguise an extension ("exe.pdf"). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const WINDOWS_RESERVED_CHARS = /[<>:"|?*]/g;
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i;

const tokenSchema = z.string().regex(TOKEN_PATTERN);
const offsetSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const lengthSchema = z.int().min(0).max(MAX_IPC_CHUNK_BYTES);
const bytesSchema = z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_IPC_CHUNK_BYTES);
/** A bare file name: no directory part, no control characters, at most 255 UTF-8 bytes (what ext4 and APFS take).
 * The renderer makes names safe first (renderer/src/platform/file-names.ts); this is the backstop. */
const suggestedNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => Buffer.byteLength(name, 'utf8') <= 255)
  .refine((name) => !name.includes('/') && !name.includes('\\') && !CONTROL_CHARS.test(name))
  .refine((name) => name !== '.' && name !== '..');
/** A name the backup format makes (docs/backup-format.md) and nothing else: no separator, `..`, NUL, drive,
 * absolute path or other extension can pass. backup-folder.ts checks again before touching the disk. */
const backupNameSchema = z.string().max(100).refine(isBackupFileName);
const backupPurposeSchema = z.enum(['backup', 'restore']);
/** A backup folder ref (backup-folder-refs.ts): base64url only, bounded; what it names is for the seal to say. */
const backupFolderRefSchema = z
  .string()
  .min(1)
  .max(MAX_BACKUP_FOLDER_REF_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);

/** Argument tuples per channel; extra or missing arguments are refused. */
export const IPC_ARGUMENTS = {
  [IPC.appVersion]: z.tuple([]),
  [IPC.openFiles]: z.tuple([]),
  [IPC.readFileChunk]: z.tuple([tokenSchema, offsetSchema, lengthSchema]),
  [IPC.closeFile]: z.tuple([tokenSchema]),
  [IPC.beginSave]: z.tuple([suggestedNameSchema]),
  [IPC.writeSaveChunk]: z.tuple([tokenSchema, bytesSchema]),
  [IPC.endSave]: z.tuple([tokenSchema, z.boolean()]),
  [IPC.printToPdf]: z.tuple([suggestedNameSchema]),
  [IPC.pickBackupFolder]: z.tuple([backupPurposeSchema]),
  [IPC.listBackupFiles]: z.tuple([tokenSchema]),
  [IPC.readBackupChunk]: z.tuple([tokenSchema, backupNameSchema, offsetSchema, lengthSchema]),
  [IPC.beginBackupFile]: z.tuple([tokenSchema, backupNameSchema]),
  [IPC.appendBackupFile]: z.tuple([tokenSchema, bytesSchema]),
  [IPC.endBackupFile]: z.tuple([tokenSchema, z.boolean()]),
  [IPC.removeBackupFile]: z.tuple([tokenSchema, backupNameSchema]),
  [IPC.reopenBackupFolder]: z.tuple([backupFolderRefSchema]),
} as const;

type Channel = keyof typeof IPC_ARGUMENTS;

function parseArguments<C extends Channel>(channel: C, args: unknown[]): z.output<(typeof IPC_ARGUMENTS)[C]> {
  const result = IPC_ARGUMENTS[channel].safeParse(args);
  // Zod's own message may echo the input; ours never does.
  if (!result.success) throw new IpcRefusedError(`Invalid arguments for ${channel}.`);
  return result.data as z.output<(typeof IPC_ARGUMENTS)[C]>;
}

/** Throws unless the call comes from `win`'s main frame on the app origin. */
export function assertTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | null): BrowserWindow {
  const frame = event.senderFrame;
  if (frame === null) throw new IpcRefusedError('IPC refused: the sending frame is gone.');
  if (win === null || win.isDestroyed() || event.sender !== win.webContents) {
    throw new IpcRefusedError('IPC refused: unknown sender.');
  }
  let trusted: boolean;
  try {
    trusted = frame.parent === null && isAppOriginUrl(frame.url);
  } catch {
    trusted = false; // the frame was disposed while we looked at it
  }
  if (!trusted) throw new IpcRefusedError('IPC refused: sender is not the app.');
  return win;
}

/** Makes `name` safe to offer in a save dialog on every platform. */
export function sanitizeSuggestedName(name: string): string {
  let safe = name.normalize('NFC').replace(BIDI_CONTROLS, '').replace(WINDOWS_RESERVED_CHARS, '_');
  // Leading dots hide the file; trailing dots and spaces vanish on Windows.
  safe = safe.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (safe === '') safe = 'export';
  if (WINDOWS_DEVICE_NAME.test(safe)) safe = `_${safe}`;
  return safe.slice(0, 255);
}

/** `sanitizeSuggestedName`, then `.pdf` appended unless the name already ends
 * with it (any case): a caller's "Case 12 report" is offered as
 * "Case 12 report.pdf", never refused. */
export function pdfFileName(name: string): string {
  const safe = sanitizeSuggestedName(name);
  if (/\.pdf$/i.test(safe)) return safe;
  return `${safe.slice(0, 255 - '.pdf'.length)}.pdf`;
}

/** The page's print stylesheet decides the layout; A4 unless it sets @page. */
export const PDF_OPTIONS: PrintToPDFOptions = {
  printBackground: true,
  pageSize: 'A4',
  preferCSSPageSize: true,
  generateDocumentOutline: true,
  // Chromium's header/footer would print the app's internal URL and title.
  displayHeaderFooter: false,
};

export interface IpcHandlerDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  getWindow: () => BrowserWindow | null;
  files: HostFiles;
  backups: BackupFolders;
  /** Seals and opens the refs of folders picked for backups. */
  backupRefs: BackupFolderRefs;
  appVersion: string;
}

/** Errors reaching the renderer carry only messages we wrote. */
function safeError(error: unknown): Error {
  if (error instanceof HostFileError || error instanceof IpcRefusedError) return error;
  return new Error('The operation failed.');
}

export function registerIpcHandlers(deps: IpcHandlerDeps): void {
  const { ipcMain, dialog, files, backups, backupRefs } = deps;

  function handle<C extends Channel, R>(
    channel: C,
    run: (win: BrowserWindow, args: z.output<(typeof IPC_ARGUMENTS)[C]>) => Promise<R> | R,
  ): void {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const win = assertTrustedSender(event, deps.getWindow());
      const parsed = parseArguments(channel, args);
      try {
        return await run(win, parsed);
      } catch (error) {
        throw safeError(error);
      }
    });
  }

  handle(IPC.appVersion, () => deps.appVersion);

  handle(IPC.openFiles, async (win): Promise<HostFileHandle[]> => {
    const result = await dialog.showOpenDialog(win, {
      title: 'Add files to the vault',
      // dontAddToRecent: no trace of evidence file names in the OS's recent list.
      properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
    });
    if (result.canceled || result.filePaths.length === 0) return [];
    if (result.filePaths.length > MAX_FILES_PER_PICK) {
      throw new HostFileError(`Choose at most ${MAX_FILES_PER_PICK} files at once.`);
    }
    return files.addFiles(result.filePaths);
  });

  handle(IPC.readFileChunk, (_win, [token, offset, length]) => files.read(token, offset, length));

  handle(IPC.closeFile, (_win, [token]) => files.closeFile(token));

  handle(IPC.beginSave, async (win, [suggestedName]): Promise<string | null> => {
    const result = await dialog.showSaveDialog(win, {
      title: 'Save',
      defaultPath: sanitizeSuggestedName(suggestedName),
      properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
    });
    if (result.canceled || result.filePath === undefined || result.filePath === '') return null;
    return files.beginSave(result.filePath);
  });

  handle(IPC.writeSaveChunk, (_win, [token, bytes]) => files.writeSave(token, bytes));

  handle(IPC.endSave, (_win, [token, commit]) => files.endSave(token, commit));

  // Backups go to (or are restored from) a folder: its token and its own name cross, never its path.
  handle(IPC.pickBackupFolder, async (win, [purpose]): Promise<HostBackupFolder | null> => {
    const result = await dialog.showOpenDialog(win, {
      title: purpose === 'backup' ? 'Choose a folder for backups' : 'Choose the folder that holds the backup',
      buttonLabel: 'Choose folder',
      properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
    });
    const chosen = result.filePaths[0];
    if (result.canceled || chosen === undefined || chosen === '') return null;
    if (purpose === 'restore') return backups.addFolder(chosen, 'read');
    const folder = await backups.addFolder(chosen, 'write');
    // No ref (a path too long for one, no usable key file) only means the folder cannot be remembered; the pick
    // still stands. Nothing of why crosses: the failure may name the data folder.
    const ref = await backupRefs.seal(backups.realPathOf(folder.token)).catch(() => null);
    return ref === null ? folder : { ...folder, ref };
  });

  // A folder remembered by its ref: opened again to write, no dialog. Null, never a reason, when it cannot be:
  // the ref was altered or made elsewhere, or the folder is missing now (a stick not plugged in) or not a folder.
  handle(IPC.reopenBackupFolder, async (_win, [ref]): Promise<HostBackupFolder | null> => {
    const realPath = await backupRefs.open(ref);
    if (realPath === null) return null;
    let folder: HostBackupFolder;
    try {
      folder = await backups.addFolder(realPath, 'write');
    } catch (error) {
      if (error instanceof BackupFolderUnavailableError) return null;
      throw error;
    }
    return { ...folder, ref };
  });

  handle(IPC.listBackupFiles, (_win, [folder]) => backups.list(folder));

  handle(IPC.readBackupChunk, (_win, [folder, name, offset, length]) => backups.read(folder, name, offset, length));

  handle(IPC.beginBackupFile, (_win, [folder, name]) => backups.beginFile(folder, name));

  handle(IPC.appendBackupFile, (_win, [token, bytes]) => backups.appendFile(token, bytes));

  handle(IPC.endBackupFile, (_win, [token, commit]) => backups.endFile(token, commit));

  handle(IPC.removeBackupFile, (_win, [folder, name]) => backups.remove(folder, name));

  // One print at a time: each holds a whole rendered PDF in memory until it is saved.
  let printing = false;
  handle(IPC.printToPdf, async (win, [suggestedName]): Promise<SavedFileCheck | null> => {
    if (printing) throw new HostFileError('A PDF is already being saved.');
    printing = true;
    try {
      // Render before the dialog: the PDF shows the page the user asked to
      // print, even if the app locks while the dialog is open.
      let pdf: Uint8Array;
      try {
        pdf = await win.webContents.printToPDF(PDF_OPTIONS);
      } catch {
        throw new HostFileError('The page could not be printed to PDF.');
      }
      const result = await dialog.showSaveDialog(win, {
        title: 'Save as PDF',
        defaultPath: pdfFileName(suggestedName),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
      });
      if (result.canceled || result.filePath === undefined || result.filePath === '') return null;
      // The name the user typed is kept as is: appending .pdf here could
      // replace another file without the dialog's overwrite confirmation.
      return await files.saveBytes(result.filePath, pdf);
    } finally {
      printing = false;
    }
  });
}
