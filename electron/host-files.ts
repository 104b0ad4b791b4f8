/**
 * Files the user picked (read side) and files being saved (write side),
 * addressed by random tokens. Paths stay in the main process: the renderer
 * only ever sees a token, a base name and a size.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { HostFileHandle, SavedFileCheck } from './host-api';

/** An error whose message is safe to hand to the renderer (no paths). */
export class HostFileError extends Error {
  override readonly name = 'HostFileError';
}

/** Replaces an fs error (whose message holds the path) by its code only. */
export function toHostFileError(error: unknown, what: string): HostFileError {
  if (error instanceof HostFileError) return error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? ` (${error.code})`
      : '';
  return new HostFileError(`${what}${code}.`);
}

/** SHA-256 (hex) and size of a file as read back from disk. */
export async function hashFile(filePath: string): Promise<SavedFileCheck> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

export interface HostFilesLimits {
  /** Picked files registered at once (tokens). */
  maxFileTokens: number;
  /** File descriptors held at once; least recently used ones are closed and
   * reopened on demand. */
  maxOpenHandles: number;
  /** Saves in progress at once. */
  maxSaves: number;
}

export const DEFAULT_HOST_FILES_LIMITS: HostFilesLimits = {
  maxFileTokens: 4000,
  maxOpenHandles: 32,
  maxSaves: 8,
};

interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

interface PickedFile {
  path: string;
  identity: FileIdentity;
  handle: FileHandle | null;
  opening: Promise<FileHandle> | null;
  inFlight: number;
  /** Set once the token is closed, so a late open cannot leak a handle. */
  closed: boolean;
  lastUsed: number;
}

interface SaveInProgress {
  target: string;
  partial: string;
  handle: FileHandle;
  /** Writes run strictly in order, even if the renderer does not await. */
  queue: Promise<void>;
}

