import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SearchIndex, toHit, type SearchEntry } from '../../../renderer/src/vault/worker/search/search-index';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures', name), 'utf8');

it('prints how long the snippets of a page of results take (a measurement, not a limit)', async () => {
  const letter = fixture('mission-letter-koet-saray-2025-07-17.txt');
  const khmer = fixture('khmer-hearing-note.txt');
  const entries: SearchEntry[] = Array.from({ length: 100 }, (_, at) => ({
    id: `p${at}`,
    kind: 'page',
    caseId: 'c',
    title: `page ${at}`,
    text: at % 2 === 0 ? letter : `${letter}\n${khmer}`,
  }));
  const index = new SearchIndex();
  await index.update(entries);
  const texts = new Map(entries.map((entry) => [entry.id, entry.text]));
  for (const query of ['imprisonment court', 'ក្រមព្រហ្មទណ្ឌ']) {
    const matches = index.query(query, { limit: 100 });
    expect(matches.length).toBeGreaterThan(0);
    const started = performance.now();
    for (let round = 0; round < 10; round++) for (const match of matches) toHit(match, texts.get(match.entry.id)!);
    const perPage = (performance.now() - started) / 10;
    console.log(
      `snippets for ${matches.length} results of "${query}" (${letter.length} chars each): ${perPage.toFixed(1)} ms`,
    );
  }
});
