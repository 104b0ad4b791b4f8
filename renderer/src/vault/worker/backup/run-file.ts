import sodium from 'libsodium-wrappers-sumo';
import type { VaultHeader } from '../crypto/header';
import { randomBytes } from '../crypto/random';
import { parseVaultHeader } from '../header-store';
import {
  BACKUP_VERSION,
  MAX_HEADER_BYTES,
  MAX_RUN_FILE_BYTES,
  NONCE_BYTES,
  RUN_MAGIC,
  RUN_PREFIX_BYTES,
  SET_ID_BYTES,
} from './constants';
import { BackupError } from './errors';
import { runIndexSchema, type RunIndex } from './run-index';

/**
 * A run file (docs/backup-format.md, "Run file"):
 *
 *   magic "EVBACKUP" ‖ version u16 ‖ flags u16 ‖ set id (16) ‖ seq u32 ‖ header length u32 ‖ vault header (JSON)
 *   ‖ nonce (24) ‖ XChaCha20-Poly1305(backup key, index JSON, AAD = every byte before the nonce)
 *
 * The vault header travels in the clear, as it sits in the vault itself: it
 * holds the key slots that open the backup with the passphrase or the
 * recovery key, and nothing personal. Everything else is sealed.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const HEX = 'hex:';
const MAGIC_BYTES = encoder.encode(RUN_MAGIC);

/** The header as JSON: byte fields as "hex:…" strings. */
export function encodeVaultHeader(header: VaultHeader): Uint8Array {
  return encoder.encode(
    JSON.stringify(header, (_key, value: unknown) =>
      value instanceof Uint8Array ? `${HEX}${sodium.to_hex(value)}` : value,
    ),
  );
}

export function decodeVaultHeader(bytes: Uint8Array): VaultHeader {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes), (_key, field: unknown) =>
      typeof field === 'string' && field.startsWith(HEX) ? sodium.from_hex(field.slice(HEX.length)) : field,
    );
    return parseVaultHeader(value);
  } catch {
    throw new BackupError('header-damaged', 'The vault header in this backup cannot be read.');
  }
}

/** What a run file says before anything is opened. */
export interface RunPrefix {
  set: string;
  seq: number;
  header: VaultHeader;
  /** Bytes before the nonce: the associated data of the sealed index. */
  prefixLength: number;
}

export function readRunPrefix(file: Uint8Array): RunPrefix {
  if (file.byteLength < RUN_PREFIX_BYTES || !MAGIC_BYTES.every((byte, at) => file[at] === byte))
    throw new BackupError('not-a-backup', 'This is not an Evidence Vault backup run file.');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint16(8) !== BACKUP_VERSION || view.getUint16(10) !== 0)
    throw new BackupError('unknown-version', 'This backup was written by a newer version of Evidence Vault.');
  const headerLength = view.getUint32(32);
  if (headerLength > MAX_HEADER_BYTES || RUN_PREFIX_BYTES + headerLength + NONCE_BYTES > file.byteLength)
    throw new BackupError('run-corrupt', 'This run file is cut short.');
  return {
    set: sodium.to_hex(file.subarray(12, 12 + SET_ID_BYTES)),
    seq: view.getUint32(28),
    header: decodeVaultHeader(file.subarray(RUN_PREFIX_BYTES, RUN_PREFIX_BYTES + headerLength)),
    prefixLength: RUN_PREFIX_BYTES + headerLength,
  };
}

export function encodeRunFile(backupKey: Uint8Array, header: VaultHeader, index: RunIndex): Uint8Array {
  const headerBytes = encodeVaultHeader(header);
  const prefix = new Uint8Array(RUN_PREFIX_BYTES + headerBytes.byteLength);
  const view = new DataView(prefix.buffer);
  prefix.set(encoder.encode(RUN_MAGIC));
  view.setUint16(8, BACKUP_VERSION);
  view.setUint16(10, 0);
  prefix.set(sodium.from_hex(index.set), 12);
  view.setUint32(28, index.seq);
  view.setUint32(32, headerBytes.byteLength);
  prefix.set(headerBytes, RUN_PREFIX_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    encoder.encode(JSON.stringify(index)),
    prefix,
    null,
    nonce,
    backupKey,
  );
  const file = new Uint8Array(prefix.byteLength + NONCE_BYTES + sealed.byteLength);
  file.set(prefix);
  file.set(nonce, prefix.byteLength);
  file.set(sealed, prefix.byteLength + NONCE_BYTES);
  if (file.byteLength > MAX_RUN_FILE_BYTES) throw new RangeError('run index too large');
  return file;
}

/** The run's index, opened with the backup key and checked against the prefix; refused with a typed reason. */
export function openRunFile(backupKey: Uint8Array, file: Uint8Array, prefix = readRunPrefix(file)): RunIndex {
  let plain: Uint8Array;
  try {
    plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      file.subarray(prefix.prefixLength + NONCE_BYTES),
      file.subarray(0, prefix.prefixLength),
      file.subarray(prefix.prefixLength, prefix.prefixLength + NONCE_BYTES),
      backupKey,
    );
  } catch {
    throw new BackupError('run-corrupt', `Run ${prefix.seq} has been altered or cut short, or is not of this vault.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(plain));
  } catch {
    throw new BackupError('run-corrupt', `Run ${prefix.seq} does not hold a readable index.`);
  }
  const parsed = runIndexSchema.safeParse(value);
  if (!parsed.success) throw new BackupError('run-corrupt', `Run ${prefix.seq} does not hold a valid index.`);
  const index = parsed.data;
  if (index.set !== prefix.set || index.seq !== prefix.seq || index.vault !== sodium.to_hex(prefix.header.vaultId))
    throw new BackupError('run-corrupt', `Run ${prefix.seq} does not match its own header.`);
  return index;
}

/** BLAKE2b-256 of a whole run file: what the next run's `prev` names. */
export const runFileHash = (file: Uint8Array): string => sodium.to_hex(sodium.crypto_generichash(32, file, null));
