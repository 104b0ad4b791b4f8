import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from './random';

/**
 * Subkeys of the vault master key, one per purpose, each with its own
 * 8-character context so a key for one purpose is useless for another.
 */
const SUBKEYS = {
  records: { id: 1, context: 'evrecord' },
  blindIndex: { id: 2, context: 'evblindx' },
  headerMac: { id: 3, context: 'evheader' },
  custodyLog: { id: 4, context: 'evcustod' },
  /** Backup run files (docs/backup-format.md): derived when a backup is written, verified or restored. */
  backup: { id: 5, context: 'evbackup' },
} as const;

export type SubkeyPurpose = keyof typeof SUBKEYS;

export const MASTER_KEY_BYTES = 32;

export function newMasterKey(): Uint8Array {
  return randomBytes(MASTER_KEY_BYTES);
}

export function deriveSubkey(masterKey: Uint8Array, purpose: SubkeyPurpose): Uint8Array {
  const { id, context } = SUBKEYS[purpose];
  return sodium.crypto_kdf_derive_from_key(32, id, context, masterKey);
}

/** The keys an unlocked vault works with; all zeroed at lock. */
export interface VaultKeys {
  master: Uint8Array;
  records: Uint8Array;
  blindIndex: Uint8Array;
  headerMac: Uint8Array;
  custodyLog: Uint8Array;
}

export function expandMasterKey(master: Uint8Array): VaultKeys {
  return {
    master,
    records: deriveSubkey(master, 'records'),
    blindIndex: deriveSubkey(master, 'blindIndex'),
    headerMac: deriveSubkey(master, 'headerMac'),
    custodyLog: deriveSubkey(master, 'custodyLog'),
  };
}

export function wipeKeys(keys: VaultKeys): void {
  for (const key of [keys.master, keys.records, keys.blindIndex, keys.headerMac, keys.custodyLog]) sodium.memzero(key);
}

/** A keyed hash for index fields: equal inputs give equal tokens, and
 * nothing else about the input can be learned without the key. */
export function blindIndex(key: Uint8Array, value: string): string {
  return sodium.to_hex(sodium.crypto_generichash(16, sodium.from_string(value), key));
}

/** A random 128-bit id, hex: primary keys reveal neither time nor content. */
export function randomId(): string {
  return sodium.to_hex(randomBytes(16));
}
