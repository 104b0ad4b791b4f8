import { Index } from 'flexsearch';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { searchTerms } from '../../../renderer/src/vault/search-text';
import {
  encodeShard,
  ShardReader,
  type Postings,
} from '../../../renderer/src/vault/worker/search/term-shards/shard-codec';
import { TermShardDb, type ShardSource } from '../../../renderer/src/vault/worker/search/term-shards/term-shard-db';
import { prose, random } from '../../bench/search-vault';

/** Shards kept as bytes in a map, as the vault keeps them sealed; counts reads. */
class MemorySource implements ShardSource {
  readonly stored = new Map<number, Uint8Array>();
  reads = 0;
  read(slots: readonly number[]): Promise<Map<number, Uint8Array>> {
    this.reads += slots.length;
    return Promise.resolve(
      new Map(slots.flatMap((slot) => (this.stored.has(slot) ? [[slot, this.stored.get(slot)!]] : []))),
    );
  }
  store(db: TermShardDb): void {
    const { shards, stored } = db.takeChanged();
    for (const [slot, bytes] of shards) {
      if (bytes.byteLength === 0) this.stored.delete(slot);
      else this.stored.set(slot, bytes);
    }
    stored();
  }
}

const options = { tokenize: 'forward', encode: (text: string) => searchTerms(text) } as const;

/** A search of an index over term shards: FlexSearch's types do not say it answers with a promise. */
const found = (index: Index, query: string, options: { limit: number }) =>
  Promise.resolve(index.search(query, options) as unknown);

function texts(count: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => prose(next, 300));
}

const QUERIES = ['hearing', 'defence lawyer', 'incit', 'court judge', 'មេធាវី', 'appeal verdict sentence', 'zzz', 'ri'];

describe('term shard codec', () => {
  it('reads back what it wrote: holes, large numbers, any script', () => {
    const terms = new Map<string, Postings>([
      ['hearing', [[3, 1, 2], undefined, [70_000_000]]],
      ['មេធាវី', [undefined, undefined, undefined, [5]]],
      ['a', [[9]]],
    ]);
    const reader = new ShardReader(encodeShard(terms));
    expect([...reader.terms()].sort()).toEqual(['a', 'hearing', 'មេធាវី']);
    expect(reader.postings('hearing')).toEqual([[1, 2, 3], undefined, [70_000_000]]);
    expect(reader.postings('មេធាវី')).toEqual([undefined, undefined, undefined, [5]]);
    expect(reader.postings('absent')).toBeUndefined();
  });

  it('leaves out terms with no postings', () => {
    const reader = new ShardReader(encodeShard(new Map<string, Postings>([['gone', [undefined, []]]])));
    expect([...reader.terms()]).toEqual([]);
  });

  it('refuses truncated, unknown or inconsistent bytes', () => {
    const bytes = encodeShard(new Map<string, Postings>([['hearing', [[1, 2, 3]]]]));
    expect(() => new ShardReader(bytes.subarray(0, 4))).toThrow(RangeError);
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 9;
    expect(() => new ShardReader(wrongVersion)).toThrow(RangeError);
    expect(() => new ShardReader(bytes.subarray(0, bytes.byteLength - 1))).toThrow(RangeError);
    // Postings that do not end where the directory says.
    const padded = new Uint8Array(bytes.byteLength + 1);
    padded.set(bytes);
    const directoryLength = padded.byteLength - 1 - 5; // slot count 1, id count 3, three deltas
    padded[directoryLength - 1]! += 1; // the term's postings said to be a byte longer
    expect(() => new ShardReader(padded).postings('hearing')).toThrow(RangeError);
  });
});

