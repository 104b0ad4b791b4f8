/**
 * Backup folders the user picked, addressed by random tokens. The renderer
 * names files inside a folder, but only with names the backup format makes
 * (docs/backup-format.md: lowercase hex and digits, `.run` or `.pack`), so it
 * can never reach outside the folder or touch a file the format did not
 * write. Symlinks and anything but regular files are never listed, read,
 * replaced or removed. Paths stay in the main process.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { parseBackupFileName } from '../renderer/src/vault/worker/backup/names';
import type { HostBackupFileInfo, HostBackupFolder } from './host-api';
import { HostFileError, toHostFileError } from './host-files';

/** A partial file's name: the backup file's name, then `.partial-` and 16 hex digits (see begin). */
const PARTIAL_NAME = /^(.+)\.partial-[0-9a-f]{16}$/;

/** True for a name the backup format writes (`evb-<set>-<run>.run`, `evb-<set>-<pack>.pack`); nothing else,
 * so no separator, `..`, NUL, drive or other extension can be named. */
export function isBackupFileName(name: string): boolean {
  return parseBackupFileName(name) !== null;
}

/** What a picked folder may be used for: a restore or a verify only reads. */
export type BackupFolderAccess = 'read' | 'write';

export interface BackupFoldersLimits {
  /** Folder tokens held at once; the least recently used idle one is dropped. */
  maxFolders: number;
  /** Files being written at once. */
  maxWrites: number;
  /** Most backup files one listing returns. */
  maxListed: number;
}

export const DEFAULT_BACKUP_FOLDERS_LIMITS: BackupFoldersLimits = {
  maxFolders: 16,
  maxWrites: 8,
  maxListed: 100_000,
};

interface PickedFolder {
  /** The folder's real path (symlinks resolved when picked). */
  path: string;
  access: BackupFolderAccess;
  lastUsed: number;
}

interface FileInProgress {
  folderToken: string;
  /** `<folder real path>/<name>`: one open write per file, whichever folder token names it. */
  final: string;
  partial: string;
  handle: FileHandle;
  /** Writes run strictly in order, even if the renderer does not await. */
  queue: Promise<void>;
}

/** O_NOFOLLOW where the platform has it (not on Windows: the lstat and identity checks cover it there). */
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/** What to show the user for a folder: its own name, never its path. */
export function folderLabel(realPath: string, platform: NodeJS.Platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const base = paths.basename(realPath);
  if (base !== '') return base;
  // A drive or file system root: "E:" for a Windows drive, "/" otherwise.
  const drive = /^[A-Za-z]:/.exec(realPath);
  return drive ? drive[0] : paths.sep;
}

/** A folder that cannot be opened now (missing, not a folder, unreadable): a reopened folder's stick may be out. */
export class BackupFolderUnavailableError extends HostFileError {}

export class BackupFolders {
  private readonly folders = new Map<string, PickedFolder>();
  private readonly writes = new Map<string, FileInProgress>();
  /** Files whose partial file is being created (final path → folder token). */
  private readonly opening = new Map<string, string>();
  private useCounter = 0;

