import { describe, expect, it } from 'vitest';
import {
  SearchIndex,
  toHit,
  type SearchEntry,
  type SearchMatch,
} from '../../../renderer/src/vault/worker/search/search-index';
import type { ShardSource } from '../../../renderer/src/vault/worker/search/term-shards/term-shard-db';

const ids = (matches: SearchMatch[]) => matches.map((match) => match.entry.id);

/** An index stored as the vault stores it: its catalogue, and its term shards kept by space and slot. */
async function stored(index: SearchIndex, extra: unknown, before?: { shards: Map<string, Uint8Array> }) {
  const snapshot = await index.snapshot(extra);
  const shards = new Map(before?.shards);
  for (const space of ['words', 'khmer'] as const)
    for (const [slot, bytes] of snapshot.shards[space])
      if (bytes.byteLength === 0) shards.delete(`${space}:${slot}`);
      else shards.set(`${space}:${slot}`, bytes);
  snapshot.stored();
  const source = (space: string): ShardSource => ({
    read: (slots) =>
      Promise.resolve(
        new Map(
          slots.flatMap((slot) => (shards.has(`${space}:${slot}`) ? [[slot, shards.get(`${space}:${slot}`)!]] : [])),
        ),
      ),
  });
  return { catalogue: snapshot.catalogue, shards, sources: { words: source('words'), khmer: source('khmer') } };
}

const page = (id: string, text: string, extra: Partial<SearchEntry> = {}): SearchEntry => ({
  id,
  kind: 'page',
  caseId: 'case-a',
  title: `${id}.pdf`,
  text,
  ...extra,
});

