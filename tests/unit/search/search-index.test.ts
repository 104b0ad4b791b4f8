import { describe, expect, it } from 'vitest';
import { SearchIndex, type SearchEntry } from '../../../renderer/src/vault/worker/search/search-index';

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
    expect(index.query('cour').map((hit) => hit.id)).toEqual(expect.arrayContaining(['p1', 'p2']));
    const [hit] = index.query('cour adjour');
    expect(index.query('cour adjour')).toHaveLength(1);
    expect(hit!.id).toBe('p1');
    const { text, marks } = hit!.snippet;
    expect(marks.map(([from, to]) => text.slice(from, to))).toEqual(['court', 'adjourned']);
  });

  it('forgets what was edited or removed, and finds the new text', async () => {
    const index = new SearchIndex();
    await index.update([page('p1', 'original wording'), page('p2', 'kept as it was')]);
    const changed = await index.update([page('p1', 'revised wording')]);
    expect(changed).toEqual({ added: 1, removed: 2 });
    expect(index.query('original')).toEqual([]);
    expect(index.query('kept')).toEqual([]);
    expect(index.query('revised').map((hit) => hit.id)).toEqual(['p1']);
    expect(index.size).toBe(1);
  });

  it('reads further down the list when a filter leaves too few of the first matches', async () => {
    const entries = Array.from({ length: 600 }, (_, at) =>
      page(`p${at}`, 'lawyer absent from the hearing', { caseId: at === 599 ? 'case-b' : 'case-a' }),
    );
    const index = new SearchIndex();
    await index.update(entries);
    expect(index.query('lawyer', { limit: 10 })).toHaveLength(10);
    expect(index.query('lawyer', { caseId: 'case-b' }).map((hit) => hit.id)).toEqual(['p599']);
  });

  it('finds a Khmer word inside an unspaced run, and only where its letters are contiguous', async () => {
    const index = new SearchIndex();
    await index.update([
      // The word inside a longer run, as pdf.js returns it: spaces between clusters and U+0000.
      page('pdf', 'ការ វ ត\u0000 ម ា ន របស់មេធាវី'),
      // The same three-letter pieces, but not in one piece.
      page('scattered', 'វតម ស តមន'),
    ]);
    expect(index.query('វត្តមាន').map((hit) => hit.id)).toEqual(['pdf']);
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
    expect(index.query('', { indicator: 'counsel', answer: 'no' }).map((hit) => hit.id)).toEqual(['h2', 'h1']);
    expect(index.query('')).toEqual([]);
  });
});
