import { describe, expect, it, vi } from 'vitest';
import {
  SearchIndex,
  toHit,
  type SearchEntry,
  type SearchMatch,
} from '../../../renderer/src/vault/worker/search/search-index';
import type { ShardSource } from '../../../renderer/src/vault/worker/search/term-shards/term-shard-db';
import { PIECE_NUMBERS } from '../../../renderer/src/vault/worker/search/catalogue-codec';

const ids = (matches: SearchMatch[]) => matches.map((match) => match.entry.id);

/** An index stored as the vault stores it: its catalogue's head, and its term shards and catalogue pieces kept by
 * space and slot (`reads` counts the slots read, by space). */
async function stored(index: SearchIndex, before?: { shards: Map<string, Uint8Array> }) {
  const snapshot = await index.snapshot();
  const shards = new Map(before?.shards);
  const reads = { words: 0, khmer: 0, entries: 0 };
  for (const space of ['words', 'khmer', 'entries'] as const)
    for (const [slot, bytes] of snapshot.shards[space])
      if (bytes.byteLength === 0) shards.delete(`${space}:${slot}`);
      else shards.set(`${space}:${slot}`, bytes);
  snapshot.stored();
  const source = (space: keyof typeof reads): ShardSource => ({
    read: (slots) => {
      reads[space] += slots.length;
      return Promise.resolve(
        new Map(
          slots.flatMap((slot) =>
            // A copy, as a read from the vault is: the index wipes what it has read.
            shards.has(`${space}:${slot}`) ? [[slot, shards.get(`${space}:${slot}`)!.slice()]] : [],
          ),
        ),
      );
    },
  });
  const sources = { words: source('words'), khmer: source('khmer'), entries: source('entries') };
  return { head: snapshot.head, shards, sources, reads };
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

  it('comes back from its stored pieces, reading only those its hits fall in until it is read whole', async () => {
    const index = new SearchIndex();
    // Three pieces' worth of numbers: the first page, many without the word, the last page.
    const filler = Array.from({ length: 2 * PIECE_NUMBERS }, (_, at) => page(`f${at}`, `filler ${at}`));
    await index.update([
      page('p1', 'The court adjourned the hearing.', { source: 'r1', tags: ['urgent'] }),
      ...filler,
      page('k1', 'ការ វ ត\u0000 ម ា ន របស់មេធាវី', { source: 'r2' }),
    ]);
    const { head, sources, reads } = await stored(index);
    expect(head.counts).toHaveLength(3);
    const restored = SearchIndex.restore(head, sources);
    expect(restored.size).toBe(index.size);
    expect(restored.isWhole).toBe(false);
    expect(ids(await restored.query('adjour'))).toEqual(['p1']);
    expect(reads.entries).toBe(1);
    expect(ids(await restored.query('វត្តមាន'))).toEqual(['k1']);
    expect(reads.entries).toBe(2);
    // A change needs every entry: refused until the index is read whole.
    await expect(restored.replaceSources(['r1'], [])).rejects.toThrow('not read whole');
    // Filters alone read it whole.
    expect(ids(await restored.query('', { tag: 'urgent' }))).toEqual(['p1']);
    expect(restored.isWhole).toBe(true);
    expect(reads.entries).toBe(3);
    expect(restored.size).toBe(index.size);
    // Then updatable: an edit after the restore replaces the restored entry.
    await restored.replaceSources(['r1'], [page('p1', 'The court resumed.', { source: 'r1' })]);
    expect(await restored.query('adjourned')).toEqual([]);
    expect(ids(await restored.query('resumed'))).toEqual(['p1']);
  });

  it('before it is read whole, reads the pieces of only as many hits as a query still wants', async () => {
    const index = new SearchIndex();
    // Sixteen pieces, one entry with the word in each.
    await index.update(
      Array.from({ length: 16 * PIECE_NUMBERS }, (_, at) =>
        page(`f${at}`, at % PIECE_NUMBERS === 0 ? `court ${at}` : `filler ${at}`, { caseId: `case-${at % 3}` }),
      ),
    );
    const { head, sources, reads } = await stored(index);
    const restored = SearchIndex.restore(head, sources);
    expect(await restored.query('court', { limit: 2 })).toHaveLength(2);
    // Asked for two: the pieces of the first eight hits at most, not of all sixteen.
    expect(reads.entries).toBeGreaterThan(0);
    expect(reads.entries).toBeLessThanOrEqual(8);
    // A filter leaving too few reads on until it has enough, or every hit.
    const inCase = await restored.query('court', { limit: 5, caseId: 'case-1' });
    expect(inCase.map((match) => match.entry.caseId)).toEqual(Array(5).fill('case-1'));
    expect(await restored.query('court', { limit: 50 })).toHaveLength(16);
    expect(reads.entries).toBe(16);
  });

  it('read whole, waits before each batch of pieces for what it is told to give way to', async () => {
    const index = new SearchIndex();
    await index.update(Array.from({ length: 40 * PIECE_NUMBERS }, (_, at) => page(`f${at}`, `filler ${at}`)));
    const { head, sources, reads } = await stored(index);
    const restored = SearchIndex.restore(head, sources);
    // Each wait: its place (reads so far) and its release, told to the test as it begins.
    const waits: { readsBefore: number; release: () => void }[] = [];
    let waited: () => void = () => undefined;
    const whole = restored.whole(
      undefined,
      () =>
        new Promise<void>((release) => {
          waits.push({ readsBefore: reads.entries, release });
          waited();
        }),
    );
    const nextWait = () => new Promise<void>((resolve) => (waited = resolve));
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    expect(reads.entries).toBe(0);
    // A query meanwhile reads what it needs.
    expect(await restored.query('filler', { limit: 1 })).toHaveLength(1);
    const byQuery = reads.entries;
    expect(byQuery).toBeGreaterThan(0);
    while (!restored.isWhole) {
      const next = nextWait();
      const before = waits.length;
      waits.at(-1)!.release();
      await Promise.race([next, whole]);
      // No batch read but after a wait: each wait came before the reads of its batch.
      if (waits.length > before) expect(waits.at(-1)!.readsBefore).toBeGreaterThan(waits.at(-2)!.readsBefore);
    }
    await whole;
    // Each piece read once: by the query, or by a batch.
    expect(reads.entries).toBe(head.counts.filter((count) => count > 0).length);
    expect(restored.size).toBe(index.size);
  });

  it('stores again only the catalogue pieces that changed', async () => {
    const index = new SearchIndex();
    await index.update(Array.from({ length: 3 * PIECE_NUMBERS }, (_, at) => page(`f${at}`, `filler ${at}`)));
    const first = await stored(index);
    expect([...first.shards.keys()].filter((key) => key.startsWith('entries:'))).toHaveLength(4);
    await index.replaceSources(['nothing'], [page('f1', 'filler changed')]);
    const snapshot = await index.snapshot();
    // f1's piece (the old entry gone), and the last piece (the new one added at the next number).
    expect([...snapshot.shards.entries.keys()].sort()).toEqual([0, 3]);
    snapshot.stored();
    expect((await index.snapshot()).shards.entries.size).toBe(0);
    // Changed while a store is under way: still changed after it, for the next store.
    const during = await index.snapshot();
    await index.replaceSources(['nothing'], [page('f2', 'filler changed too')]);
    during.stored();
    expect([...(await index.snapshot()).shards.entries.keys()].sort()).toEqual([0, 3]);
    // Every piece, when the stored ones are gone (a deletion dropped them).
    const all = await index.snapshot(undefined, { allPieces: true });
    expect([...all.shards.entries.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect([...all.shards.entries.values()].every((bytes) => bytes.byteLength > 0)).toBe(true);
  });

  it('refuses a piece that is missing, or not what the head says', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'The court adjourned.'), page('p2', 'The court resumed.')]);
    const { head, sources, shards } = await stored(index);
    shards.delete('entries:0');
    await expect(SearchIndex.restore(head, sources).query('court')).rejects.toThrow('damaged');
    const wrongCount = SearchIndex.restore({ ...head, counts: [3] }, (await stored(index)).sources);
    await expect(wrongCount.whole()).rejects.toThrow('damaged');
  });

  it('leaves no removed word in what it stores, catalogue or term shards', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'zqsecretname testified', { source: 'r1' }), page('p2', 'other words')]);
    // Stored once with the name, as an index is stored a few seconds after a change.
    const first = await stored(index);
    const withName = [...first.shards.values()].map((bytes) => new TextDecoder().decode(bytes)).join('\n');
    expect(withName).toContain('zqsecretname');
    await index.replaceSources(['r1'], [page('p1', 'a witness testified', { source: 'r1' })]);
    expect(await index.query('zqsecretname')).toEqual([]);
    const { shards } = await stored(index, first);
    const text = [...shards.values()].map((bytes) => new TextDecoder().decode(bytes)).join('\n');
    expect(text).not.toContain('zqsecretname');
    expect(text).toContain('testified');
  });
});
