import type { LockReason, SavedFileCheck } from '../../../electron/host-api';
import type { BackupSource, BackupTarget } from '../vault/api';

export type { LockReason, SavedFileCheck };

/** A file the user chose, read in bounded chunks so memory stays flat. */
export interface PickedFile {
  /** Base name as the user's system reports it. */
  readonly name: string;
  readonly size: number;
  /** Yields the file's bytes in order, each chunk at most `chunkSize` bytes. */
  chunks(chunkSize: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Releases the handle (Electron); harmless to call twice. */
  close(): Promise<void>;
}

/** Where an export is written, one chunk at a time. */
export interface SaveSink {
  write(bytes: Uint8Array): Promise<void>;
  /** Makes the file visible under its final name, and returns the SHA-256 of
   * what was saved: read back from disk (Electron) or of the bytes handed to
   * the download (browser, which cannot read a download back). */
  commit(): Promise<SavedFileCheck>;
  /** Removes whatever was written: a cancelled save leaves nothing behind. */
  abort(): Promise<void>;
}

/** How a print-to-PDF request ended. */
export type PrintOutcome =
  /** Electron: the PDF is on disk; `check` was read back from it. */
  | { kind: 'saved'; check: SavedFileCheck }
  /** Browser: its own print dialog was shown ("Save as PDF" is the user's
   * choice there); nothing is known about what became of it. */
  | { kind: 'print-dialog' }
  /** Electron: the user cancelled the save dialog; nothing was written. */
  | { kind: 'cancelled' };

/** Where a backup goes: its target, what to call it, and (Electron) an opaque reference to find it again. */
export interface PickedBackupFolder {
  target: BackupTarget;
  label: string;
  ref?: string;
}

/**
 * What the renderer needs from its host. The Electron shell and a plain
 * browser (end-to-end tests, `npm run web`) each implement it.
 */
export interface Platform {
  readonly kind: 'electron' | 'browser';
  appVersion(): Promise<string>;
  /** Lets the user choose files; resolves to [] when cancelled. */
  pickFiles(): Promise<PickedFile[]>;
  /** Lets the user choose where to save; resolves to null when cancelled. `suggestedName` may be anything (a
   * document's own name, a case title): it is offered as `safeFileName` makes it (file-names.ts). */
  beginSave(suggestedName: string, mimeType: string): Promise<SaveSink | null>;
  /** Prints the current window with its print stylesheet (per-case reports).
   * Electron renders it to an A4 PDF the user saves (`suggestedName` becomes a
   * safe base name ending in .pdf) and returns the SHA-256 and size read back
   * from disk; a browser opens its own print dialog and returns 'print-dialog'. */
  printToPdf(suggestedName: string): Promise<PrintOutcome>;
  /**
   * Lets the user choose where backups go. Electron: a folder in a native dialog, read and written by the main
   * process under names the backup format makes (the renderer never sees a path). Browser: the downloads (each run's
   * files are downloaded; nothing can be listed or read back). Null when cancelled. `label` is what to show the user
   * (the folder's own name, or "downloads"); `ref` (Electron) is the folder's opaque reference for `reopenBackupFolder`.
   */
  pickBackupFolder(): Promise<PickedBackupFolder | null>;
  /**
   * The folder an earlier pick's `ref` names, if it is there now (a USB stick plugged in), without asking; null when
   * it is not, and always in a browser (whose downloads are not a place to go back to).
   */
  reopenBackupFolder(ref: string): Promise<PickedBackupFolder | null>;
  /** Lets the user choose a backup to restore or verify: a folder (Electron), or its files (browser multi-file
   * pick). Null when cancelled. */
  pickBackupFiles(): Promise<{ source: BackupSource; label: string } | null>;
  /** Lock requests from the host (OS suspend, screen lock, menu). */
  onLockRequest(listener: (reason: LockReason) => void): () => void;
}
