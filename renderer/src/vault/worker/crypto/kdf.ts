import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from './random';
import { VaultError } from './errors';

export interface KdfParams {
  algorithm: 'argon2id13';
  /** Passes (t). */
  opsLimit: number;
  /** Memory in bytes (m). */
  memLimit: number;
  salt: Uint8Array;
}

const MiB = 1024 * 1024;

/** libsodium's MODERATE: about one second on a two-core laptop. */
export const DEFAULT_KDF = { opsLimit: 3, memLimit: 256 * MiB } as const;

/**
 * A header may not ask for less (a downgrade by whoever edited the disk) or
 * more (a forged header that would hang or exhaust the laptop). Checked
 * before the KDF runs.
 */
export const KDF_LIMITS = {
  minOpsLimit: 3,
  maxOpsLimit: 10,
  minMemLimit: 64 * MiB,
  maxMemLimit: 1024 * MiB,
} as const;

export const SALT_BYTES = 16;

export function assertKdfParamsAcceptable(params: KdfParams): void {
  const { opsLimit, memLimit } = params;
  const ok =
    params.algorithm === 'argon2id13' &&
    Number.isSafeInteger(opsLimit) &&
    Number.isSafeInteger(memLimit) &&
    opsLimit >= KDF_LIMITS.minOpsLimit &&
    opsLimit <= KDF_LIMITS.maxOpsLimit &&
    memLimit >= KDF_LIMITS.minMemLimit &&
    memLimit <= KDF_LIMITS.maxMemLimit &&
    params.salt.byteLength === SALT_BYTES;
  if (!ok)
    throw new VaultError(
      'kdf-params-refused',
      'The vault header asks for key-derivation settings outside the safe range; it was probably tampered with.',
      `t=${opsLimit}, m=${Math.round(memLimit / MiB)} MiB`,
    );
}

export function newKdfParams(settings: { opsLimit: number; memLimit: number } = DEFAULT_KDF): KdfParams {
  return { algorithm: 'argon2id13', ...settings, salt: randomBytes(SALT_BYTES) };
}

/** Passphrase → 32-byte key-encryption key. The passphrase bytes are wiped. */
export function deriveKeyEncryptionKey(passphrase: Uint8Array, params: KdfParams): Uint8Array {
  assertKdfParamsAcceptable(params);
  try {
    return sodium.crypto_pwhash(
      32,
      passphrase,
      params.salt,
      params.opsLimit,
      params.memLimit,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
  } finally {
    sodium.memzero(passphrase);
  }
}
