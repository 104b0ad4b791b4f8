/**
 * The contract between the preload bridge (`window.vaultHost`) and the
 * renderer. Only plain data crosses it: no keys, no plaintext records.
 * Files cross in bounded chunks so a multi-GB file never travels as one
 * message.
 */

/** The scheme and host the renderer is served from. IndexedDB is keyed to
 * this origin: changing either orphans every user's vault. Never change. */
export const APP_SCHEME = 'evidence-vault';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Largest chunk a single IPC read or write may carry. */
export const MAX_IPC_CHUNK_BYTES = 4 * 1024 * 1024;
/** Most files one native "open" dialog may return. */
export const MAX_FILES_PER_PICK = 1000;

export type LockReason = 'menu' | 'suspend' | 'lock-screen' | 'user-switch';

/** A file the user chose in the native dialog, readable through its token. */
export interface HostFileHandle {
  /** Random opaque id valid until closed; never a path. */
  token: string;
  /** Base name only (no directories), for display and intake records. */
  name: string;
  size: number;
}

/** What a committed save reads back from disk. */
export interface SavedFileCheck {
  sha256: string;
  size: number;
}

/** A folder the user chose for backups, used through its token. */
export interface HostBackupFolder {
  /** Random opaque id valid until the app reloads or quits; never a path. */
  token: string;
  /** The folder's own name (no parent directories), for display. */
  name: string;
  /**
   * A folder chosen for backups (purpose `backup`): an opaque reference that only this installation's main process
   * can open (the path sealed under a key kept in its data folder), so the vault can keep it — inside its own
   * encryption — and offer "Back up now" at a later lock without the renderer ever seeing the path.
   */
  ref?: string;
}

/** Longest backup folder reference (`HostBackupFolder.ref`): base64url characters only. */
export const MAX_BACKUP_FOLDER_REF_LENGTH = 2048;

/** A backup file in a chosen folder: a name the backup format makes, and its size. */
export interface HostBackupFileInfo {
  name: string;
  size: number;
}

/** What a backup folder is chosen for: `restore` gives a token that can only list and read. */
export type BackupFolderPurpose = 'backup' | 'restore';

export interface VaultHostApi {
  appVersion(): Promise<string>;
  /** Native multi-select open dialog. Empty array when cancelled. */
  openFiles(): Promise<HostFileHandle[]>;
  /** Read up to `length` bytes at `offset` (length ≤ MAX_IPC_CHUNK_BYTES). */
  readFileChunk(token: string, offset: number, length: number): Promise<Uint8Array>;
  closeFile(token: string): Promise<void>;
  /** Native save dialog; returns a write token or null when cancelled. */
  beginSave(suggestedName: string): Promise<string | null>;
  writeSaveChunk(token: string, bytes: Uint8Array): Promise<void>;
  /** `commit: true` returns the saved file's SHA-256 as read back from disk;
   * `commit: false` removes the partial file (a cancelled save leaves nothing) and returns null. */
  endSave(token: string, commit: boolean): Promise<SavedFileCheck | null>;
  /** Renders this window with its print stylesheet to an A4 PDF, asks where
   * to save it (`suggestedName` is made a safe base name ending in .pdf) and
   * returns the saved file's SHA-256 and size as read back from disk; null
   * when the user cancels the dialog (nothing is written). */
  printToPdf(suggestedName: string): Promise<SavedFileCheck | null>;
  /** Native "choose folder" dialog for backups; null when cancelled. The
   * folder's files are named only with names the backup format makes
   * (docs/backup-format.md); symlinks and other files are never touched. */
  pickBackupFolder(purpose: BackupFolderPurpose): Promise<HostBackupFolder | null>;
  /** The folder's backup files (regular files under backup names only). */
  listBackupFiles(folder: string): Promise<HostBackupFileInfo[]>;
  /** Up to `length` bytes (≤ MAX_IPC_CHUNK_BYTES) of `name` from `offset`; fewer only at its end. */
  readBackupChunk(folder: string, name: string, offset: number, length: number): Promise<Uint8Array>;
  /** Starts writing `name` under a temporary name; returns a write token. Refused if `name` exists or is
   * already being written, or for a folder chosen to restore from. */
  beginBackupFile(folder: string, name: string): Promise<string>;
  appendBackupFile(token: string, bytes: Uint8Array): Promise<void>;
  /** `commit: true` fsyncs and renames the file to its name; `false` removes what was written. */
  endBackupFile(token: string, commit: boolean): Promise<void>;
  /** Removes a backup file (never a symlink, a folder or a file being written). */
  removeBackupFile(folder: string, name: string): Promise<void>;
  /**
   * The folder a `ref` from an earlier `pickBackupFolder('backup')` names, opened again for writing (a new token,
   * the same ref), without a dialog; null when it is not there now (a USB stick not plugged in), is no longer a
   * folder, or the ref is not one this installation made.
   */
  reopenBackupFolder(ref: string): Promise<HostBackupFolder | null>;
  /** Subscribe to the main process's lock requests; returns unsubscribe. */
  onLockRequest(listener: (reason: LockReason) => void): () => void;
  /** Smoke launch only (`--smoke`): one step's outcome, in SMOKE_STEPS order.
   * Outside a smoke launch no handler exists and the call rejects. */
  reportSmoke(report: SmokeReport): Promise<void>;
}

/** What a smoke launch (`npm start -- --smoke`) checks, in this order. */
export const SMOKE_STEPS = ['self-test', 'indexeddb', 'pdf-render'] as const;
export type SmokeStep = (typeof SMOKE_STEPS)[number];
/** Longest message a smoke report may carry (one terminal line). */
export const MAX_SMOKE_MESSAGE_LENGTH = 200;

/** One step's outcome; `message` is short plain text, no control characters. */
export interface SmokeReport {
  step: SmokeStep;
  ok: boolean;
  message: string;
}

/** IPC channel names (renderer → main invoke, main → renderer events). */
export const IPC = {
  appVersion: 'vault-host:app-version',
  openFiles: 'vault-host:open-files',
  readFileChunk: 'vault-host:read-file-chunk',
  closeFile: 'vault-host:close-file',
  beginSave: 'vault-host:begin-save',
  writeSaveChunk: 'vault-host:write-save-chunk',
  endSave: 'vault-host:end-save',
  printToPdf: 'vault-host:print-to-pdf',
  pickBackupFolder: 'vault-host:pick-backup-folder',
  listBackupFiles: 'vault-host:list-backup-files',
  readBackupChunk: 'vault-host:read-backup-chunk',
  beginBackupFile: 'vault-host:begin-backup-file',
  appendBackupFile: 'vault-host:append-backup-file',
  endBackupFile: 'vault-host:end-backup-file',
  removeBackupFile: 'vault-host:remove-backup-file',
  reopenBackupFolder: 'vault-host:reopen-backup-folder',
  lockRequest: 'vault-host:lock-request',
} as const;

/** The smoke report channel (renderer → main invoke). Kept out of `IPC`: it
 * is handled only during a smoke launch (electron/smoke.ts), never in a
 * normal start. */
export const SMOKE_REPORT_CHANNEL = 'vault-host:smoke-report';

declare global {
  interface Window {
    /** Present only inside the Electron shell (set by the preload). */
    vaultHost?: VaultHostApi;
  }
}
