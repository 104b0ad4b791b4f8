/**
 * Where a backup set's files are: a folder the user picked (Electron: the
 * main process reads and writes it under names this format makes; a browser:
 * a directory handle, or downloads and a multi-file pick). The vault worker
 * sees only these calls, never a path.
 */
export interface BackupFileInfo {
  name: string;
  size: number;
}

export interface BackupSource {
  /** The files there, or null where nothing can be seen (a browser's downloads). */
  list(): Promise<BackupFileInfo[] | null>;
  /** Up to `length` bytes of `name` from `offset` (fewer only at its end). */
  readChunk(name: string, offset: number, length: number): Promise<Uint8Array>;
}

export interface BackupTarget extends BackupSource {
  /** Starts a file; it appears under `name` only when ended with `commit`. Returns a token for the calls below. */
  beginFile(name: string): Promise<string>;
  /**
   * Appends `bytes`, which are handed over: the caller does not touch them
   * again (across the worker boundary they move instead of being copied).
   */
  appendFile(token: string, bytes: Uint8Array): Promise<void>;
  /** `commit: false` removes what was written. */
  endFile(token: string, commit: boolean): Promise<void>;
  /** Removes a file this format wrote (a pack no run needs, a half-written run's pack). */
  remove(name: string): Promise<void>;
}

/** Largest piece read or written at once (the Electron IPC limit). */
export const FOLDER_CHUNK_BYTES = 4 * 1024 * 1024;

/** A whole file, read in pieces; refused past `max` bytes. */
export async function readWholeFile(source: BackupSource, file: BackupFileInfo, max: number): Promise<Uint8Array> {
  if (file.size > max) throw new RangeError('file too large');
  const bytes = new Uint8Array(file.size);
  for (let offset = 0; offset < file.size;) {
    const piece = await source.readChunk(file.name, offset, Math.min(FOLDER_CHUNK_BYTES, file.size - offset));
    if (piece.byteLength === 0) return bytes.subarray(0, offset);
    bytes.set(piece.subarray(0, file.size - offset), offset);
    offset += piece.byteLength;
  }
  return bytes;
}

/** Writes `bytes` as one file, committed only once all of it is written (each piece a copy it may hand over). */
export async function writeWholeFile(target: BackupTarget, name: string, bytes: Uint8Array): Promise<void> {
  const token = await target.beginFile(name);
  try {
    for (let at = 0; at < bytes.byteLength; at += FOLDER_CHUNK_BYTES)
      await target.appendFile(token, bytes.slice(at, at + FOLDER_CHUNK_BYTES));
  } catch (error) {
    await target.endFile(token, false).catch(() => undefined);
    throw error;
  }
  await target.endFile(token, true);
}
