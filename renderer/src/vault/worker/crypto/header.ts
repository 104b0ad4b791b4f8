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
 *
 * Format 2 (this version writes it) changes only the recovery slot: the
 * master key is sealed to a public key derived from the recovery key
 * (crypto_box_seal), not wrapped under a key derived from it. A re-key
 * (rekey/) can then give the recovery key the new master key without
 * having the recovery key, and nothing derived from the old master key
 * leads to the new one. Format 1 headers (a symmetric recovery slot) still
 * open; a re-key of one also issues a new recovery key.
 */
export const HEADER_MAGIC = 'evidence-vault';
/** What new headers are written as. */
export const HEADER_FORMAT_VERSION = 2;
/** The format whose recovery slot is symmetric (`KeySlot`): still read, re-keyed into format 2. */
export const HEADER_FORMAT_SYMMETRIC_RECOVERY = 1;
const VAULT_ID_BYTES = 16;
const NONCE_BYTES = 24;

export interface KeySlot {
  nonce: Uint8Array;
  wrappedKey: Uint8Array;
}

/** Format 2's recovery slot: the master key sealed to the recovery key's public key. */
export interface RecoveryBoxSlot {
  publicKey: Uint8Array;
  sealedKey: Uint8Array;
}

export const isRecoveryBoxSlot = (slot: KeySlot | RecoveryBoxSlot): slot is RecoveryBoxSlot => 'publicKey' in slot;

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
  /** A `KeySlot` in format 1, a `RecoveryBoxSlot` in format 2. */
  recoverySlot: KeySlot | RecoveryBoxSlot;
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
    ...recoverySlotFields(header.recoverySlot),
  ]);
}

function recoverySlotFields(slot: KeySlot | RecoveryBoxSlot): CanonicalField[] {
  return isRecoveryBoxSlot(slot) ? ['recovery-box', slot.publicKey, slot.sealedKey] : [slot.nonce, slot.wrappedKey];
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

/** The recovery key's box key pair (format 2): the secret half only while a recovery runs, wiped after. */
function recoveryKeyPair(
  recoveryKey: Uint8Array,
  vaultId: Uint8Array,
): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const seed = sodium.crypto_generichash(
    sodium.crypto_box_SEEDBYTES,
    canonicalBytes(['ev-recovery-box', vaultId]),
    recoveryKey,
  );
  try {
    const { publicKey, privateKey } = sodium.crypto_box_seed_keypair(seed);
    return { publicKey, privateKey };
  } finally {
    sodium.memzero(seed);
  }
}

/** The public half alone: what a new recovery key leaves in the header. */
export function recoveryPublicKey(recoveryKey: Uint8Array, vaultId: Uint8Array): Uint8Array {
  const { publicKey, privateKey } = recoveryKeyPair(recoveryKey, vaultId);
  sodium.memzero(privateKey);
  return publicKey;
}

/**
 * A key only the recovery key gives (and the vault, which keeps it sealed from the moment the recovery key is made or
 * typed): backup runs carry a tag made with it, so a restore with the recovery key can tell a run this vault wrote
 * from one someone made by sealing a master key of their own to the recovery public key, which anyone can.
 */
export function recoveryBackupAuthKey(recoveryKey: Uint8Array, vaultId: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(32, canonicalBytes(['ev-recovery-backup-auth', vaultId]), recoveryKey);
}

