import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ITEM_TYPES } from '../../../renderer/src/vault/worker/bundle';
import { expandMasterKey, newMasterKey } from '../../../renderer/src/vault/worker/crypto/keys';
import {
  RECORD_KINDS,
  RECORD_MIGRATIONS,
  custodyTargetOf,
  recordKindOfBundleItem,
} from '../../../renderer/src/vault/worker/record-kinds';
import { VaultDatabase } from '../../../renderer/src/vault/worker/storage/database';
import { VaultStore } from '../../../renderer/src/vault/worker/vault-store';
import type { TimelineEventRecord } from '../../../renderer/src/vault/timeline-model';

const hex32 = () => sodium.to_hex(sodium.randombytes_buf(16));

beforeAll(async () => {
  await sodium.ready;
});

describe('the record-kind registry', () => {
  it('gives every kind an owner, a schema and its migrations, and the store its migration table', () => {
    for (const [kind, entry] of Object.entries(RECORD_KINDS)) {
      expect(['case', 'vault', 'case-or-vault'], kind).toContain(entry.owner);
      expect(typeof entry.schema.safeParse, kind).toBe('function');
      expect(RECORD_MIGRATIONS[kind], kind).toBe(entry.migrations);
    }
  });

  it('stores every record item a bundle carries as one case-owned kind, named in the custody log', () => {
    for (const type of BUNDLE_ITEM_TYPES.filter((item) => item !== 'document-bytes' && item !== 'custody-log')) {
      const kind = recordKindOfBundleItem(type);
      expect(kind, type).not.toBeNull();
      expect(RECORD_KINDS[kind!].owner, type).toBe('case');
      expect(custodyTargetOf(kind!), type).toBeTruthy();
    }
    expect(recordKindOfBundleItem('document-bytes')).toBeNull();
  });
});

describe('typed reads through the registry', () => {
  async function storeWithCase() {
    const db = new VaultDatabase(`record-kinds-${hex32()}`);
    const store = await VaultStore.open(db, expandMasterKey(newMasterKey()), 'test');
    const caseId = hex32();
    await store.commit({ put: [store.newCaseKey(caseId)] });
    return { store, caseId };
  }

  const event = (id: string, caseId: string): TimelineEventRecord => ({
    id,
    caseId,
    kind: 'arrest' as const,
    date: '2024-03',
    person: 'Koet Saray',
    description: '',
    sources: [],
    createdAt: 1,
    updatedAt: 1,
  });

  it('returns a parsed record, undefined when absent, and not-found from read', async () => {
    const { store, caseId } = await storeWithCase();
    const id = hex32();
    await store.commit({ put: [await store.seal('timeline-event', caseId, id, event(id, caseId))] });
    expect(await store.read('timeline-event', caseId, id)).toMatchObject({ id, person: 'Koet Saray' });
    expect(await store.find('timeline-event', caseId, hex32())).toBeUndefined();
    await expect(store.read('timeline-event', caseId, hex32())).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reads a malformed record, or one naming another id or case, as tampered', async () => {
    const { store, caseId } = await storeWithCase();
    const malformed = hex32();
    const moved = hex32();
    const otherCase = hex32();
    await store.commit({
      put: [
        await store.sealCaseRecord(caseId, 'timeline-event', malformed, { id: malformed, nonsense: true }),
        await store.sealCaseRecord(caseId, 'timeline-event', moved, event(hex32(), caseId)),
        await store.sealCaseRecord(caseId, 'timeline-event', otherCase, event(otherCase, hex32())),
      ],
    });
    for (const id of [malformed, moved, otherCase])
      await expect(store.read('timeline-event', caseId, id), id).rejects.toMatchObject({
        code: 'record-tampered',
        detail: 'timeline-event',
      });
    const { records, damaged } = await store.listAcrossCases('timeline-event');
    expect(records).toEqual([]);
    expect(damaged.sort()).toEqual([malformed, moved, otherCase].sort());
  });

  it('refuses to seal a value its kind would read as tampered', async () => {
    const { store, caseId } = await storeWithCase();
    const id = hex32();
    await expect(
      store.seal('timeline-event', caseId, id, { ...event(id, caseId), date: 'not a date' }),
    ).rejects.toMatchObject({ code: 'invalid-input', detail: 'timeline-event' });
  });

  it('refuses to seal a vault record under a case, or a case record for the vault', async () => {
    const { store, caseId } = await storeWithCase();
    await expect(
      (store.seal as (...args: unknown[]) => Promise<unknown>)('contact', caseId, hex32(), {}),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      (store.seal as (...args: unknown[]) => Promise<unknown>)('hearing', null, hex32(), {}),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
