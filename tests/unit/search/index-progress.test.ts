import { describe, expect, it, vi } from 'vitest';
import type { SearchIndexProgress } from '../../../renderer/src/vault/api';
import { IndexProgress } from '../../../renderer/src/vault/worker/search/index-progress';

/** Every step sent: the clock moves a second between two looks, past the relay's interval. */
function followed() {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
  const sent: SearchIndexProgress[] = [];
  return { progress: new IndexProgress((next) => sent.push(next)), sent };
}

describe('how far a search index build has got', () => {
  it('counts a record half when read, whole when indexed, and ends at the rows the tag check found', () => {
    const { progress, sent } = followed();
    for (let opened = 0; opened <= 4; opened++) progress.reading(opened, 4);
    // One of the four was damaged (no record), a renamed document's page was read again (one more): four to index.
    for (let indexed = 0; indexed <= 4; indexed++) progress.indexing(indexed, 4);
    expect(sent.map((step) => step.done)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(sent.every((step) => step.total === 4)).toBe(true);
    vi.restoreAllMocks();
  });

  it('scales the indexing half to the check when fewer records come out of it, and never passes the total', () => {
    const { progress, sent } = followed();
    progress.reading(10, 10);
    progress.indexing(0, 7);
    progress.indexing(7, 7);
    expect(sent).toEqual([
      { stage: 'building', done: 5, total: 10 },
      { stage: 'building', done: 10, total: 10 },
    ]);
    vi.restoreAllMocks();
  });

  it('without a tag check, the records to index are the whole: read already, so it starts half done', () => {
    const { progress, sent } = followed();
    progress.indexing(0, 0); // nothing changed: nothing said
    expect(sent).toEqual([]);
    progress.indexing(0, 20);
    progress.indexing(10, 20);
    progress.indexing(20, 20);
    expect(sent.map((step) => [step.done, step.total])).toEqual([
      [10, 20],
      [15, 20],
      [20, 20],
    ]);
    vi.restoreAllMocks();
  });

  it('tells the stored index being opened, in its bytes, and the rows read meanwhile only once it is open', () => {
    const { progress, sent } = followed();
    progress.opening(0, 1000);
    progress.reading(1, 4); // the tag check runs beside the opening: held back
    progress.opening(600, 1000);
    progress.reading(2, 4);
    progress.opening(1000, 1000);
    expect(sent).toEqual([
      { stage: 'opening', done: 0, total: 1000 },
      { stage: 'opening', done: 600, total: 1000 },
      { stage: 'opening', done: 1000, total: 1000 },
    ]);
    progress.opened();
    progress.indexing(4, 4);
    // The building stage starts from what was held back, in records, not held below the bytes before it.
    expect(sent.slice(3)).toEqual([
      { stage: 'building', done: 1, total: 4 },
      { stage: 'building', done: 4, total: 4 },
    ]);
    vi.restoreAllMocks();
  });

  it('goes on to the records when the stored index could not be opened', () => {
    const { progress, sent } = followed();
    progress.opening(10, 1000);
    progress.reading(3, 6);
    progress.opened(); // a damaged snapshot: rebuilt from the records
    expect(sent.at(-1)).toEqual({ stage: 'building', done: 1.5, total: 6 });
    vi.restoreAllMocks();
  });
});
