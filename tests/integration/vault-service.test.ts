import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, type CaseFields } from '../../renderer/src/vault/model';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { bytes, codeOf, freshName, PASSPHRASE, vaultService } from '../support/vault-service';

/** A vault service on the database `name` (by default a new one), not created yet. */
function newVault(name = freshName('vault-test')): { db: VaultDatabase; vault: VaultWorkerApi; name: string } {
  return { ...vaultService(name), name };
}

function caseFields(title: string): CaseFields {
  return {
    ...emptyCaseFields(),
    title,
    references: ['CMBD/60'],
    status: 'on-trial',
    tags: ['art. 494'],
    people: [{ id: 'p1', name: 'Defender Name', role: 'accused', sensitive: true, notes: '' }],
    keyDates: [{ id: 'd1', label: 'Arrest', date: '2025-03' }],
  };
}

beforeAll(async () => {
  await sodium.ready;
});

describe('vault lifecycle', () => {
  it('refuses a weak passphrase and creates nothing', async () => {
    const { vault } = newVault();
    expect(await codeOf(vault.createVault(bytes('password123')))).toBe('weak-passphrase');
    expect((await vault.status()).state).toBe('no-vault');
  });

  it('creates, locks, refuses a wrong passphrase without changing anything, then unlocks', async () => {
    const { db, vault } = newVault();
    const { recoveryKey } = await vault.createVault(bytes(PASSPHRASE));
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    const created = await vault.createCase(caseFields('Case of the defender'));
    await vault.lock();
    expect((await vault.status()).state).toBe('locked');
    expect(await codeOf(vault.listCases())).toBe('locked');

    const before = await db.records.toArray();
    expect(await codeOf(vault.unlock(bytes('not the passphrase at all')))).toBe('wrong-secret');
    expect(await db.records.toArray()).toEqual(before);
    expect((await vault.status()).state).toBe('locked');

    await vault.unlock(bytes(PASSPHRASE));
    expect(await vault.getCase(created.id)).toEqual(created);
    expect((await vault.status()).failedAttempts).toBe(0);
  });

  it('backs off after repeated failures, and the count survives a restart', async () => {
    const { vault, name } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await vault.lock();
    for (let attempt = 0; attempt < 3; attempt++) await codeOf(vault.unlock(bytes(`wrong guess number ${attempt}`)));
    const restarted = newVault(name).vault;
    const status = await restarted.status();
    expect(status.failedAttempts).toBe(3);
    expect(status.retryAfterMs).toBeGreaterThan(0);
    expect(await codeOf(restarted.unlock(bytes(PASSPHRASE)))).toBe('backoff');
  });

  it('opens with the recovery key and sets a new passphrase; the old one stops working', async () => {
    const { vault } = newVault();
    const { recoveryKey } = await vault.createVault(bytes(PASSPHRASE));
    const created = await vault.createCase(caseFields('Recovered case'));
    await vault.lock();
    await vault.recover(recoveryKey.toLowerCase(), bytes('a brand new passphrase 2026 river'));
    expect(await vault.getCase(created.id)).toEqual(created);
    await vault.lock();
    expect(await codeOf(vault.unlock(bytes(PASSPHRASE)))).toBe('wrong-secret');
    await vault.unlock(bytes('a brand new passphrase 2026 river'));
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('changes the passphrase by sealing every record again under new keys', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const created = await vault.createCase(caseFields('Resealed ciphertext'));
    const envelope = (await db.records.get(created.id))?.env;
    await vault.changePassphrase(bytes(PASSPHRASE), bytes('second passphrase for this vault 99'));
    await vault.whenRekeyStops();
    const resealed = (await db.records.get(created.id))?.env;
    expect(resealed).toBeDefined();
    expect(resealed).not.toEqual(envelope);
    await vault.lock();
    await vault.unlock(bytes('second passphrase for this vault 99'));
    expect((await vault.getCase(created.id)).title).toBe('Resealed ciphertext');
  });

  it('keeps drafts across a lock', async () => {
    const { vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await vault.saveDraft('case-form:new', { title: 'half-typed title' });
    await vault.lock();
    await vault.unlock(bytes(PASSPHRASE));
    expect(await vault.loadDraft('case-form:new')).toEqual({ title: 'half-typed title' });
    await vault.discardDraft('case-form:new');
    expect(await vault.loadDraft('case-form:new')).toBeUndefined();
  });
});

describe('tamper detection', () => {
  it('names the record whose ciphertext was flipped, and detects two swapped records', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const first = await vault.createCase(caseFields('First'));
    const second = await vault.createCase(caseFields('Second'));

    const row = (await db.records.get(first.id))!;
    const flipped = row.env.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    await db.records.put({ ...row, env: flipped });
    await expect(vault.getCase(first.id)).rejects.toMatchObject({
      code: 'record-tampered',
      detail: `case ${first.id}`,
    });
    await db.records.put(row);

    const other = (await db.records.get(second.id))!;
    await db.records.put({ ...row, env: other.env });
    await db.records.put({ ...other, env: row.env });
    expect(await codeOf(vault.getCase(first.id))).toBe('record-tampered');
    expect(await codeOf(vault.getCase(second.id))).toBe('record-tampered');
  });

  it('detects a flipped bit in the stored header at unlock', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await vault.lock();
    const row = (await db.meta.get('header')) as { id: 'header'; header: { kdf: { salt: Uint8Array } } };
    row.header.kdf.salt[0] = (row.header.kdf.salt[0] ?? 0) ^ 1;
    await db.meta.put(row);
    expect(await codeOf(vault.unlock(bytes(PASSPHRASE)))).toBe('header-damaged');
  });
});