  constructor(
    private readonly limits: BackupFoldersLimits = DEFAULT_BACKUP_FOLDERS_LIMITS,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  get folderCount(): number {
    return this.folders.size;
  }

  get writeCount(): number {
    return this.writes.size;
  }

  /** Registers the folder the user chose (its real path) and returns its token and base name. */
  async addFolder(chosen: string, access: BackupFolderAccess): Promise<HostBackupFolder> {
    let real: string;
    try {
      real = await realpath(chosen);
      if (!(await stat(real)).isDirectory()) throw new HostFileError('Choose a folder.');
    } catch (error) {
      throw new BackupFolderUnavailableError(toHostFileError(error, 'The chosen folder could not be opened').message);
    }
    if (this.folders.size >= this.limits.maxFolders) this.dropIdleFolder();
    if (access === 'write') await this.sweepPartials(real);
    const token = randomUUID();
    this.folders.set(token, { path: real, access, lastUsed: ++this.useCounter });
    return { token, name: folderLabel(real, this.platform) };
  }

  /** The real path of a folder token, for the main process only (to seal a ref to it, backup-folder-refs.ts). */
  realPathOf(folderToken: string): string {
    const folder = this.folders.get(folderToken);
    if (folder === undefined) throw new HostFileError('Unknown backup folder token.');
    return folder.path;
  }

  /**
   * Removes partial files a crash or a pulled stick left in the folder (`<backup name>.partial-<hex>`, regular
   * files only, none this process is writing now): they are never listed, read or finished, so nothing else would.
   */
  private async sweepPartials(folderPath: string): Promise<void> {
    const writing = new Set([...this.writes.values()].map((write) => write.partial));
    for (const name of await readdir(folderPath).catch(() => [] as string[])) {
      const match = PARTIAL_NAME.exec(name);
      if (!match || !isBackupFileName(match[1]!)) continue;
      const partial = path.join(folderPath, name);
      if (writing.has(partial)) continue;
      const info = await lstat(partial).catch(() => null);
      if (info?.isFile()) await unlink(partial).catch(() => undefined);
    }
  }

  /** The backup files in the folder: regular files only, under names the format makes. */
  async list(folderToken: string): Promise<HostBackupFileInfo[]> {
    const folder = this.folder(folderToken, 'read');
    try {
      const names = (await readdir(folder.path)).filter(isBackupFileName).sort();
      if (names.length > this.limits.maxListed) throw new HostFileError('The folder holds too many backup files.');
      const files: HostBackupFileInfo[] = [];
      for (const name of names) {
        let info;
        try {
          // lstat: a symlink is not a backup file, wherever it points.
          info = await lstat(path.join(folder.path, name));
        } catch {
          continue; // removed while we listed
        }
        if (info.isFile()) files.push({ name, size: info.size });
      }
      return files;
    } catch (error) {
      throw toHostFileError(error, 'The backup folder could not be listed');
    }
  }

  /** Up to `length` bytes of `name` from `offset`; fewer only at its end; an offset past the end is refused. */
  async read(folderToken: string, name: string, offset: number, length: number): Promise<Uint8Array> {
    const folder = this.folder(folderToken, 'read');
    const filePath = this.filePath(folder, name);
    let handle: FileHandle;
    try {
      const before = await lstat(filePath);
      if (!before.isFile()) throw new HostFileError('Only regular backup files can be read.');
      handle = await open(filePath, READ_FLAGS);
      try {
        const info = await handle.stat();
        // Still the file lstat saw: not swapped for a symlink or another file in between.
        if (!info.isFile() || info.dev !== before.dev || info.ino !== before.ino) {
          throw new HostFileError('The backup file changed while it was opened.');
        }
        if (offset > info.size) throw new HostFileError('The read starts past the end of the backup file.');
        const wanted = Math.min(length, info.size - offset);
        // A fresh, exact-size buffer: IPC serialises a typed array's whole backing store.
        const buffer = new Uint8Array(wanted);
        if (wanted === 0) return buffer;
        let done = 0;
        while (done < wanted) {
          const { bytesRead } = await handle.read(buffer, done, wanted - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === wanted ? buffer : buffer.slice(0, done);
      } finally {
        await handle.close().catch(() => undefined);
      }
    } catch (error) {
      throw toHostFileError(error, 'The backup file could not be read');
    }
  }

  /** Starts writing `name` through an owner-only partial file beside it; `name` appears only at commit. */
  async beginFile(folderToken: string, name: string): Promise<string> {
    const folder = this.folder(folderToken, 'write');
    const final = this.filePath(folder, name);
    if (this.isBeingWritten(final)) throw new HostFileError('That backup file is already being written.');
    if (this.writes.size + this.opening.size >= this.limits.maxWrites) {
      throw new HostFileError('Too many backup files are being written.');
    }
    // Reserved before the first await, so a second beginFile of the same name is refused at once.
    this.opening.set(final, folderToken);
    let partial: string;
    let handle: FileHandle;
    try {
      await this.assertAbsent(final);
      partial = `${final}.partial-${randomBytes(8).toString('hex')}`;
      try {
        // 'wx': never reuse or follow an existing file or symlink.
        handle = await open(partial, 'wx', 0o600);
      } catch (error) {
        throw toHostFileError(error, 'The backup file could not be created');
      }
    } finally {
      this.opening.delete(final);
    }
    if (this.folders.get(folderToken) !== folder) {
      // Disposed (or the folder dropped) meanwhile: leave nothing behind.
      await discard({ handle, partial });
      throw new HostFileError('Unknown backup folder token.');
    }
    const token = randomUUID();
    this.writes.set(token, { folderToken, final, partial, handle, queue: Promise.resolve() });
    return token;
  }

  async appendFile(token: string, bytes: Uint8Array): Promise<void> {
    const write = this.openWrite(token);
    const next = write.queue.then(async () => {
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesWritten } = await write.handle.write(bytes, done, bytes.byteLength - done);
        done += bytesWritten;
      }
    });
    // A failed write poisons the queue, so later chunks cannot leave a hole.
    write.queue = next;
    try {
      await next;
    } catch (error) {
      throw toHostFileError(error, 'The backup file could not be written');
    }
  }

  /** `commit`: fsync, then rename the partial file to its name (never over an existing file or symlink) and
   * fsync the folder. Otherwise, or if any write failed, remove the partial file: nothing is left behind. */
  async endFile(token: string, commit: boolean): Promise<void> {
    const write = this.openWrite(token);
    this.writes.delete(token);
    const writesOk = await write.queue.then(
      () => true,
      () => false,
    );
    if (commit && writesOk) {
      try {
        await write.handle.sync();
        await write.handle.close();
        await this.assertAbsent(write.final);
        await rename(write.partial, write.final);
      } catch (error) {
        await discard(write);
        throw toHostFileError(error, 'The backup file could not be saved');
      }
      await this.syncDirectory(path.dirname(write.final));
      return;
    }
    await discard(write);
    if (commit) throw new HostFileError('Writing the backup file failed; nothing was saved.');
  }

  /** Removes a backup file: a regular file under a name the format makes, not one being written. */
  async remove(folderToken: string, name: string): Promise<void> {
    const folder = this.folder(folderToken, 'write');
    const filePath = this.filePath(folder, name);
    if (this.isBeingWritten(filePath)) throw new HostFileError('That backup file is being written.');
    try {
      if (!(await lstat(filePath)).isFile()) throw new HostFileError('Only regular backup files can be removed.');
      await unlink(filePath);
    } catch (error) {
      throw toHostFileError(error, 'The backup file could not be removed');
    }
    await this.syncDirectory(folder.path);
  }

  /** Forgets every folder and removes every unfinished file (quit, renderer gone). */
  async dispose(): Promise<void> {
    const writes = [...this.writes.values()];
    this.writes.clear();
    this.folders.clear();
    // A file still being opened is cleaned up by its beginFile, which finds its folder gone.
    await Promise.all(writes.map((write) => discard(write)));
  }

  private folder(token: string, access: BackupFolderAccess): PickedFolder {
    const folder = this.folders.get(token);
    if (folder === undefined) throw new HostFileError('Unknown backup folder token.');
    if (access === 'write' && folder.access !== 'write') {
      throw new HostFileError('This backup folder was chosen for reading only.');
    }
    folder.lastUsed = ++this.useCounter;
    return folder;
  }

  /** The path of a backup file in `folder`; the backstop to the IPC schema's name check. */
  private filePath(folder: PickedFolder, name: string): string {
    if (!isBackupFileName(name)) throw new HostFileError('Not a backup file name.');
    return path.join(folder.path, name);
  }

  private openWrite(token: string): FileInProgress {
    const write = this.writes.get(token);
    if (write === undefined) throw new HostFileError('Unknown backup file token.');
    return write;
  }

  private isBeingWritten(final: string): boolean {
    return this.opening.has(final) || [...this.writes.values()].some((write) => write.final === final);
  }

  /** Refuses a name that already exists in any form (file, symlink, folder): backup files are never replaced. */
  private async assertAbsent(filePath: string): Promise<void> {
    try {
      await lstat(filePath);
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return;
      throw toHostFileError(error, 'The backup folder could not be read');
    }
    throw new HostFileError('A file of that name is already in the backup folder.');
  }

  /** Drops the least recently used folder with no file being written; refuses if every one is busy. */
  private dropIdleFolder(): void {
    const busy = new Set([...this.writes.values()].map((write) => write.folderToken));
    for (const folderToken of this.opening.values()) busy.add(folderToken);
    const idle = [...this.folders.entries()]
      .filter(([token]) => !busy.has(token))
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    const oldest = idle[0];
    if (oldest === undefined) throw new HostFileError('Too many backup folders are in use.');
    this.folders.delete(oldest[0]);
  }

  /** Makes a rename or removal durable (POSIX); best effort where a folder cannot be fsynced. */
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

async function discard(write: Pick<FileInProgress, 'handle' | 'partial'>): Promise<void> {
  await write.handle.close().catch(() => undefined);
  await unlink(write.partial).catch(() => undefined);
}
