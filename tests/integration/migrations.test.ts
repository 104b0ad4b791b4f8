import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealJson } from '../../renderer/src/vault/worker/crypto/envelope';
import { expandMasterKey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import type { MigrationTable } from '../../renderer/src/vault/worker/migrations';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { RECORD_MIGRATIONS, VaultStore } from '../../renderer/src/vault/worker/vault-store';

beforeAll(async () => {
  await sodium.ready;
});

let counter = 0;
async function storeWith(migrations: MigrationTable = RECORD_MIGRATIONS) {
  const db = new VaultDatabase(`migrations-${++counter}`);
  const keys = expandMasterKey(newMasterKey());
  const store = await VaultStore.open(db, keys, 'test', migrations);
  return { db, keys, store };
}

describe('record schema migrations', () => {
  it('upgrades a record written by the previous schema when it is read', async () => {
    // A vault written when settings were { lockAfter } (schema 1), read by an app at schema 2.
    const next: MigrationTable = {
      ...RECORD_MIGRATIONS,
      settings: {
        current: 2,
        steps: [(value) => ({ autoLockMinutes: (value as { lockAfter: number }).lockAfter })],
      },
    };
    const { db, keys } = await storeWith();
    const envelope = sealJson(keys.records, { table: 'settings', id: 'settings' }, 1, { lockAfter: 7 });
    const writer = await VaultStore.open(db, keys, 'test');
    await db.records.put({ ...writer.sealVaultRecord('settings', 'settings', {}), env: envelope });

    const reader = await VaultStore.open(db, keys, 'test', next);
    expect(await reader.readVaultRecord('settings', 'settings')).toEqual({ autoLockMinutes: 7 });
  });

  it('refuses a record from a newer schema instead of misreading it', async () => {
    const { db, keys, store } = await storeWith();
    const row = store.sealVaultRecord('settings', 'settings', { autoLockMinutes: 5 });
    await db.records.put({ ...row, env: sealJson(keys.records, { table: 'settings', id: 'settings' }, 9, {}) });
    await expect(store.readVaultRecord('settings', 'settings')).rejects.toMatchObject({
      code: 'unknown-format-version',
    });
  });

  it('reads every current table at its current version without change', async () => {
    const { store } = await storeWith();
    await store.commit({ put: [store.sealVaultRecord('settings', 'settings', { autoLockMinutes: 5 })] });
    expect(await store.readVaultRecord('settings', 'settings')).toEqual({ autoLockMinutes: 5 });
  });
});
