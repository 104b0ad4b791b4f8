/**
 * The only bridge between the page and the main process. It runs sandboxed
 * and is bundled to one CommonJS file that requires nothing but 'electron'.
 * The page gets `window.vaultHost` (VaultHostApi) and nothing else: never
 * ipcRenderer, never an IpcRendererEvent.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC,
  SMOKE_REPORT_CHANNEL,
  type BackupFolderPurpose,
  type HostBackupFileInfo,
  type HostBackupFolder,
  type HostFileHandle,
  type LockReason,
  type SavedFileCheck,
  type SmokeReport,
  type VaultHostApi,
} from './host-api';

const LOCK_REASONS: ReadonlySet<string> = new Set<LockReason>(['menu', 'suspend', 'lock-screen', 'user-switch']);

function isLockReason(value: unknown): value is LockReason {
  return typeof value === 'string' && LOCK_REASONS.has(value);
}

/** IPC clones a typed array's whole backing buffer, not just the view: send
 * an exact-size copy so a 4 MiB window on a large buffer ships 4 MiB (and no
 * unrelated bytes). Anything else goes through for the main process to refuse. */
function exactBytes(bytes: Uint8Array): Uint8Array {
  const partial =
    bytes instanceof Uint8Array && (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength);
  return partial ? bytes.slice() : bytes;
}

const vaultHostApi: VaultHostApi = Object.freeze({
  appVersion: (): Promise<string> => ipcRenderer.invoke(IPC.appVersion) as Promise<string>,
  openFiles: (): Promise<HostFileHandle[]> => ipcRenderer.invoke(IPC.openFiles) as Promise<HostFileHandle[]>,
  readFileChunk: (token: string, offset: number, length: number): Promise<Uint8Array> =>
    ipcRenderer.invoke(IPC.readFileChunk, token, offset, length) as Promise<Uint8Array>,
  closeFile: (token: string): Promise<void> => ipcRenderer.invoke(IPC.closeFile, token) as Promise<void>,
  beginSave: (suggestedName: string): Promise<string | null> =>
    ipcRenderer.invoke(IPC.beginSave, suggestedName) as Promise<string | null>,
  writeSaveChunk: (token: string, bytes: Uint8Array): Promise<void> =>
    ipcRenderer.invoke(IPC.writeSaveChunk, token, exactBytes(bytes)) as Promise<void>,
  endSave: (token: string, commit: boolean): Promise<SavedFileCheck | null> =>
    ipcRenderer.invoke(IPC.endSave, token, commit) as Promise<SavedFileCheck | null>,
  printToPdf: (suggestedName: string): Promise<SavedFileCheck | null> =>
    ipcRenderer.invoke(IPC.printToPdf, suggestedName) as Promise<SavedFileCheck | null>,
  pickBackupFolder: (purpose: BackupFolderPurpose): Promise<HostBackupFolder | null> =>
    ipcRenderer.invoke(IPC.pickBackupFolder, purpose) as Promise<HostBackupFolder | null>,
  listBackupFiles: (folder: string): Promise<HostBackupFileInfo[]> =>
    ipcRenderer.invoke(IPC.listBackupFiles, folder) as Promise<HostBackupFileInfo[]>,
  readBackupChunk: (folder: string, name: string, offset: number, length: number): Promise<Uint8Array> =>
    ipcRenderer.invoke(IPC.readBackupChunk, folder, name, offset, length) as Promise<Uint8Array>,
  beginBackupFile: (folder: string, name: string): Promise<string> =>
    ipcRenderer.invoke(IPC.beginBackupFile, folder, name) as Promise<string>,
  appendBackupFile: (token: string, bytes: Uint8Array): Promise<void> =>
    ipcRenderer.invoke(IPC.appendBackupFile, token, exactBytes(bytes)) as Promise<void>,
  endBackupFile: (token: string, commit: boolean): Promise<void> =>
    ipcRenderer.invoke(IPC.endBackupFile, token, commit) as Promise<void>,
  removeBackupFile: (folder: string, name: string): Promise<void> =>
    ipcRenderer.invoke(IPC.removeBackupFile, folder, name) as Promise<void>,
  reopenBackupFolder: (ref: string): Promise<HostBackupFolder | null> =>
    ipcRenderer.invoke(IPC.reopenBackupFolder, ref) as Promise<HostBackupFolder | null>,
  onLockRequest(listener: (reason: LockReason) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onLockRequest needs a function.');
    // The wrapper drops the event (it exposes `sender`, i.e. ipcRenderer)
    // and anything that is not a known reason.
    const wrapped = (_event: IpcRendererEvent, reason: unknown): void => {
      if (isLockReason(reason)) listener(reason);
    };
    ipcRenderer.on(IPC.lockRequest, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.lockRequest, wrapped);
    };
  },
  // Handled only during a smoke launch (electron/smoke.ts validates the report).
  reportSmoke: (report: SmokeReport): Promise<void> =>
    ipcRenderer.invoke(SMOKE_REPORT_CHANNEL, report) as Promise<void>,
});

contextBridge.exposeInMainWorld('vaultHost', vaultHostApi);
