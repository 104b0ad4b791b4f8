import { describe, expect, it } from 'vitest';
import { EntryTextCache } from '../../../renderer/src/vault/worker/search/entry-text-cache';

const text = (tag: string, length: number) => ({ tag, text: 'x'.repeat(length), fields: undefined });

describe('entry text cache', () => {
  it('gives a text only as read from the row as it is now', () => {
    const cache = new EntryTextCache(100);
    cache.set('p1', text('t1', 10));
    expect(cache.get('p1', 't1')?.text).toHaveLength(10);
    expect(cache.get('p1', 't2')).toBeUndefined();
    expect(cache.get('p2', 't1')).toBeUndefined();
  });

  it('keeps within its budget of characters, least recently used out first', () => {
    const cache = new EntryTextCache(100);
    cache.set('a', text('t', 40));
    cache.set('b', text('t', 40));
    expect(cache.get('a', 't')).toBeDefined(); // used: now the most recent
    cache.set('c', text('t', 40));
    expect(cache.get('b', 't')).toBeUndefined();
    expect(cache.get('a', 't')).toBeDefined();
    expect(cache.get('c', 't')).toBeDefined();
    // Replacing a text counts only the new one; one larger than the budget is still kept, alone.
    cache.set('a', text('t2', 10));
    cache.set('big', text('t', 500));
    expect(cache.get('big', 't')).toBeDefined();
    expect(cache.get('a', 't2')).toBeUndefined();
    cache.clear();
    expect(cache.get('big', 't')).toBeUndefined();
  });
});
