import sodium from 'libsodium-wrappers-sumo';
import { canonicalBytes } from '../../renderer/src/vault/worker/crypto/canonical';
import { checksumOf, type RecoveryBoxSlot, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { deriveKeyEncryptionKeyInThisThread, newKdfParams } from '../../renderer/src/vault/worker/crypto/kdf';
import { deriveSubkey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { randomBytes } from '../../renderer/src/vault/worker/crypto/random';

/**
 * A header as versions before format 2 wrote it, built here from the format 1
 * description (docs/threat-model.md, "Vault header"), not by the code under
 * test: a symmetric recovery slot, and the creation time earlier versions
 * kept in plaintext (0 from issue 15 on).
 */
export function formatOneHeader(
  passphrase: Uint8Array,
  recoveryKey: Uint8Array,
  kdfSettings: { opsLimit: number; memLimit: number },
  createdAt = 0,
  masterKey = newMasterKey(),
): { header: VaultHeader; masterKey: Uint8Array } {
  const vaultId = randomBytes(16);
  const kdf = newKdfParams(kdfSettings);
  const wrap = (kek: Uint8Array, associatedData: Uint8Array) => {
    const nonce = randomBytes(24);
    return {
      nonce,
      wrappedKey: sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(masterKey, associatedData, null, nonce, kek),
    };
  };
  const passphraseSlot = wrap(
    deriveKeyEncryptionKeyInThisThread(passphrase, kdf),
    canonicalBytes(['ev-key-slot', 'passphrase', 1, vaultId, kdf.algorithm, kdf.opsLimit, kdf.memLimit, kdf.salt]),
  );
  const recoverySlot = wrap(
    sodium.crypto_generichash(32, canonicalBytes(['ev-recovery-kek', vaultId]), recoveryKey),
    canonicalBytes(['ev-key-slot', 'recovery', 1, vaultId]),
  );
  const macInput = canonicalBytes([
    'ev-header',
    'evidence-vault',
    1,
    vaultId,
    createdAt,
    kdf.algorithm,
    kdf.opsLimit,
    kdf.memLimit,
    kdf.salt,
    passphraseSlot.nonce,
    passphraseSlot.wrappedKey,
    recoverySlot.nonce,
    recoverySlot.wrappedKey,
  ]);
  const mac = sodium.crypto_generichash(32, macInput, deriveSubkey(masterKey, 'headerMac'));
  const unsealed = {
    magic: 'evidence-vault',
    formatVersion: 1,
    vaultId,
    createdAt,
    kdf,
    passphraseSlot,
    recoverySlot,
    mac,
  };
  return { header: { ...unsealed, checksum: checksumOf(unsealed) }, masterKey };
}

/**
 * What someone with the disk and no key can do to a format 2 header: seal a
 * master key of their own to the recovery public key already there, and
 * make the MAC and checksum with it (built here from the format's
 * description). The recovery key then "opens" it to their key.
 */
export function withForeignRecoveryKey(header: VaultHeader): VaultHeader {
  const slot = header.recoverySlot as RecoveryBoxSlot;
  const foreign = newMasterKey();
  const recoverySlot = { publicKey: slot.publicKey, sealedKey: sodium.crypto_box_seal(foreign, slot.publicKey) };
  const macInput = canonicalBytes([
    'ev-header',
    header.magic,
    header.formatVersion,
    header.vaultId,
    header.createdAt,
    header.kdf.algorithm,
    header.kdf.opsLimit,
    header.kdf.memLimit,
    header.kdf.salt,
    header.passphraseSlot.nonce,
    header.passphraseSlot.wrappedKey,
    'recovery-box',
    recoverySlot.publicKey,
    recoverySlot.sealedKey,
  ]);
  const mac = sodium.crypto_generichash(32, macInput, deriveSubkey(foreign, 'headerMac'));
  const { checksum: _checksum, ...rest } = { ...header, recoverySlot, mac };
  return { ...rest, checksum: checksumOf(rest) };
}
