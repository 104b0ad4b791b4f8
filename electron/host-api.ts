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
