import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { searchTerms } from '../../../renderer/src/vault/search-text';
import { toHit, type SearchMatch } from '../../../renderer/src/vault/worker/search/search-index';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures', name), 'utf8');

it('prints how long the snippets of a page of results take (a measurement, not a limit)', () => {
  const letter = fixture('mission-letter-koet-saray-2025-07-17.txt');
  const mixed = `${letter}\n${fixture('khmer-hearing-note.txt')}`;
  // A page of results as the search panel asks for (100), each page of text as long as the letter (8.5k characters).
  for (const [query, text] of [
    ['imprisonment court', letter],
    ['ក្រមព្រហ្មទណ្ឌ', mixed],
  ] as const) {
    const matches: SearchMatch[] = Array.from({ length: 100 }, (_, at) => ({
      entry: { id: `p${at}`, kind: 'page', caseId: 'c', title: `page ${at}`, fingerprint: '' },
      score: 1 / (at + 1),
      terms: searchTerms(query),
    }));
    // The median of a few rounds, after one to warm up: the machine is shared, single figures vary.
    const times: number[] = [];
    for (let round = 0; round < 8; round++) {
      const started = performance.now();
      const marked = matches.filter((match) => toHit(match, text).snippet.marks.length > 0).length;
      if (round > 0) times.push(performance.now() - started);
      expect(marked).toBe(matches.length);
    }
    const perPage = times.sort((a, b) => a - b)[times.length >> 1]!;
    console.log(`snippets for 100 results of "${query}" (${text.length} characters each): ${perPage.toFixed(1)} ms`);
  }
});
