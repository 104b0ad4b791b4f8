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

/**
 * Argon2id here, in the calling thread: passphrase → 32-byte key-encryption key, the passphrase bytes wiped.
 * What the KDF worker runs, and what Node (CLI, tests) runs for every derivation.
 */
export function deriveKeyEncryptionKeyInThisThread(passphrase: Uint8Array, params: KdfParams): Uint8Array {
  try {
    assertKdfParamsAcceptable(params);
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

/** Where a derivation runs. It may wipe `passphrase`; it resolves to the 32-byte key. */
export type KdfRunner = (passphrase: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

export const inThisThread: KdfRunner = (passphrase, params) =>
  Promise.resolve().then(() => deriveKeyEncryptionKeyInThisThread(passphrase, params));

let runner: KdfRunner = inThisThread;

/**
 * Sets where every later derivation runs. The vault worker sends them to a short-lived worker of their own
 * (kdf-in-worker.ts): Argon2id's memory, 256 MiB by default, then goes with that worker instead of staying in
 * the vault worker's WebAssembly memory for good (it never shrinks). Node keeps the default, this thread.
 */
export function setKdfRunner(next: KdfRunner): void {
  runner = next;
}

/**
 * Passphrase → 32-byte key-encryption key. The settings are checked here, before anything leaves this thread;
 * the passphrase bytes are wiped here whatever happens.
 */
export async function deriveKeyEncryptionKey(passphrase: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  try {
    assertKdfParamsAcceptable(params);
    return await runner(passphrase, params);
  } finally {
    sodium.memzero(passphrase);
  }
}
