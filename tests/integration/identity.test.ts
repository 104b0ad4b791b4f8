import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIdentityKeyFile, recipientKeyId } from '../../renderer/src/vault/worker/bundle';
import { bytes, newVault as newVaultIn, PASSPHRASE } from '../support/vault-service';

const FILE_PASSPHRASE = 'tamarind kettle 2031 bridge sunrise';

const newVault = () => newVaultIn('identity');

beforeAll(async () => {
  await sodium.ready;
});

describe('identity and contacts', () => {
  it('makes an identity with the vault, logged, and keeps it across a lock', async () => {
    const { vault } = await newVault();
    const identity = await vault.getIdentity();
    expect(identity.fingerprint).toHaveLength(12);
    expect(identity.keyId).toBe(recipientKeyId(sodium.from_hex(identity.encryptionKey)));
    await expect(vault.identityCard()).rejects.toMatchObject({ code: 'invalid-input' });
    await vault.renameIdentity('Zqmonitor Phnom Penh team');
    await vault.lock();
    await vault.unlock(bytes(PASSPHRASE));
    expect(await vault.getIdentity()).toEqual({ ...identity, name: 'Zqmonitor Phnom Penh team' });
    // vault-created, identity created, identity renamed: the chain holds.
    expect(await vault.verifyLog()).toEqual({ ok: true, count: 3 });
  });

  it('adds a contact from a card, refuses its own card and a swapped key, verifies, renames and removes', async () => {
    const { vault: monitor } = await newVault();
    const { vault: coordinator } = await newVault();
    await monitor.renameIdentity('Monitor');
    await coordinator.renameIdentity('Coordinator');
    const card = await monitor.identityCard();

    await expect(monitor.addContact(card)).rejects.toMatchObject({ code: 'invalid-input', detail: 'own-card' });
    const contact = await coordinator.addContact(card);
    const monitorIdentity = await monitor.getIdentity();
    expect(contact).toMatchObject({ name: 'Monitor', verified: false, fingerprint: monitorIdentity.fingerprint });
    expect(await coordinator.addContact(card)).toEqual(contact);

    // Someone else's encryption key under the monitor's signing key (re-signed or not) is refused.
    const tampered = JSON.parse(card) as Record<string, string>;
    tampered.encryptionKey = (await coordinator.getIdentity()).encryptionKey;
    await expect(coordinator.addContact(JSON.stringify(tampered))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(coordinator.addContact('not json')).rejects.toMatchObject({ code: 'invalid-input' });

    const verified = await coordinator.updateContact(contact.id, { verified: true });
    expect(verified.verified).toBe(true);
    expect(verified.verifiedAt).not.toBeNull();
    expect((await coordinator.updateContact(contact.id, { name: 'Monitor (Siem Reap)' })).name).toBe(
      'Monitor (Siem Reap)',
    );
    expect(await coordinator.listContacts()).toHaveLength(1);
    await coordinator.removeContact(contact.id);
    expect(await coordinator.listContacts()).toEqual([]);
  });

  it('exports the identity keys in a passphrase-sealed file only with the vault passphrase', async () => {
    const { db, vault } = await newVault();
    await vault.renameIdentity('Zqkeyfile owner');
    await expect(vault.identityKeyFile(bytes('wrong passphrase here'), bytes(FILE_PASSPHRASE))).rejects.toMatchObject({
      code: 'wrong-secret',
    });
    await expect(vault.identityKeyFile(bytes(PASSPHRASE), bytes('short'))).rejects.toMatchObject({
      code: 'weak-passphrase',
    });
    const file = await vault.identityKeyFile(bytes(PASSPHRASE), bytes(FILE_PASSPHRASE));
    expect(file).not.toContain('Zqkeyfile');
    const keys = await readIdentityKeyFile(file, bytes(FILE_PASSPHRASE));
    const identity = await vault.getIdentity();
    expect(sodium.to_hex(keys.signPublicKey)).toBe(identity.signingKey);
    expect(sodium.to_hex(keys.boxPublicKey)).toBe(identity.encryptionKey);
    expect(keys.name).toBe('Zqkeyfile owner');
    await expect(readIdentityKeyFile(file, bytes('not the passphrase'))).rejects.toThrow(/Wrong passphrase/);

    // Nothing of the identity is readable at rest.
    const dump = JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())), (_key, value: unknown) =>
      value instanceof Uint8Array ? sodium.to_hex(value) : value,
    );
    for (const marker of ['Zqkeyfile', identity.signingKey, identity.encryptionKey, sodium.to_hex(keys.boxSecretKey)])
      expect(dump).not.toContain(marker);
  });
});
