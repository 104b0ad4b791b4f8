/** storage/stored-rows.ts: rows by id read one request per id, or by listing the keys of their range first. */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { LIST_KEYS_FROM, storedRowsAt } from '../../renderer/src/vault/worker/storage/stored-rows';
import { VaultDatabase, type RecordRow } from '../../renderer/src/vault/worker/storage/database';
import { IntegrityMap } from '../../renderer/src/vault/worker/integrity-map';
import { freshName } from '../support/vault-service';

const hex = (value: number) => value.toString(16).padStart(32, '0');
const row = (id: string): RecordRow => ({ id, kind: 'k', owner: '', env: new Uint8Array([1]) });

async function tableWith(ids: string[]) {
  const db = new VaultDatabase(freshName('stored-rows'));
  await db.records.bulkPut(ids.map(row));
  return db;
}

describe('storedRowsAt', () => {
  it('finds what bulkGet finds, in order, whichever way it reads', async () => {
    const db = await tableWith([hex(5), hex(500), hex(999_999)]);
    // Many ids, some stored, one twice, spanning the stored ones.
    const ids = [hex(999_999), ...Array.from({ length: LIST_KEYS_FROM }, (_, at) => hex(1000 + at)), hex(5), hex(5)];
    const expected = await db.records.bulkGet(ids);
    for (const expectedRows of [0, 3, undefined, 10_000])
      expect((await storedRowsAt(db.records, ids, expectedRows)).map((found) => found?.id)).toEqual(
        expected.map((found) => found?.id),
      );
    db.close();
  });

  it('lists the keys only for many ids in a table expected to hold few rows, and reads only the rows found', async () => {
    const db = await tableWith([hex(10), hex(20)]);
    const ids = Array.from({ length: LIST_KEYS_FROM }, (_, at) => hex(at));
    const bulkGet = vi.spyOn(db.records, 'bulkGet');
    await storedRowsAt(db.records, ids, 2);
    expect(bulkGet.mock.calls.map(([keys]) => keys.length)).toEqual([2]);
    bulkGet.mockClear();
    // Expected to hold more rows than there are ids, or not known, or few ids: one get per id.
    await storedRowsAt(db.records, ids, ids.length + 1);
    await storedRowsAt(db.records, ids, undefined);
    await storedRowsAt(db.records, ids.slice(0, LIST_KEYS_FROM - 1), 0);
    expect(bulkGet.mock.calls.map(([keys]) => keys.length)).toEqual([ids.length, ids.length, LIST_KEYS_FROM - 1]);
    db.close();
  });

  it('reads one row per id after all when the range holds more than twice as many keys as ids', async () => {
    // Far more rows than expected (rows the estimate does not count), the one asked for at the range's end.
    const ids = Array.from({ length: LIST_KEYS_FROM }, (_, at) => hex(10 * at));
    const last = 10 * (LIST_KEYS_FROM - 1);
    const others = Array.from({ length: last }, (_, at) => at).filter((value) => value % 10 !== 0);
    const db = await tableWith([...others.map(hex), hex(last)]);
    const bulkGet = vi.spyOn(db.records, 'bulkGet');
    const found = await storedRowsAt(db.records, ids, 0);
    expect(found.at(-1)?.id).toBe(ids.at(-1));
    expect(found.filter((entry) => entry !== undefined)).toHaveLength(1);
    expect(bulkGet.mock.calls.map(([keys]) => keys.length)).toEqual([ids.length]);
    db.close();
  });
});

describe('the integrity map’s estimate of the rows it holds', () => {
  it('is 0 for an empty map, the count when every bucket is in memory, unknown when none is', async () => {
    const db = new VaultDatabase(freshName('estimate'));
    const key = crypto.getRandomValues(new Uint8Array(32));
    const map = new IntegrityMap(db, () => key);
    expect(map.estimatedRows()).toBeUndefined(); // no map yet
    const head = { count: 0, lastHash: '' };
    (await db.transaction('rw', db.state, () => map.build([], head)))();
    expect(map.estimatedRows()).toBe(0);
    const rows = Array.from({ length: 1000 }, (_, at) => ({
      id: hex(at),
      env: crypto.getRandomValues(new Uint8Array(43)),
    }));
    (await db.transaction('rw', db.state, () => map.build(rows, head)))();
    expect(map.estimatedRows()).toBe(1000);
    // The same map read afresh: root known, no bucket in memory yet.
    const reopened = new IntegrityMap(db, () => key);
    await reopened.syncRoot();
    expect(reopened.state).toBe('ok');
    expect(reopened.estimatedRows()).toBeUndefined();
    expect(await reopened.stale(rows.slice(0, 1))).toEqual([]);
    // One bucket in memory: its size times the 256 buckets named (about 4 rows each here).
    expect(reopened.estimatedRows()).toBeGreaterThan(0);
    map.forget();
    expect(map.estimatedRows()).toBeUndefined();
    db.close();
  });
});