/** Seals `masterKey` to the recovery public key: anyone can, so unlock checks the result (see recover). */
function sealToRecovery(masterKey: Uint8Array, publicKey: Uint8Array): RecoveryBoxSlot {
  return { publicKey, sealedKey: sodium.crypto_box_seal(masterKey, publicKey) };
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

export async function createHeader(
  passphrase: Uint8Array,
  recoveryKey: Uint8Array,
  kdfSettings?: { opsLimit: number; memLimit: number },
): Promise<NewVault> {
  const masterKey = newMasterKey();
  const base = {
    magic: HEADER_MAGIC,
    formatVersion: HEADER_FORMAT_VERSION,
    vaultId: randomBytes(VAULT_ID_BYTES),
    createdAt: NO_CREATION_TIME,
    kdf: newKdfParams(kdfSettings),
  };
  const kek = await deriveKeyEncryptionKey(passphrase, base.kdf).catch((error: unknown) => {
    sodium.memzero(masterKey);
    throw error;
  });
  try {
    const header = seal(
      {
        ...base,
        passphraseSlot: wrap(masterKey, kek, slotAssociatedData(base, 'passphrase')),
        recoverySlot: sealToRecovery(masterKey, recoveryPublicKey(recoveryKey, base.vaultId)),
      },
      masterKey,
    );
    return { header, masterKey };
  } finally {
    sodium.memzero(kek);
  }
}

/**
 * The header of a re-keyed vault: the same vault id, a new master key under
 * a new passphrase slot (fresh salt) and a recovery slot for the same
 * recovery key (format 2: sealed to its public key, which the header holds)
 * or, given one, for a new recovery key. A format 1 header has no public
 * key to seal to: its re-key needs a new recovery key.
 */
export async function rekeyedHeader(
  header: VaultHeader,
  masterKey: Uint8Array,
  passphrase: Uint8Array,
  newRecoveryKey: Uint8Array | null,
  kdfSettings?: { opsLimit: number; memLimit: number },
): Promise<VaultHeader> {
  const publicKey = newRecoveryKey
    ? recoveryPublicKey(newRecoveryKey, header.vaultId)
    : isRecoveryBoxSlot(header.recoverySlot)
      ? header.recoverySlot.publicKey
      : null;
  if (!publicKey) throw new VaultError('invalid-input', 'A re-key of a format 1 header needs a new recovery key.');
  const base = {
    magic: HEADER_MAGIC,
    formatVersion: HEADER_FORMAT_VERSION,
    vaultId: header.vaultId,
    createdAt: NO_CREATION_TIME,
    kdf: newKdfParams(kdfSettings ?? { opsLimit: header.kdf.opsLimit, memLimit: header.kdf.memLimit }),
  };
  const kek = await deriveKeyEncryptionKey(passphrase, base.kdf);
  try {
    return seal(
      {
        ...base,
        passphraseSlot: wrap(masterKey, kek, slotAssociatedData(base, 'passphrase')),
        recoverySlot: sealToRecovery(masterKey, publicKey),
      },
      masterKey,
    );
  } finally {
    sodium.memzero(kek);
  }
}

/** Structural and checksum checks: cheap, run before any KDF. */
export function checkHeaderIntegrity(header: VaultHeader): void {
  if (header.magic !== HEADER_MAGIC)
    throw new VaultError('header-damaged', 'The vault header is not an Evidence Vault header.');
  if (header.formatVersion !== HEADER_FORMAT_VERSION && header.formatVersion !== HEADER_FORMAT_SYMMETRIC_RECOVERY)
    throw new VaultError(
      'unknown-format-version',
      'This vault was written by a newer or unknown version of the app.',
      `format ${header.formatVersion}`,
    );
  if (isRecoveryBoxSlot(header.recoverySlot) !== (header.formatVersion === HEADER_FORMAT_VERSION))
    throw new VaultError('header-damaged', 'The vault header is damaged: its recovery slot does not fit its format.');
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

export async function unlockWithPassphrase(header: VaultHeader, passphrase: Uint8Array): Promise<Uint8Array> {
  checkHeaderIntegrity(header);
  const kek = await deriveKeyEncryptionKey(passphrase, header.kdf);
  const masterKey = unwrap(header.passphraseSlot, kek, slotAssociatedData(header, 'passphrase'));
  sodium.memzero(kek);
  if (!masterKey) throw new VaultError('wrong-secret', 'Wrong passphrase.');
  verifyMac(header, masterKey);
  return masterKey;
}

/**
 * The master key the recovery key opens. In format 2 anyone could have
 * sealed a key of their own to the public key (and made a MAC with it): the
 * caller must check the key opens the vault's own records before trusting
 * it (vault-service's recover does), or new evidence would be written under
 * a key someone else chose.
 */
export function unlockWithRecoveryKey(header: VaultHeader, recoveryKey: Uint8Array): Uint8Array {
  checkHeaderIntegrity(header);
  const slot = header.recoverySlot;
  let masterKey: Uint8Array | null;
  if (isRecoveryBoxSlot(slot)) {
    const pair = recoveryKeyPair(recoveryKey, header.vaultId);
    try {
      masterKey = sodium.memcmp(pair.publicKey, slot.publicKey) ? openRecoveryBox(slot, pair) : null;
    } finally {
      sodium.memzero(pair.privateKey);
    }
  } else {
    const kek = recoveryKeyEncryptionKey(recoveryKey, header.vaultId);
    masterKey = unwrap(slot, kek, slotAssociatedData(header, 'recovery'));
    sodium.memzero(kek);
  }
  if (!masterKey) throw new VaultError('wrong-secret', 'This recovery key does not open this vault.');
  verifyMac(header, masterKey);
  return masterKey;
}

function openRecoveryBox(slot: RecoveryBoxSlot, pair: { publicKey: Uint8Array; privateKey: Uint8Array }) {
  try {
    const key = sodium.crypto_box_seal_open(slot.sealedKey, pair.publicKey, pair.privateKey);
    return key.byteLength === MASTER_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/** A new passphrase re-wraps the master key (fresh salt); nothing else is
 * re-encrypted. */
export async function rewrapPassphrase(
  header: VaultHeader,
  masterKey: Uint8Array,
  newPassphrase: Uint8Array,
  kdfSettings?: { opsLimit: number; memLimit: number },
): Promise<VaultHeader> {
  const { mac: _mac, checksum: _checksum, ...rest } = header;
  const kdf = newKdfParams(kdfSettings ?? { opsLimit: header.kdf.opsLimit, memLimit: header.kdf.memLimit });
  const kek = await deriveKeyEncryptionKey(newPassphrase, kdf);
  try {
    const next = { ...rest, createdAt: NO_CREATION_TIME, kdf };
    return seal({ ...next, passphraseSlot: wrap(masterKey, kek, slotAssociatedData(next, 'passphrase')) }, masterKey);
  } finally {
    sodium.memzero(kek);
  }
}

/** A new recovery key replaces the old one, same master key (no re-key): the old key stops opening the vault.
 * The format stays (the passphrase slot binds it): a format 1 header gets a symmetric slot again. */
export function rewrapRecoveryKey(header: VaultHeader, masterKey: Uint8Array, recoveryKey: Uint8Array): VaultHeader {
  const { mac: _mac, checksum: _checksum, ...rest } = header;
  if (isRecoveryBoxSlot(header.recoverySlot))
    return seal(
      {
        ...rest,
        createdAt: NO_CREATION_TIME,
        recoverySlot: sealToRecovery(masterKey, recoveryPublicKey(recoveryKey, header.vaultId)),
      },
      masterKey,
    );
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
