import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { expandMasterKey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';

beforeAll(async () => {
  await sodium.ready;
});

describe('case keys', () => {
  it('reads every case whose key is sound when another case key row is damaged', async () => {
    const db = new VaultDatabase('case-keys-damaged');
    const master = newMasterKey();
    const store = await VaultStore.open(db, expandMasterKey(master.slice()), 'test');
    const caseIds = Array.from({ length: 6 }, (_, index) => index.toString(16).padStart(32, '0'));
    const keyRows = caseIds.map((caseId) => store.newCaseKey(caseId));
    await store.commit({ put: keyRows });
    await store.commit({
      put: await Promise.all(
        caseIds.map((caseId) => store.sealCaseRecord(caseId, 'case', caseId, { ...emptyCaseFields(), title: caseId })),
      ),
    });
    // The key row that sorts first is damaged: a loader that stopped there would lose every other case.
    const damaged = [...keyRows].sort((a, b) => a.id.localeCompare(b.id))[0]!;
    const row = (await db.records.get(damaged.id))!;
    row.env[row.env.byteLength - 1]! ^= 1;
    await db.records.put(row);

    // A fresh session: no case key cached.
    const reopened = await VaultStore.open(db, expandMasterKey(master.slice()), 'test');
    const { records, damaged: unreadable } = await reopened.listAllCaseRecords('case');
    const lost = caseIds.find((caseId) => damaged.id === keyRows[caseIds.indexOf(caseId)]!.id)!;
    expect(records.map((record) => record.caseId).sort()).toEqual(caseIds.filter((caseId) => caseId !== lost).sort());
    expect(unreadable).toEqual([lost]);
  });
});