function identityOf(info: { dev: number; ino: number; size: number; mtimeMs: number }): FileIdentity {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

export class HostFiles {
  private readonly files = new Map<string, PickedFile>();
  private readonly saves = new Map<string, SaveInProgress>();
  private useCounter = 0;

  constructor(
    private readonly limits: HostFilesLimits = DEFAULT_HOST_FILES_LIMITS,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  get openFileCount(): number {
    return this.files.size;
  }

  get openHandleCount(): number {
    let count = 0;
    for (const file of this.files.values()) if (file.handle !== null) count += 1;
    return count;
  }

  get saveCount(): number {
    return this.saves.size;
  }

  /** Registers picked files; nothing is opened until the first read. */
  async addFiles(paths: readonly string[]): Promise<HostFileHandle[]> {
    if (this.files.size + paths.length > this.limits.maxFileTokens) {
      throw new HostFileError('Too many files are open; close some first.');
    }
    const picked: { path: string; identity: FileIdentity }[] = [];
    for (const filePath of paths) {
      let info;
      try {
        info = await stat(filePath);
      } catch (error) {
        throw toHostFileError(error, 'A chosen file could not be opened');
      }
      if (!info.isFile()) throw new HostFileError('Only regular files can be opened.');
      picked.push({ path: filePath, identity: identityOf(info) });
    }
    return picked.map(({ path: filePath, identity }) => {
      const token = randomUUID();
      this.files.set(token, {
        path: filePath,
        identity,
        handle: null,
        opening: null,
        inFlight: 0,
        closed: false,
        lastUsed: 0,
      });
      return { token, name: path.basename(filePath), size: identity.size };
    });
  }

  /** Reads up to `length` bytes at `offset`; fewer at the end of the file. */
  async read(token: string, offset: number, length: number): Promise<Uint8Array> {
    const file = this.files.get(token);
    if (file === undefined) throw new HostFileError('Unknown file token.');
    file.inFlight += 1;
    try {
      const handle = await this.ensureOpen(file);
      // A fresh, exact-size buffer: IPC serialises a typed array's whole
      // backing store, so a view on a larger or pooled buffer would leak
      // unrelated main-process memory to the renderer.
      const buffer = new Uint8Array(length);
      if (length === 0) return buffer;
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return bytesRead === length ? buffer : buffer.slice(0, bytesRead);
    } catch (error) {
      throw toHostFileError(error, 'The file could not be read');
    } finally {
      file.inFlight -= 1;
    }
  }

  async closeFile(token: string): Promise<void> {
    const file = this.files.get(token);
    if (file === undefined) throw new HostFileError('Unknown file token.');
    this.files.delete(token);
    file.closed = true;
    await this.releaseHandle(file);
  }

  async closeAllFiles(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    for (const file of files) file.closed = true;
    await Promise.all(files.map((file) => this.releaseHandle(file)));
  }

  /** Starts a save to `target` via an owner-only partial file beside it. */
  async beginSave(target: string): Promise<string> {
    if (this.saves.size >= this.limits.maxSaves) throw new HostFileError('Too many saves are in progress.');
    const partial = `${target}.partial-${randomBytes(8).toString('hex')}`;
    let handle: FileHandle;
    try {
      // 'wx': never reuse or follow an existing file or symlink.
      handle = await open(partial, 'wx', 0o600);
    } catch (error) {
      throw toHostFileError(error, 'The file could not be created');
    }
    const token = randomUUID();
    this.saves.set(token, { target, partial, handle, queue: Promise.resolve() });
    return token;
  }

  async writeSave(token: string, bytes: Uint8Array): Promise<void> {
    const save = this.saves.get(token);
    if (save === undefined) throw new HostFileError('Unknown save token.');
    const write = save.queue.then(async () => {
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesWritten } = await save.handle.write(bytes, done, bytes.byteLength - done);
        done += bytesWritten;
      }
    });
    // A failed write poisons the queue, so later chunks cannot leave a hole.
    save.queue = write;
    try {
      await write;
    } catch (error) {
      throw toHostFileError(error, 'The file could not be written');
    }
  }

  /** `commit`: fsync, atomically replace the target, then read the file back
   * from disk and return its SHA-256 and size, so the user learns whether what
   * landed on disk is the original. Otherwise (or if any write failed) remove
   * the partial file so nothing is left behind, and return null. */
  async endSave(token: string, commit: boolean): Promise<SavedFileCheck | null> {
    const save = this.saves.get(token);
    if (save === undefined) throw new HostFileError('Unknown save token.');
    this.saves.delete(token);
    const writesOk = await save.queue.then(
      () => true,
      () => false,
    );
    if (commit && writesOk) {
      try {
        await save.handle.sync();
        await save.handle.close();
        await rename(save.partial, save.target);
      } catch (error) {
        await this.discard(save);
        throw toHostFileError(error, 'The file could not be saved');
      }
      await this.syncDirectory(path.dirname(save.target));
      try {
        return await hashFile(save.target);
      } catch (error) {
        throw toHostFileError(error, 'The saved file could not be read back');
      }
    }
    await this.discard(save);
    if (commit) throw new HostFileError('The save failed; nothing was written.');
    return null;
  }

  /** Saves bytes the main process already holds (a rendered PDF) through the
   * same partial file, rename and read-back as a streamed save, so it counts
   * against `maxSaves` and `dispose` removes it if the app quits midway. */
  async saveBytes(target: string, bytes: Uint8Array): Promise<SavedFileCheck> {
    const token = await this.beginSave(target);
    try {
      await this.writeSave(token, bytes);
    } catch (error) {
      await this.endSave(token, false).catch(() => null);
      throw error;
    }
    const check = await this.endSave(token, true);
    // endSave(…, true) returns a check or throws; null would mean nothing was saved.
    if (check === null) throw new HostFileError('The file could not be saved.');
    return check;
  }

  /** Closes every file and removes every unfinished save (quit, renderer gone). */
  async dispose(): Promise<void> {
    const saves = [...this.saves.values()];
    this.saves.clear();
    await Promise.all([this.closeAllFiles(), ...saves.map((save) => this.discard(save))]);
  }

  private async ensureOpen(file: PickedFile): Promise<FileHandle> {
    file.lastUsed = ++this.useCounter;
    if (file.handle !== null) return file.handle;
    file.opening ??= this.openVerified(file).finally(() => {
      file.opening = null;
    });
    return file.opening;
  }

  private async openVerified(file: PickedFile): Promise<FileHandle> {
    await this.evictIdleHandles(this.limits.maxOpenHandles - 1);
    const handle = await open(file.path, 'r');
    try {
      // The token stands for the file the user chose: if the path now names
      // another or a modified file, refuse rather than read something else.
      if (!sameIdentity(identityOf(await handle.stat()), file.identity)) {
        throw new HostFileError('The file changed on disk after it was chosen.');
      }
      if (file.closed) throw new HostFileError('Unknown file token.');
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    file.handle = handle;
    return handle;
  }

  /** Closes least recently used idle handles until at most `keep` remain. */
  private async evictIdleHandles(keep: number): Promise<void> {
    const open = [...this.files.values()].filter((file) => file.handle !== null);
    if (open.length <= keep) return;
    const idle = open.filter((file) => file.inFlight === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    await Promise.all(idle.slice(0, open.length - keep).map((file) => this.releaseHandle(file)));
  }

  private async releaseHandle(file: PickedFile): Promise<void> {
    const handle = file.handle;
    file.handle = null;
    if (handle !== null) await handle.close().catch(() => undefined);
  }

  private async discard(save: SaveInProgress): Promise<void> {
    await save.handle.close().catch(() => undefined);
    await unlink(save.partial).catch(() => undefined);
  }

  /** Makes the rename durable (POSIX); best effort on file systems that
   * cannot fsync a directory. */
  private async syncDirectory(dir: string): Promise<void> {
    if (this.platform === 'win32') return;
    try {
      const handle = await open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // The data itself is already fsynced; only the rename's durability is at stake.
    }
  }
}
