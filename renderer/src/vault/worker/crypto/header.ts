import sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from './random';
import { canonicalBytes, type CanonicalField } from './canonical';
import { VaultError } from './errors';
import { assertKdfParamsAcceptable, deriveKeyEncryptionKey, newKdfParams, type KdfParams } from './kdf';
import { MASTER_KEY_BYTES, deriveSubkey, newMasterKey } from './keys';

/**
 * The vault header: everything needed to turn a passphrase or recovery key
 * into the master key. Stored unencrypted (it must be read before any key
 * exists) but protected three ways:
 * - a checksum (unkeyed BLAKE2b) tells accidental damage apart from a wrong
 *   passphrase before the slow KDF runs;
 * - each key slot's ciphertext binds the header fields it depends on as
 *   associated data, so edited KDF settings cannot unwrap the key;
 * - a MAC keyed from the master key covers the whole header, so a change to
 *   the other slot or the vault id is caught after unlock.
 */
export const HEADER_MAGIC = 'evidence-vault';
export const HEADER_FORMAT_VERSION = 1;
const VAULT_ID_BYTES = 16;
const NONCE_BYTES = 24;

export interface KeySlot {
  nonce: Uint8Array;
  wrappedKey: Uint8Array;
}

export interface VaultHeader {
  magic: string;
  formatVersion: number;
  vaultId: Uint8Array;
  /**
   * Always 0 in headers this version writes. Earlier versions stored the vault's creation time here, in
   * plaintext, for no use: it is kept as a field (covered by the MAC, as before) so those headers still
   * open and older builds still read new ones, and it is set to 0 whenever the header is written again
   * (unlock, passphrase change, new recovery key). Never a time again: see NO_CREATION_TIME.
   */
  createdAt: number;
  kdf: KdfParams;
  passphraseSlot: KeySlot;
  recoverySlot: KeySlot;
  mac: Uint8Array;
  checksum: Uint8Array;
}

/** What new headers store as `createdAt`: someone with the disk must not learn when the vault was made. */
export const NO_CREATION_TIME = 0;

type SlotName = 'passphrase' | 'recovery';

function kdfFields(kdf: KdfParams): CanonicalField[] {
  return [kdf.algorithm, kdf.opsLimit, kdf.memLimit, kdf.salt];
}

function slotAssociatedData(header: Pick<VaultHeader, 'formatVersion' | 'vaultId' | 'kdf'>, slot: SlotName) {
  const fields: CanonicalField[] = ['ev-key-slot', slot, header.formatVersion, header.vaultId];
  return canonicalBytes(slot === 'passphrase' ? [...fields, ...kdfFields(header.kdf)] : fields);
}

function macInput(header: Omit<VaultHeader, 'mac' | 'checksum'>): Uint8Array {
  return canonicalBytes([
    'ev-header',
    header.magic,
    header.formatVersion,
    header.vaultId,
    header.createdAt,
    ...kdfFields(header.kdf),
    header.passphraseSlot.nonce,
    header.passphraseSlot.wrappedKey,
    header.recoverySlot.nonce,
    header.recoverySlot.wrappedKey,
  ]);
}

/** Public: anyone can recompute it, so it detects damage, not forgery. */
export function checksumOf(header: Omit<VaultHeader, 'checksum'>): Uint8Array {
  return sodium.crypto_generichash(32, canonicalBytes([macInput(header), header.mac]), null);
}

function computeMac(header: Omit<VaultHeader, 'mac' | 'checksum'>, masterKey: Uint8Array): Uint8Array {
  const macKey = deriveSubkey(masterKey, 'headerMac');
  try {
    return sodium.crypto_generichash(32, macInput(header), macKey);
  } finally {
    sodium.memzero(macKey);
  }
}

function recoveryKeyEncryptionKey(recoveryKey: Uint8Array, vaultId: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(32, canonicalBytes(['ev-recovery-kek', vaultId]), recoveryKey);
}

function wrap(masterKey: Uint8Array, kek: Uint8Array, associatedData: Uint8Array): KeySlot {
  const nonce = randomBytes(NONCE_BYTES);
  const wrappedKey = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(masterKey, associatedData, null, nonce, kek);
  return { nonce, wrappedKey };
}

/** Returns the master key, or null when the secret is wrong (or the slot's
 * bound fields were edited: the two cannot be told apart, by design). */
