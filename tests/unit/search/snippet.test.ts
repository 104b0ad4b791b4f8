import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SearchIndex,
  toHit,
  type SearchEntry,
  type SearchMatch,
} from '../../../renderer/src/vault/worker/search/search-index';
import { foldWithOrigins } from '../../../renderer/src/vault/worker/search/snippet';
import { normaliseForSearch } from '../../../renderer/src/vault/search-text';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures', name), 'utf8');

/** The snippet of `text` for `query`, found through the index as a search finds it. */
async function snippetFor(text: string, query: string) {
  const index = new SearchIndex();
  const entry: SearchEntry = { id: 'p', kind: 'page', caseId: 'c', title: 'doc.pdf', text };
  await index.update([entry]);
  const [match] = await index.query(query);
  expect(match, `"${query}" finds the page`).toBeDefined();
  return toHit(match as SearchMatch, text).snippet;
}

/** The marked parts, and a check that the snippet is the source's own text at one place. */
function marked(source: string, snippet: Awaited<ReturnType<typeof snippetFor>>): string[] {
  expect(source).toContain(snippet.text);
  return snippet.marks.map(([start, end]) => snippet.text.slice(start, end));
}

describe('search snippets quote the original text', () => {
  it('French: accents, capitals, a ligature and a combining accent as written, the match marked exactly', async () => {
    const french =
      'Les pièces ENREGISTRÉES au greffe le 3 février 2025 attestent l’eﬃcacité de la de\u0301fense ; ' +
      'le tribunal a jugé l’affaire en l’absence de l’avocat.';
    const enregistrees = await snippetFor(french, 'enregistrees');
    expect(marked(french, enregistrees)).toEqual(['ENREGISTRÉES']);
    expect(enregistrees.text).toContain('Les pièces ENREGISTRÉES au greffe le 3 février');
    expect(enregistrees.text).not.toContain('enregistrees');
    // A typed prefix marks its whole word; folding lengthened "ﬃ" and shortened "e" + U+0301.
    expect(marked(french, await snippetFor(french, 'fevr'))).toEqual(['février']);
    expect(marked(french, await snippetFor(french, 'efficacite defense'))).toEqual(['eﬃcacité', 'de\u0301fense']);
  });

  it('Arabic: presentation forms and harakat as the source has them', async () => {
    // As compatibility-forms.pdf gives them: "ﻻ ﺑﺎﺏ" in presentation forms (NFKC: "لا باب"), and "كِتاب" with a kasra.
    const arabic = 'قرار المحكمة: ﻻ ﺑﺎﺏ للطعن في كِتاب الحكم الصادر';
    expect(marked(arabic, await snippetFor(arabic, 'باب'))).toEqual(['ﺑﺎﺏ']);
    expect(marked(arabic, await snippetFor(arabic, 'لا باب'))).toEqual(['ﻻ', 'ﺑﺎﺏ']);
    expect(marked(arabic, await snippetFor(arabic, 'كِتاب'))).toEqual(['كِتاب']);
  });

  it('Khmer: Khmer digits and unspaced words from the hearing note, and pdf.js-style text, as in the source', async () => {
    const note = fixture('khmer-hearing-note.txt');
    const digits = await snippetFor(note, '494');
    // The Khmer digits of the note, found by ASCII ones, are quoted and marked as Khmer digits; so is the English line.
    expect(marked(note, digits)).toContain('៤៩៤');
    expect(digits.text).toContain('តាមមាត្រា ៤៩៤ និង ៤៩៥ នៃក្រមព្រហ្មទណ្ឌ');
    // Two dictionary words typed together: one mark, the source's run.
    expect(marked(note, await snippetFor(note, 'ក្រមព្រហ្មទណ្ឌ'))).toEqual(['ក្រមព្រហ្មទណ្ឌ']);
    expect(marked(note, await snippetFor(note, 'វត្តមាន'))).toEqual(['វត្តមាន']);
    // pdf.js's Khmer (spaces between clusters, U+0000 for a subscript): found by its skeleton, marked as extracted.
    const extracted = 'ការ វ ត\u0000 ម ា ន របស់មេធាវី';
    expect(marked(extracted, await snippetFor(extracted, 'វត្តមាន'))).toEqual(['វ ត\u0000 ម ា ន']);
  });

  it('cuts a window of whole words around the first match, and says where the text goes on', async () => {
    const letter = fixture('mission-letter-koet-saray-2025-07-17.txt');
    const snippet = await snippetFor(letter, 'imprisonment');
    expect(marked(letter, snippet)[0]).toBe('imprisonment');
    expect(snippet.text.length).toBeLessThan(300);
    expect(snippet).toMatchObject({ cutBefore: true, cutAfter: true, field: null });
    const start = letter.indexOf(snippet.text);
    expect(/\s/.test(letter[start - 1]!)).toBe(true);
    expect(/\s/.test(letter[start + snippet.text.length] ?? ' ')).toBe(true);
  });

  it('marks every match the window holds, across the pieces the text is folded in', async () => {
    // The text is folded in ~512-character pieces cut before a space: here one ends after "Zqbeta".
    const text = `${'Filler '.repeat(72)}Zqalpha Zqbeta ${'filler '.repeat(3)}ZQBÉTA ${'filler '.repeat(100)}Zqalpha`;
    const found = await snippetFor(text, 'zqalpha zqbeta');
    expect(marked(text, found)).toEqual(['Zqalpha', 'Zqbeta', 'ZQBÉTA']);
    expect(text.indexOf(found.text) + found.marks[0]![0]).toBe(504);
  });

  it('folds exactly as the index folds, so every match is found', () => {
    for (const text of [
      fixture('khmer-hearing-note.txt'),
      fixture('mission-letter-koet-saray-2025-07-17.txt'),
      'Pénal CODE ៤៩៤\u0000\u200b ﬁnal ＡＢＣ cafe\u0301 ﻻ ﺑﺎﺏ كِتاب 𝐀𝐁 é',
    ]) {
      const { folded, starts, ends } = foldWithOrigins(text);
      expect(folded).toBe(normaliseForSearch(text));
      expect(Array.from({ length: folded.length }, (_, unit) => starts[unit]! < ends[unit]!).every(Boolean)).toBe(true);
    }
  });
});