describe('search index', () => {
  it('finds by prefix as typed, every word required, and marks the whole word', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'The court adjourned the hearing.'), page('p2', 'The court heard the witness.')]);
    expect(ids(await index.query('cour'))).toEqual(expect.arrayContaining(['p1', 'p2']));
    const [match] = await index.query('cour adjour');
    expect(await index.query('cour adjour')).toHaveLength(1);
    expect(match!.entry.id).toBe('p1');
    const { text, marks } = toHit(match!, 'The court adjourned the hearing.').snippet;
    expect(marks.map(([from, to]) => text.slice(from, to))).toEqual(['court', 'adjourned']);
  });

  it('forgets what was edited or removed, and finds the new text', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'original wording'), page('p2', 'kept as it was')]);
    const changed = await index.update([page('p1', 'revised wording')]);
    expect(changed).toEqual({ added: 1, removed: 2 });
    expect(await index.query('original')).toEqual([]);
    expect(await index.query('kept')).toEqual([]);
    expect(ids(await index.query('revised'))).toEqual(['p1']);
    expect(index.size).toBe(1);
  });

  it('reads further down the list when a filter leaves too few of the first matches', async () => {
    const entries = Array.from({ length: 600 }, (_, at) =>
      page(`p${at}`, 'lawyer absent from the hearing', { caseId: at === 599 ? 'case-b' : 'case-a' }),
    );
    const index = new SearchIndex();
    await index.update(entries);
    expect(await index.query('lawyer', { limit: 10 })).toHaveLength(10);
    expect(ids(await index.query('lawyer', { caseId: 'case-b' }))).toEqual(['p599']);
  });

  it('finds a Khmer word inside an unspaced run, and only where its letters are contiguous', async () => {
    const index = new SearchIndex();
    await index.update([
      // The word inside a longer run, as pdf.js returns it: spaces between clusters and U+0000.
      page('pdf', 'ការ វ ត\u0000 ម ា ន របស់មេធាវី'),
      // The same three-letter pieces, but not in one piece.
      page('scattered', 'វតម ស តមន'),
    ]);
    expect(ids(await index.query('វត្តមាន'))).toEqual(['pdf']);
  });

  it('answers filters alone, newest first', async () => {
    const index = new SearchIndex();
    await index.update([
      {
        id: 'h1',
        kind: 'hearing',
        caseId: 'c',
        title: '2024-01-02',
        text: '',
        date: '2024-01-02',
        indicators: ['counsel:no'],
      },
      {
        id: 'h2',
        kind: 'hearing',
        caseId: 'c',
        title: '2025-03-04',
        text: '',
        date: '2025-03-04',
        indicators: ['counsel:no'],
      },
      {
        id: 'h3',
        kind: 'hearing',
        caseId: 'c',
        title: '2025-05-06',
        text: '',
        date: '2025-05-06',
        indicators: ['counsel:yes'],
      },
    ]);
    expect(ids(await index.query('', { indicator: 'counsel', answer: 'no' }))).toEqual(['h2', 'h1']);
    expect(await index.query('')).toEqual([]);
  });

  it('replaces what changed rows gave, and leaves the rest', async () => {
    const index = new SearchIndex();
    await index.update([
      page('a1', 'first annotation', { source: 'row-a' }),
      page('a2', 'second annotation', { source: 'row-a' }),
      page('b1', 'other row', { source: 'row-b' }),
    ]);
    await index.replaceSources(['row-a'], [page('a2', 'second annotation edited', { source: 'row-a' })]);
    expect(ids(await index.query('annotation'))).toEqual(['a2']);
    expect(ids(await index.query('edited'))).toEqual(['a2']);
    expect(ids(await index.query('other'))).toEqual(['b1']);
    expect(index.entriesFrom('row-a')).toEqual(['a2']);
    await index.replaceSources(['row-b'], []);
    expect(await index.query('other')).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('comes back whole from its serialized bytes, with what was stored beside it', async () => {
    const index = new SearchIndex();
    await index.update([
      page('p1', 'The court adjourned the hearing.', { source: 'r1', tags: ['urgent'] }),
      page('k1', 'ការ វ ត\u0000 ម ា ន របស់មេធាវី', { source: 'r2' }),
    ]);
    const { catalogue: bytes, sources } = await stored(index, { tags: [['r1', 'aa']] });
    const told: [number, number][] = [];
    const { index: restored, extra } = await SearchIndex.restore(bytes, sources, (done, total) =>
      told.push([done, total]),
    );
    expect(extra).toEqual({ tags: [['r1', 'aa']] });
    // How far it got, in bytes of the catalogue: rising, to the whole of it.
    expect(told.every(([, total]) => total === bytes.byteLength)).toBe(true);
    expect(told.map(([done]) => done)).toEqual([...told.map(([done]) => done)].sort((a, b) => a - b));
    expect(told.at(-1)).toEqual([bytes.byteLength, bytes.byteLength]);
    expect(told.length).toBeGreaterThan(2);
    expect(ids(await restored.query('adjour'))).toEqual(['p1']);
    expect(ids(await restored.query('វត្តមាន'))).toEqual(['k1']);
    expect(ids(await restored.query('', { tag: 'urgent' }))).toEqual(['p1']);
    // Still updatable: an edit after the restore replaces the restored entry.
    await restored.replaceSources(['r1'], [page('p1', 'The court resumed.', { source: 'r1' })]);
    expect(await restored.query('adjourned')).toEqual([]);
    expect(ids(await restored.query('resumed'))).toEqual(['p1']);
    await expect(SearchIndex.restore(bytes.subarray(0, bytes.byteLength - 1), sources)).rejects.toThrow();
    await expect(SearchIndex.restore(Uint8Array.of(...bytes, 0), sources)).rejects.toThrow();
    // An earlier version (its catalogue followed by the whole FlexSearch index) is not read: the index is built again.
    const meta = new TextEncoder().encode('{"version":2,"nextNumber":1,"entries":[],"skeletons":[],"parts":[]}');
    const older = new Uint8Array(4 + meta.byteLength);
    new DataView(older.buffer).setUint32(0, meta.byteLength);
    older.set(meta, 4);
    await expect(SearchIndex.restore(older, sources)).rejects.toThrow('version');
  });

  it('leaves no removed word in what it stores, catalogue or term shards', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'zqsecretname testified', { source: 'r1' }), page('p2', 'other words')]);
    // Stored once with the name, as an index is stored a few seconds after a change.
    const first = await stored(index, {});
    const withName = [...first.shards.values()].map((bytes) => new TextDecoder().decode(bytes)).join('\n');
    expect(withName).toContain('zqsecretname');
    await index.replaceSources(['r1'], [page('p1', 'a witness testified', { source: 'r1' })]);
    expect(await index.query('zqsecretname')).toEqual([]);
    const { catalogue, shards } = await stored(index, {}, first);
    const text = [catalogue, ...shards.values()].map((bytes) => new TextDecoder().decode(bytes)).join('\n');
    expect(text).not.toContain('zqsecretname');
    expect(text).toContain('testified');
  });
});