function unwrap(slot: KeySlot, kek: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
  try {
    const key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      slot.wrappedKey,
      associatedData,
      slot.nonce,
      kek,
    );
    return key.byteLength === MASTER_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

function seal(unsealed: Omit<VaultHeader, 'mac' | 'checksum'>, masterKey: Uint8Array): VaultHeader {
  const mac = computeMac(unsealed, masterKey);
  const withMac = { ...unsealed, mac };
  return { ...withMac, checksum: checksumOf(withMac) };
}

export interface NewVault {
  header: VaultHeader;
  masterKey: Uint8Array;
}

export function createHeader(
  passphrase: Uint8Array,
  recoveryKey: Uint8Array,
  kdfSettings?: { opsLimit: number; memLimit: number },
): NewVault {
  const masterKey = newMasterKey();
  const base = {
    magic: HEADER_MAGIC,
    formatVersion: HEADER_FORMAT_VERSION,
    vaultId: randomBytes(VAULT_ID_BYTES),
    createdAt: NO_CREATION_TIME,
    kdf: newKdfParams(kdfSettings),
  };
  const kek = deriveKeyEncryptionKey(passphrase, base.kdf);
  const recoveryKek = recoveryKeyEncryptionKey(recoveryKey, base.vaultId);
  try {
    const header = seal(
      {
        ...base,
        passphraseSlot: wrap(masterKey, kek, slotAssociatedData(base, 'passphrase')),
        recoverySlot: wrap(masterKey, recoveryKek, slotAssociatedData(base, 'recovery')),
      },
      masterKey,
    );
    return { header, masterKey };
  } finally {
    sodium.memzero(kek);
    sodium.memzero(recoveryKek);
  }
}

/** Structural and checksum checks: cheap, run before any KDF. */
export function checkHeaderIntegrity(header: VaultHeader): void {
  if (header.magic !== HEADER_MAGIC)
    throw new VaultError('header-damaged', 'The vault header is not an Evidence Vault header.');
  if (header.formatVersion !== HEADER_FORMAT_VERSION)
    throw new VaultError(
      'unknown-format-version',
      'This vault was written by a newer or unknown version of the app.',
      `format ${header.formatVersion}`,
    );
  const { checksum, ...rest } = header;
  if (!(checksum instanceof Uint8Array) || !sodium.memcmp(checksum, checksumOf(rest)))
    throw new VaultError('header-damaged', 'The vault header is damaged: its checksum does not match.');
  assertKdfParamsAcceptable(header.kdf);
}

function verifyMac(header: VaultHeader, masterKey: Uint8Array): void {
  const { mac, checksum: _checksum, ...rest } = header;
  if (mac.byteLength !== 32 || !sodium.memcmp(mac, computeMac(rest, masterKey))) {
    sodium.memzero(masterKey);
    throw new VaultError('header-altered', 'The vault header was altered: its authentication code does not match.');
  }
}

export function unlockWithPassphrase(header: VaultHeader, passphrase: Uint8Array): Uint8Array {
  checkHeaderIntegrity(header);
  const kek = deriveKeyEncryptionKey(passphrase, header.kdf);
  const masterKey = unwrap(header.passphraseSlot, kek, slotAssociatedData(header, 'passphrase'));
  sodium.memzero(kek);
  if (!masterKey) throw new VaultError('wrong-secret', 'Wrong passphrase.');
  verifyMac(header, masterKey);
  return masterKey;
}

export function unlockWithRecoveryKey(header: VaultHeader, recoveryKey: Uint8Array): Uint8Array {
  checkHeaderIntegrity(header);
  const kek = recoveryKeyEncryptionKey(recoveryKey, header.vaultId);
  const masterKey = unwrap(header.recoverySlot, kek, slotAssociatedData(header, 'recovery'));
  sodium.memzero(kek);
  if (!masterKey) throw new VaultError('wrong-secret', 'This recovery key does not open this vault.');
  verifyMac(header, masterKey);
  return masterKey;
}

/** A new passphrase re-wraps the master key (fresh salt); nothing else is
 * re-encrypted. */
export function rewrapPassphrase(
  header: VaultHeader,
  masterKey: Uint8Array,
  newPassphrase: Uint8Array,
  kdfSettings?: { opsLimit: number; memLimit: number },
): VaultHeader {
  const { mac: _mac, checksum: _checksum, ...rest } = header;
  const kdf = newKdfParams(kdfSettings ?? { opsLimit: header.kdf.opsLimit, memLimit: header.kdf.memLimit });
  const kek = deriveKeyEncryptionKey(newPassphrase, kdf);
  try {
    const next = { ...rest, createdAt: NO_CREATION_TIME, kdf };
    return seal({ ...next, passphraseSlot: wrap(masterKey, kek, slotAssociatedData(next, 'passphrase')) }, masterKey);
  } finally {
    sodium.memzero(kek);
  }
}

/** A new recovery key replaces the old one: the old key stops opening the vault. */
export function rewrapRecoveryKey(header: VaultHeader, masterKey: Uint8Array, recoveryKey: Uint8Array): VaultHeader {
  const { mac: _mac, checksum: _checksum, ...rest } = header;
  const kek = recoveryKeyEncryptionKey(recoveryKey, header.vaultId);
  try {
    return seal(
      {
        ...rest,
        createdAt: NO_CREATION_TIME,
        recoverySlot: wrap(masterKey, kek, slotAssociatedData(rest, 'recovery')),
      },
      masterKey,
    );
  } finally {
    sodium.memzero(kek);
  }
}

/**
 * A header written by an earlier version carries its creation time; this is
 * the same header without it (MAC and checksum made again), or null when
 * there is nothing to drop. Key slots do not bind the field, so they stay.
 */
export function withoutCreationTime(header: VaultHeader, masterKey: Uint8Array): VaultHeader | null {
  if (header.createdAt === NO_CREATION_TIME) return null;
  const { mac: _mac, checksum: _checksum, ...rest } = header;
  return seal({ ...rest, createdAt: NO_CREATION_TIME }, masterKey);
}
