import sodium from 'libsodium-wrappers-sumo';
import { decodeState, encodeState, type BackupState } from '../backup';
import type { CustodyEntryInput } from '../custody-log';
import { deriveSubkey } from '../crypto/keys';
import type { RecordOf } from '../record-kinds';
export { backupFolderRefSchema } from '../record-kinds';
import { rowNames } from '../row-ids';
import { loadSealedBlob, writeSealedBlob } from '../sealed-blob';
import type { VaultStore } from '../vault-store';

/**
 * What a vault remembers of each backup set it writes (a `backup-set`
 * record): the last run, and the state after it as a sealed blob. A folder
 * the app can read holds that state itself; a browser's downloads do not,
 * so an incremental run there starts from this.
 */
export type KnownSet = RecordOf<'backup-set'>;

/** The tag prefix of a set's state blob (sealed-blob.ts): never copied into a backup itself. */
export const BACKUP_STATE_BLOB = 'backup-state-blob';

/** The key that seals run indexes: a subkey of the master key (docs/backup-format.md, "Keys"). */
export const backupKeyOf = (masterKey: Uint8Array): Uint8Array => deriveSubkey(masterKey, 'backup');

/** Names which backup key a set is sealed with, without revealing it. */
export const keyCheckOf = (backupKey: Uint8Array): string =>
  sodium.to_hex(sodium.crypto_generichash(16, new TextEncoder().encode('evidence-vault/backup/key-check'), backupKey));

export const setRowId = (store: VaultStore, setId: string): string => store.blind(rowNames.backupSet(setId));

export async function knownSets(store: VaultStore): Promise<KnownSet[]> {
  return (await store.list('backup-set', null)).map((row) => row.value);
}

/** The state after the set's last run as this vault kept it, or null if it is not kept (or unreadable). */
export async function keptState(store: VaultStore, set: KnownSet): Promise<BackupState | null> {
  if (set.stateBlob === '') return null;
  const bytes = await loadSealedBlob(store, set.stateBlob).catch(() => null);
  if (!bytes) return null;
  try {
    return decodeState(bytes);
  } catch {
    return null;
  } finally {
    bytes.fill(0);
  }
}

/**
 * Records a run in the vault in one commit: the set's record, its new state
 * blob (the old one goes), and `log`. A failure leaves the vault as before.
 */
export async function rememberRun(
  store: VaultStore,
  set: Omit<KnownSet, 'stateBlob'>,
  state: BackupState,
  previousBlob: string | undefined,
  log: CustodyEntryInput[],
  options: {
    header?: Parameters<VaultStore['commit']>[0]['header'];
    /** Other rows to land in the same commit. */
    put?: Awaited<ReturnType<VaultStore['seal']>>[];
    /** Other blobs to remove in it (state blobs of sets retired with this run). */
    deleteBlobs?: string[];
    /** Records to remove in it. */
    delete?: Parameters<VaultStore['commit']>[0]['delete'];
  } = {},
): Promise<void> {
  const id = setRowId(store, set.setId);
  const bytes = encodeState(state);
  const written = await writeSealedBlob(store, bytes, BACKUP_STATE_BLOB, [id]).finally(() => bytes.fill(0));
  try {
    await store.commit({
      header: options.header,
      put: [await store.seal('backup-set', null, id, { ...set, stateBlob: written.blobId }), ...(options.put ?? [])],
      delete: options.delete ?? [],
      putBlobs: [written.row],
      deleteBlobs: [
        ...(previousBlob && previousBlob !== written.blobId ? [previousBlob] : []),
        ...(options.deleteBlobs ?? []),
      ],
      log,
      derived: true,
    });
  } catch (error) {
    await written.discard().catch(() => undefined);
    throw error;
  }
}
