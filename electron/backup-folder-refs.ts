/**
 * References to backup folders that the renderer can keep (inside the vault's own encryption) and hand back later,
 * so "Back up now" can reopen the folder without a dialog and without the renderer ever seeing its path. A ref is
 * the folder's real path sealed with ChaCha20-Poly1305 under a random key kept in the app's data folder: only this
 * installation can open it, a changed character makes it fail, and the key file alone names no folder.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MAX_BACKUP_FOLDER_REF_LENGTH } from './host-api';

/** The key file's name in the data folder. */
export const BACKUP_FOLDER_KEY_FILE = 'backup-folder.key';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;
/** Binds a ref to this use: the key could never open something sealed for another purpose, nor the reverse. */
const ASSOCIATED_DATA = Buffer.from('evidence-vault backup folder ref v1', 'utf8');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Longest real path (UTF-8 bytes) whose ref still fits MAX_BACKUP_FOLDER_REF_LENGTH (unpadded base64url). */
export const MAX_SEALED_PATH_BYTES = Math.floor((MAX_BACKUP_FOLDER_REF_LENGTH * 3) / 4) - 1 - NONCE_BYTES - TAG_BYTES;

function isFileMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function isFileExisting(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST';
}

export class BackupFolderRefs {
  private readonly keyPath: string;
  /** The key once read or made; never dropped, so every ref this process made stays openable while it runs. */
  private key: Buffer | null = null;
  /** One key creation at a time: two first seals at once must not make two keys. */
  private creating: Promise<Buffer> | null = null;

  /** `dataDir`: the app's data folder (`app.getPath('userData')`), already owner-only (data-dir.ts). */
  constructor(dataDir: string) {
    this.keyPath = path.join(dataDir, BACKUP_FOLDER_KEY_FILE);
  }

  /**
   * A ref for `realPath` (a folder's real path): base64url of version, nonce and sealed path. Null when the path is
   * too long for a ref (the folder can still be used; it just cannot be remembered). Throws if no key can be had.
   */
  async seal(realPath: string): Promise<string | null> {
    const plain = Buffer.from(realPath, 'utf8');
    if (plain.byteLength === 0 || plain.byteLength > MAX_SEALED_PATH_BYTES) return null;
    const key = await this.keyForSealing();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(ASSOCIATED_DATA, { plaintextLength: plain.byteLength });
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The real path `ref` names, or null if it is not a ref this installation made (whatever is wrong with it). */
  async open(ref: string): Promise<string | null> {
    if (ref.length > MAX_BACKUP_FOLDER_REF_LENGTH || !BASE64URL.test(ref)) return null;
    const bytes = Buffer.from(ref, 'base64url');
    // Canonical encoding only: Node ignores stray low bits of the last character, so without this two refs could
    // open alike, and a changed character could go unnoticed.
    if (bytes.toString('base64url') !== ref) return null;
    if (bytes.byteLength <= 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== VERSION) return null;
    const key = await this.existingKey().catch(() => null);
    if (key === null) return null;
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const sealed = bytes.subarray(1 + NONCE_BYTES, bytes.byteLength - TAG_BYTES);
    const tag = bytes.subarray(bytes.byteLength - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(ASSOCIATED_DATA, { plaintextLength: sealed.byteLength });
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      return null; // another key, or altered
    }
    let realPath: string;
    try {
      realPath = new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch {
      return null;
    }
    // Only ever a path seal() was given; checked anyway, as a backstop before it reaches the file system.
    return path.isAbsolute(realPath) && !realPath.includes('\0') ? realPath : null;
  }

  /** The key file's key; null when there is none or it is not exactly KEY_BYTES long (never replaced then). */
  private async existingKey(): Promise<Buffer | null> {
    if (this.key !== null) return this.key;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.keyPath);
    } catch (error) {
      if (isFileMissing(error)) return null;
      throw error;
    }
    if (bytes.byteLength !== KEY_BYTES) return null;
    this.key = bytes;
    return bytes;
  }

  private async keyForSealing(): Promise<Buffer> {
    const existing = await this.existingKey();
    if (existing !== null) return existing;
    this.creating ??= this.createKey().finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  /**
   * Writes a new key beside the key file, fsyncs it, then links it into place: the key file appears whole or not
   * at all (a crash mid-write cannot leave a short key that would then never be replaced), and never over an
   * existing one. If one appeared meanwhile, its key is used.
   */
  private async createKey(): Promise<Buffer> {
    const key = randomBytes(KEY_BYTES);
    const temp = `${this.keyPath}.new`;
    // A leftover from a crash: this process holds the single-instance lock, so no one else is writing it.
    await unlink(temp).catch(() => undefined);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(key);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, this.keyPath);
    } catch (error) {
      if (!isFileExisting(error)) throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    const stored = await this.existingKey();
    if (stored === null) throw new Error('The backup folder key file is not usable.');
    return stored;
  }
}
