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
    // Written through the store, as the earlier app did (the integrity map knows this sealing).
    await writer.commit({ put: [{ ...writer.sealVaultRecord('settings', 'settings', {}), env: envelope }] });

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

describe('IndexedDB schema upgrade', () => {
  it('opens a vault written with schema 1 (before documents) and keeps every record', async () => {
    const { createVaultService } = await import('../../renderer/src/vault/worker/vault-service');
    const { runSelfTest } = await import('../../renderer/src/vault/worker/self-test');
    const { emptyCaseFields, emptyProvenance } = await import('../../renderer/src/vault/model');
    const Dexie = (await import('dexie')).default;
    const passphrase = () => new TextEncoder().encode('orchid lantern 47 granite meadow');
    const options = { kdf: { opsLimit: 3, memLimit: 64 * 1024 * 1024 }, health: runSelfTest };

    // Build a vault, then copy its rows into a database that has only schema 1.
    const source = new VaultDatabase(`schema-source-${++counter}`);
    const original = createVaultService(source, options);
    await original.createVault(passphrase());
    const created = await original.createCase({ ...emptyCaseFields(), title: 'Written by schema 1' });
    await original.lock();
    // Versions of schema 1 kept no integrity map: it is built at the first unlock (trust on first use).
    const { asBeforeIntegrityMap } = await import('../support/vault-service');
    await asBeforeIntegrityMap(source);

    const name = `schema-v1-${++counter}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ meta: '&id', records: '&id, owner, [kind+owner]', log: '&id' });
    await v1.open();
    for (const table of ['meta', 'records', 'log'] as const)
      await v1.table(table).bulkPut(await source.table(table).toArray());
    v1.close();

    const upgraded = new VaultDatabase(name);
    const vault = createVaultService(upgraded, options);
    await vault.unlock(passphrase());
    expect(upgraded.verno).toBe(3);
    expect((await vault.getCase(created.id)).title).toBe('Written by schema 1');
    expect((await vault.verifyLog()).ok).toBe(true);
    const intakeId = await vault.beginIntake(created.id, 'after-upgrade.txt', 5);
    await vault.intakeChunk(intakeId, new TextEncoder().encode('hello'));
    expect((await vault.finishIntake(intakeId, emptyProvenance())).size).toBe(5);
  });
});