describe('custody log', () => {
  async function scriptedSession() {
    const setup = newVault();
    const { vault } = setup;
    await vault.createVault(bytes(PASSPHRASE));
    const a = await vault.createCase(caseFields('Case A'));
    await vault.updateCase(a.id, { ...caseFields('Case A, edited') });
    const b = await vault.createCase(caseFields('Case B'));
    await vault.setCaseArchived(b.id, true);
    await vault.deleteCase(b.id);
    return { ...setup, a, b };
  }

  it('verifies a scripted session and shows a per-case history', async () => {
    const { vault, a, b } = await scriptedSession();
    // vault created, identity created, then five case actions.
    expect(await vault.verifyLog()).toEqual({ ok: true, count: 7 });
    expect((await vault.caseHistory(a.id)).map((entry) => entry.action)).toEqual(['created', 'edited']);
    // A deleted case's entries were sealed with its key: they stay in the chain, about a deleted case.
    expect(await vault.caseHistory(b.id)).toEqual([]);
    expect(
      (await vault.overview()).recentActivity.filter((entry) => entry.aboutDeletedCase).map((entry) => entry.action),
    ).toEqual(['deleted', 'archived', 'created']);
  });

  it('names the entry that was altered, and the one that was deleted', async () => {
    const { db, vault } = await scriptedSession();
    const rows = await db.log.toArray();
    const namedWhenAltered = new Set<number>();
    const namedWhenDeleted = new Set<number>();
    for (const row of rows) {
      const altered = row.env.slice();
      altered[30] = (altered[30] ?? 0) ^ 1;
      await db.log.put({ ...row, env: altered });
      const verdict = await vault.verifyLog();
      expect(verdict).toMatchObject({ ok: false, reason: 'altered' });
      if (!verdict.ok) namedWhenAltered.add(verdict.firstBrokenSeq);

      await db.log.delete(row.id);
      const afterDelete = await vault.verifyLog();
      expect(afterDelete.ok).toBe(false);
      if (!afterDelete.ok) {
        expect(['missing', 'truncated']).toContain(afterDelete.reason);
        namedWhenDeleted.add(afterDelete.firstBrokenSeq);
      }
      await db.log.put(row);
      expect((await vault.verifyLog()).ok).toBe(true);
    }
    // Each of the six entries, tampered with in turn, was named as itself.
    expect([...namedWhenAltered].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([...namedWhenDeleted].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('deletion', () => {
  it('removes the case, its records and its key in one go', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const kept = await vault.createCase(caseFields('Kept'));
    const gone = await vault.createCase(caseFields('Gone'));
    const rowsBefore = await db.records.count();
    await vault.deleteCase(gone.id);
    expect(await db.records.count()).toBe(rowsBefore - 2); // case record + case key
    expect(await codeOf(vault.getCase(gone.id))).toBe('not-found');
    expect((await vault.listCases()).cases.map((entry) => entry.id)).toEqual([kept.id]);
  });
});

describe('atomicity and lock races', () => {
  it('a lock that arrives while the vault is being unlocked wins', async () => {
    const { vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await vault.lock();
    const unlocking = vault.unlock(bytes(PASSPHRASE));
    await vault.lock();
    expect(await codeOf(unlocking)).toBe('locked');
    expect((await vault.status()).state).toBe('locked');
  });

  it('a passphrase change ends with its log entry, once every row has its new keys', async () => {
    const { vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await vault.changePassphrase(bytes(PASSPHRASE), bytes('another strong passphrase 77 lotus'));
    await vault.whenRekeyStops();
    expect(await vault.verifyLog()).toEqual({ ok: true, count: 3 });
    await vault.lock();
    expect(await codeOf(vault.unlock(bytes(PASSPHRASE)))).toBe('wrong-secret');
    await vault.unlock(bytes('another strong passphrase 77 lotus'));
  });

  it('junk rows slipped into the custody log fail verification', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    await db.log.put({ id: 'f'.repeat(32), env: new Uint8Array(80) });
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'altered' });
  });
});

describe('drafts of a case', () => {
  it('are sealed with the case key and deleted with the case', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const created = await vault.createCase(caseFields('Case with a draft'));
    await vault.saveDraft(`case:${created.id}`, { title: 'Secret witness name' });
    expect(await vault.loadDraft(`case:${created.id}`)).toEqual({ title: 'Secret witness name' });
    const rowsWithDraft = await db.records.count();
    await vault.deleteCase(created.id);
    expect(await db.records.count()).toBe(rowsWithDraft - 3); // case, its key, its draft
    expect(await vault.loadDraft(`case:${created.id}`)).toBeUndefined();
  });
});

describe('lock', () => {
  it('zeroes every key buffer the session held', async () => {
    const { VaultStore } = await import('../../renderer/src/vault/worker/vault-store');
    const { expandMasterKey, newMasterKey } = await import('../../renderer/src/vault/worker/crypto/keys');
    const db = new VaultDatabase(freshName('keys'));
    const keys = expandMasterKey(newMasterKey());
    const store = await VaultStore.open(db, keys, 'test');
    const caseKeyRow = store.newCaseKey('a'.repeat(32));
    expect(caseKeyRow.env.byteLength).toBeGreaterThan(0);
    const buffers: Uint8Array[] = [keys.master, keys.records, keys.blindIndex, keys.headerMac, keys.custodyLog];
    expect(buffers.every((buffer) => buffer.some((byte) => byte !== 0))).toBe(true);
    store.wipe();
    expect(buffers.every((buffer) => buffer.every((byte) => byte === 0))).toBe(true);
    await expect(store.readVaultRecord('settings', 'settings')).rejects.toMatchObject({ code: 'locked' });
  });
});

describe('damage does not lock the user out', () => {
  it('one damaged case is reported while the others still list', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const good = await vault.createCase(caseFields('Readable'));
    const bad = await vault.createCase(caseFields('Damaged'));
    const row = (await db.records.get(bad.id))!;
    const flipped = row.env.slice();
    flipped[50] = (flipped[50] ?? 0) ^ 1;
    await db.records.put({ ...row, env: flipped });
    const listed = await vault.listCases();
    expect(listed.cases.map((entry) => entry.id)).toEqual([good.id]);
    expect(listed.damaged).toEqual([bad.id]);
  });

  it('a damaged custody-log head still unlocks; verification says so and logged changes are refused', async () => {
    const { db, vault } = newVault();
    await vault.createVault(bytes(PASSPHRASE));
    const created = await vault.createCase(caseFields('Still readable'));
    await vault.lock();
    const head = (await db.records.get('log-head'))!;
    const flipped = head.env.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    await db.records.put({ ...head, env: flipped });
    await vault.unlock(bytes(PASSPHRASE));
    expect((await vault.getCase(created.id)).title).toBe('Still readable');
    expect((await vault.verifyLog()).ok).toBe(false);
    expect(await codeOf(vault.createCase(caseFields('Refused')))).toBe('log-broken');
  });
});

describe('recovery key replacement', () => {
  it('needs the passphrase, and the old recovery key stops working', async () => {
    const { vault } = newVault();
    const { recoveryKey: oldKey } = await vault.createVault(bytes(PASSPHRASE));
    expect(await codeOf(vault.replaceRecoveryKey(bytes('not my passphrase at all')))).toBe('wrong-secret');
    const { recoveryKey: newKey } = await vault.replaceRecoveryKey(bytes(PASSPHRASE));
    expect(newKey).not.toBe(oldKey);
    await vault.lock();
    expect(await codeOf(vault.recover(oldKey, bytes('yet another strong passphrase 5150')))).toBe('wrong-secret');
    await vault.recover(newKey, bytes('yet another strong passphrase 5150'));
    expect((await vault.verifyLog()).ok).toBe(true);
    expect((await vault.caseHistory('none')).length).toBe(0);
  });
});
