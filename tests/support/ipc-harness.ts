/**
 * The main process's IPC handlers registered on a fake `ipcMain`, called as
 * the app's own page would call them, with every reply and error message
 * kept so a test can check that no path ever reaches the renderer. Shared by
 * the Electron unit tests of backup folders and their refs.
 */
import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { expect, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { BackupFolders } from '../../electron/backup-folder';
import { BackupFolderRefs } from '../../electron/backup-folder-refs';
import { APP_ORIGIN } from '../../electron/host-api';
import { HostFiles } from '../../electron/host-files';
import { registerIpcHandlers } from '../../electron/ipc-handlers';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

export interface IpcHarness {
  handlers: Map<string, Handler>;
  win: BrowserWindow;
  webContents: object;
  dialog: { showOpenDialog: ReturnType<typeof vi.fn>; showSaveDialog: ReturnType<typeof vi.fn> };
  files: HostFiles;
  backups: BackupFolders;
  /** Every reply (bytes as text) and error message. */
  replies: unknown[];
  call: (channel: string, ...args: unknown[]) => Promise<unknown>;
}

/** The handlers over a fresh BackupFolders and HostFiles, with the backup folder key kept in `dataDir`. */
export function ipcHarness(dataDir: string, replies: unknown[] = []): IpcHarness {
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: vi.fn((channel: string, handler: Handler) => handlers.set(channel, handler)) };
  const webContents = { id: 1, printToPDF: vi.fn() };
  const win = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
  const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() };
  const files = new HostFiles();
  const backups = new BackupFolders();
  const backupRefs = new BackupFolderRefs(dataDir);
  registerIpcHandlers({ ipcMain, dialog, getWindow: () => win, files, backups, backupRefs, appVersion: '1.2.3' });
  const trusted = { sender: webContents, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
  const call = async (channel: string, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    try {
      const reply = await handler(trusted as unknown as IpcMainInvokeEvent, ...args);
      replies.push(reply instanceof Uint8Array ? Buffer.from(reply).toString() : reply);
      return reply;
    } catch (error) {
      replies.push(error instanceof Error ? error.message : error);
      throw error;
    }
  };
  return { handlers, win, webContents, dialog, files, backups, replies, call };
}

/** After a test: no reply, value or error named `root` (as given or resolved) or the temp folder; then releases all. */
export async function endIpcHarness(h: IpcHarness, root: string): Promise<void> {
  const everything = JSON.stringify(h.replies);
  expect(everything).not.toContain(root);
  expect(everything).not.toContain(await realpath(root).catch(() => root));
  expect(everything).not.toContain(tmpdir());
  await h.backups.dispose();
  await h.files.dispose();
}
