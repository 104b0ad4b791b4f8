/**
 * A backup folder in memory for integration tests: what the Electron folder
 * IPC or a browser directory handle does, with ways to make it fail (a full
 * disk or a pulled USB stick after so many writes) and to see it as a
 * browser's downloads (nothing can be listed or read back), or to stop
 * answering for good (the process writing it was killed).
 */
import type { BackupFileInfo, BackupTarget } from '../../renderer/src/vault/api';

/** The answer of a folder whose process died: none. */
const NEVER = new Promise<never>(() => undefined);

export class MemoryFolder implements BackupTarget {
  readonly files = new Map<string, Uint8Array>();
  private readonly open = new Map<string, { name: string; parts: Uint8Array[] }>();
  private nextToken = 0;
  /** Appends and commits left before every write fails (Infinity: never). */
  writesLeft = Infinity;
  /** Reads left before every read fails (a stick pulled mid-restore). */
  readsLeft = Infinity;
  /** Removals left before every removal fails (a stick pulled during a clean-up). */
  removesLeft = Infinity;
  /** Bytes committed to files so far. */
  bytesWritten = 0;
  /** Calls answered so far. */
  calls = 0;
  /** Calls left before the folder stops answering for good (`dieAfter`). */
  private callsLeft = Infinity;
  private onDeath: (() => void) | null = null;

  constructor(private readonly listable = true) {}

  /**
   * After `calls` more calls, every call is left unanswered and changes
   * nothing, as when the process making them is killed there; resolves when
   * that happens. Files begun and not committed are lost with it.
   */
  dieAfter(calls: number): Promise<void> {
    this.callsLeft = calls;
    return new Promise((resolve) => {
      this.onDeath = resolve;
    });
  }

  /** Answers again (a new process): files left half-written by the dead one are gone. */
  revive(): void {
    this.callsLeft = Infinity;
    this.onDeath = null;
    this.open.clear();
  }

  /** False, and a call that never settles, once the process is dead. */
  private alive(): boolean {
    if (this.callsLeft-- > 0) {
      this.calls += 1;
      return true;
    }
    this.onDeath?.();
    return false;
  }

  list(): Promise<BackupFileInfo[] | null> {
    if (!this.alive()) return NEVER;
    if (!this.listable) return Promise.resolve(null);
    return Promise.resolve([...this.files].map(([name, bytes]) => ({ name, size: bytes.byteLength })));
  }

  readChunk(name: string, offset: number, length: number): Promise<Uint8Array> {
    if (!this.alive()) return NEVER;
    if (this.readsLeft-- <= 0) return Promise.reject(new Error('the folder went away'));
    const file = this.files.get(name);
    if (!file) return Promise.reject(new Error(`no file ${name}`));
    return Promise.resolve(file.slice(offset, offset + length));
  }

  beginFile(name: string): Promise<string> {
    if (!this.alive()) return NEVER;
    const token = `t${++this.nextToken}`;
    this.open.set(token, { name, parts: [] });
    return Promise.resolve(token);
  }

  appendFile(token: string, bytes: Uint8Array): Promise<void> {
    if (!this.alive()) return NEVER;
    if (this.writesLeft-- <= 0) return Promise.reject(new Error('the disk is full'));
    this.open.get(token)!.parts.push(bytes.slice());
    return Promise.resolve();
  }

  endFile(token: string, commit: boolean): Promise<void> {
    if (!this.alive()) return NEVER;
    const file = this.open.get(token)!;
    this.open.delete(token);
    if (!commit) return Promise.resolve();
    if (this.writesLeft-- <= 0) return Promise.reject(new Error('the disk is full'));
    const bytes = new Uint8Array(file.parts.reduce((sum, part) => sum + part.byteLength, 0));
    let offset = 0;
    for (const part of file.parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    this.files.set(file.name, bytes);
    this.bytesWritten += bytes.byteLength;
    return Promise.resolve();
  }

  remove(name: string): Promise<void> {
    if (!this.alive()) return NEVER;
    if (this.removesLeft-- <= 0) return Promise.reject(new Error('the folder went away'));
    this.files.delete(name);
    return Promise.resolve();
  }

  /** A copy of this folder's files (what a second stick, or a copy made earlier, would hold). */
  copy(listable = true): MemoryFolder {
    const folder = new MemoryFolder(listable);
    for (const [name, bytes] of this.files) folder.files.set(name, bytes.slice());
    return folder;
  }

  names(kind: 'run' | 'pack'): string[] {
    return [...this.files.keys()].filter((name) => name.endsWith(`.${kind}`)).sort();
  }
}
