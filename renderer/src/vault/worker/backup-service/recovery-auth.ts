import sodium from 'libsodium-wrappers-sumo';
import { recoveryTagOf, type RunIndex } from '../backup';
import { recoveryBackupAuthKey, recoveryPublicKey, type VaultHeader } from '../crypto/header';
import { rowNames } from '../row-ids';
import type { VaultStore } from '../vault-store';

/**
 * The vault's recovery tag keys (one `recovery-auth` record): the key each
 * recovery key gives for backup tags (recoveryBackupAuthKey), named by that
 * recovery key's public key. Kept from the moment a recovery key is made
 * (creation, a new recovery key) or typed (a recovery, a restore with it); a
 * vault from before this kept none until then, and its runs carry no tag.
 */
const recordId = (store: VaultStore) => store.blind(rowNames.recoveryAuth());

/** A recovery key's tag key, named by its public key: taken while the recovery key is at hand, wiped by its user. */
export interface RecoveryTagKey {
  publicKey: string;
  key: Uint8Array;
}

export function recoveryTagKeyOf(recoveryKey: Uint8Array, vaultId: Uint8Array): RecoveryTagKey {
  return {
    publicKey: sodium.to_hex(recoveryPublicKey(recoveryKey, vaultId)),
    key: recoveryBackupAuthKey(recoveryKey, vaultId),
  };
}

/**
 * The `recovery-auth` row holding `tagKey`, beside the one for `currentHeader`'s recovery slot if that is another
 * (a re-key under way may still end with it); others go. Committed by the caller with whatever else it writes.
 * `tagKey.key` is not wiped here.
 */
export async function recoveryAuthRow(store: VaultStore, tagKey: RecoveryTagKey, currentHeader: VaultHeader | null) {
  const { publicKey } = tagKey;
  const id = recordId(store);
  const kept = await keptTagKeys(store);
  const current = currentHeader ? publicKeyOf(currentHeader) : null;
  const other = kept.find((entry) => entry.publicKey === current && entry.publicKey !== publicKey);
  try {
    return await store.seal('recovery-auth', null, id, {
      publicKey,
      key: tagKey.key,
      ...(other ? { otherPublicKey: other.publicKey, otherKey: other.key } : {}),
    });
  } finally {
    for (const entry of kept) sodium.memzero(entry.key);
  }
}

/** The tag key for `header`'s recovery slot, or null if the vault keeps none for it. The caller wipes it. */
export async function recoveryTagKey(store: VaultStore, header: VaultHeader): Promise<Uint8Array | null> {
  const publicKey = publicKeyOf(header);
  if (publicKey === null) return null;
  const kept = await keptTagKeys(store);
  let found: Uint8Array | null = null;
  for (const entry of kept) {
    if (entry.publicKey === publicKey && found === null) found = entry.key;
    else sodium.memzero(entry.key);
  }
  return found;
}

/** The tag keys the vault keeps (none before the first recovery key of this version). The caller wipes them. */
async function keptTagKeys(store: VaultStore): Promise<RecoveryTagKey[]> {
  const record = await store.find('recovery-auth', null, recordId(store));
  if (!record) return [];
  const keys = [{ publicKey: record.publicKey, key: record.key }];
  if (record.otherPublicKey && record.otherKey) keys.push({ publicKey: record.otherPublicKey, key: record.otherKey });
  return keys;
}

function publicKeyOf(header: VaultHeader): string | null {
  return 'publicKey' in header.recoverySlot ? sodium.to_hex(header.recoverySlot.publicKey) : null;
}

/** Gives `index` (complete but for its tag) the recovery tag of `header`'s recovery key, if the vault keeps its key. */
export async function tagRun(store: VaultStore, header: VaultHeader, index: RunIndex): Promise<void> {
  const key = await recoveryTagKey(store, header);
  if (!key) return;
  try {
    index.recoveryTag = recoveryTagOf(key, header, index);
  } finally {
    sodium.memzero(key);
  }
}
