import sodium from 'libsodium-wrappers-sumo';
import { canonicalBytes } from '../crypto/canonical';
import type { VaultHeader } from '../crypto/header';
import { BackupError } from './errors';
import type { RunIndex } from './run-index';

/**
 * A run's recovery tag (docs/backup-format.md, "Recovery tag"): keyed
 * BLAKE2b-256, under the key the recovery key gives (recoveryBackupAuthKey),
 * of what the run stands for — its vault and recovery public key, its place
 * in the set, the run before it (by file hash, and so every run before),
 * its packs and the digest of the whole state after it. The header's
 * recovery slot proves nothing by itself (anyone can seal a key to its
 * public key); a matching tag shows the run came from a vault that held the
 * recovery key's tag key.
 */
export function recoveryTagOf(tagKey: Uint8Array, header: VaultHeader, index: RunIndex): string {
  const publicKey = 'publicKey' in header.recoverySlot ? header.recoverySlot.publicKey : new Uint8Array(0);
  const fields = [
    'ev-backup-recovery-tag',
    header.vaultId,
    publicKey,
    index.set,
    String(index.seq),
    index.run,
    index.prev ?? '',
    index.createdAt,
    String(index.logHead.count),
    index.logHead.lastHash,
    String(index.state.rows),
    String(index.state.bytes),
    index.state.digest,
    ...index.packs.flatMap((pack) => [pack.id, String(pack.size), pack.hash]),
  ];
  return sodium.to_hex(sodium.crypto_generichash(32, canonicalBytes(fields), tagKey));
}

/**
 * How a restored run's origin is known: the passphrase, its recovery tag, a format 1 recovery slot (sealed under a
 * key only the recovery key gives), or not at all (the recovery key opened a format 2 header and the run has no tag).
 */
export type RunProof = 'passphrase' | 'recovery-tag' | 'recovery-slot' | 'none';

/** Checks a run opened with the recovery key: 'recovery-tag' when its tag matches, 'none' when it has none. */
export function checkRecoveryTag(tagKey: Uint8Array, header: VaultHeader, index: RunIndex): RunProof {
  if (index.recoveryTag === undefined) return 'none';
  if (!sodium.memcmp(sodium.from_hex(index.recoveryTag), sodium.from_hex(recoveryTagOf(tagKey, header, index))))
    throw new BackupError(
      'not-authentic',
      `Run ${index.seq} was not written by the vault this recovery key belongs to: do not trust it.`,
    );
  return 'recovery-tag';
}
