import type { Postings } from './shard-codec';

/**
 * The numbers found under every one of `lists` (each a term's postings by
 * resolution slot), from `offset`, at most `limit`, in FlexSearch's order:
 * slot by slot, term by term within a slot, a number counted as found when
 * it is met under its last term. The same answer as FlexSearch's own
 * `intersect` without suggestions, but counting in a typed array instead
 * of an object keyed by number: two common words at 50,000 pages are
 * 250,000 numbers each, and FlexSearch's object made a pair query 30 ms.
 */
export function intersectPostings(lists: readonly Postings[], limit: number, offset = 0): number[] {
  if (lists.length === 0) return [];
  // A slot's numbers are in ascending order (as added, and as a shard keeps them): the last is the largest.
  let largest = 0;
  let slots = 0;
  for (const postings of lists) {
    slots = Math.max(slots, postings.length);
    for (const numbers of postings) if (numbers && numbers.length > 0) largest = Math.max(largest, numbers.at(-1)!);
  }
  const wanted = lists.length;
  let counts = new Uint32Array(largest + 1);
  const found: number[] = [];
  const end = limit > 0 ? offset + limit : Infinity;
  for (let slot = 0; slot < slots; slot++)
    for (const postings of lists) {
      const numbers = postings[slot];
      if (!numbers) continue;
      for (const number of numbers) {
        if (number >= counts.length) {
          // Not in order after all: grown, never a number missed.
          const grown = new Uint32Array(number * 2);
          grown.set(counts);
          counts = grown;
        }
        if (++counts[number]! === wanted) {
          found.push(number);
          if (found.length === end) return found.slice(offset);
        }
      }
    }
  return found.slice(offset);
}