describe('FlexSearch over term shards', () => {
  async function both(count: number, slots = 64, cacheBytes?: number) {
    const memory = new Index(options);
    const source = new MemorySource();
    const db = new TermShardDb(source, undefined, slots, cacheBytes);
    const sharded = new Index({ ...options, commit: false });
    await sharded.mount(db as never);
    const all = texts(count, 11);
    all.forEach((text, at) => {
      memory.add(at + 1, text);
      sharded.add(at + 1, text);
    });
    await sharded.commit();
    return { memory, sharded, db, source };
  }

  it('answers as the index in memory does, before and after its shards are stored', async () => {
    const { memory, sharded, db, source } = await both(300);
    for (const query of QUERIES)
      for (const limit of [5, 100, 1000])
        expect(await found(sharded, query, { limit }), `${query} ${limit}`).toEqual(memory.search(query, { limit }));
    source.store(db);
    expect(db.hasChanges).toBe(false);
    for (const query of QUERIES)
      for (const limit of [5, 100, 1000])
        expect(await found(sharded, query, { limit }), `${query} ${limit}`).toEqual(memory.search(query, { limit }));
  });

  it('intersects multi-term queries itself, with the answer and order of FlexSearch in memory', async () => {
    const { memory, sharded, db, source } = await both(400);
    source.store(db);
    const asked = vi.spyOn(db, 'search');
    const words = [
      ...new Set(
        texts(40, 5)
          .join(' ')
          .toLowerCase()
          .split(/[^a-z]+/),
      ),
    ].filter((word) => word.length > 2);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...words), { minLength: 2, maxLength: 4 }),
        fc.constantFrom(1, 7, 50, 100, 1000),
        fc.constantFrom(0, 3),
        async (query, limit, offset) => {
          const text = query.map((word, at) => (at === 0 ? word : word.slice(0, 3 + (at % 3)))).join(' ');
          expect(await found(sharded, text, { limit, offset } as never)).toEqual(
            memory.search(text, { limit, offset }),
          );
        },
      ),
      { numRuns: 150 },
    );
    expect(asked).toHaveBeenCalled();
  });

  it('answers the same with a cache too small to keep any shard', async () => {
    const { memory, sharded, db, source } = await both(200, 32, 1);
    source.store(db);
    for (const query of QUERIES)
      expect(await found(sharded, query, { limit: 50 })).toEqual(memory.search(query, { limit: 50 }));
    expect(source.reads).toBeGreaterThan(QUERIES.length);
  });

  it('merges later additions into stored shards', async () => {
    const { memory, sharded, db, source } = await both(100);
    source.store(db);
    const more = texts(50, 12);
    more.forEach((text, at) => {
      memory.add(1000 + at, text);
      sharded.add(1000 + at, text);
    });
    await sharded.commit();
    source.store(db);
    for (const query of QUERIES)
      expect(await found(sharded, query, { limit: 500 })).toEqual(memory.search(query, { limit: 500 }));
  });

  it('takes removed numbers out of every shard, and hides them until then', async () => {
    const removed = new Set([1, 2, 3, 50]);
    let hidden = new Set<number>();
    const source = new MemorySource();
    const db = new TermShardDb(source, (number) => !hidden.has(number), 64);
    const sharded = new Index({ ...options, commit: false });
    await sharded.mount(db as never);
    const memory = new Index(options);
    texts(100, 13).forEach((text, at) => {
      sharded.add(at + 1, text);
      if (!removed.has(at + 1)) memory.add(at + 1, text);
    });
    await sharded.commit();
    source.store(db);
    hidden = removed;
    for (const query of QUERIES)
      expect(await found(sharded, query, { limit: 500 })).toEqual(memory.search(query, { limit: 500 }));
    expect(await db.removeNumbers(removed)).toBe(true);
    source.store(db);
    hidden = new Set();
    for (const query of QUERIES)
      expect(await found(sharded, query, { limit: 500 })).toEqual(memory.search(query, { limit: 500 }));
    for (const bytes of source.stored.values())
      for (const postings of new ShardReader(bytes).all().values())
        for (const ids of postings) for (const number of ids ?? []) expect(removed.has(number)).toBe(false);
  });

  it('keeps a shard changed while it was being stored as changed', async () => {
    const { sharded, db, source } = await both(20);
    const taken = db.takeChanged();
    sharded.add(500, 'hearing adjourned');
    await sharded.commit();
    taken.stored();
    expect(db.hasChanges).toBe(true);
    source.store(db);
    expect(await found(sharded, 'adjourned', { limit: 1000 })).toContain(500);
  });
});
