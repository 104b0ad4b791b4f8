import type { SearchEntry } from '../../renderer/src/vault/worker/search/search-index';

export const DOCUMENTS = 10_000;
export const CHARS_PER_DOCUMENT = 5_000;
export const ANNOTATIONS = 100_000;
export const ANNOTATIONS_PER_ROW = 10;
export const CASES = 500;

export const ENGLISH = (
  'hearing adjourned defence lawyer absent court judge prosecutor witness detained charged incitement article ' +
  'appeal verdict sentence fine riels monitor observer public access denied interpreter provided juvenile bail ' +
  'summons arrest release custody province municipal statement evidence confession pressure delay counsel ' +
  'commune council land activist journalist union association assembly expression protest petition forest'
).split(' ');
export const KHMER =
  'តុលាការ សវនាការ មេធាវី ជនជាប់ចោទ ចៅក្រម ព្រះរាជអាជ្ញា សាក្សី ការញុះញង់ មាត្រា ក្រមព្រហ្មទណ្ឌ វត្តមាន សាលក្រម'.split(' ');

/** A deterministic stream of pseudo-random numbers (the same vault every run). */
export function random(seed: number) {
  let state = seed >>> 0;
  return (limit: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // The high bits: a linear congruential generator's low bits repeat with a short period (taken mod 8 then
    // mod 12, they once let only five of the twelve Khmer words into the vault).
    return Math.floor((state / 2 ** 32) * limit);
  };
}

/** About `chars` characters of words, one in eight Khmer, drawn with `next`. */
export function prose(next: (limit: number) => number, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    // One word in eight is Khmer.
    const word =
      next(8) === 0
        ? KHMER[next(KHMER.length)]!
        : `${ENGLISH[next(ENGLISH.length)]!}${next(50) === 0 ? next(1000) : ''}`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

/** The vault's ids are 128-bit hex. */
export const hexId = (kind: number, index: number) =>
  `${kind.toString(16).padStart(8, '0')}${index.toString(16).padStart(24, '0')}`;
export const caseIdOf = (index: number) => hexId(1, index % CASES);
export const documentIdOf = (index: number) => hexId(2, index);

/**
 * The generated vault: 10,000 one-page documents of English with Khmer runs
 * (about 50 million characters) and 100,000 annotations, ten to a stored
 * row, over 500 cases. Page entries name their document; the worker sets
 * each page's source to its document-text row. Annotation rows are named
 * here.
 */
export function generatedVault(): SearchEntry[] {
  const next = random(20261124);
  const entries: SearchEntry[] = [];
  for (let index = 0; index < DOCUMENTS; index++) {
    const documentId = documentIdOf(index);
    entries.push({
      id: `document:${documentId}`,
      kind: 'document',
      caseId: caseIdOf(index),
      source: documentId,
      title: `document-${index}.pdf`,
      text: '\n\n\n\n',
      documentId,
      documentKind: 'pdf',
    });
    entries.push({
      id: `page:${documentId}:0`,
      kind: 'page',
      caseId: caseIdOf(index),
      title: `document-${index}.pdf`,
      text: prose(next, CHARS_PER_DOCUMENT),
      documentId,
      page: 0,
      documentKind: 'pdf',
    });
  }
  for (let index = 0; index < ANNOTATIONS; index++)
    entries.push({
      id: `annotation:${index}`,
      kind: 'annotation',
      caseId: caseIdOf(Math.floor(index / ANNOTATIONS_PER_ROW)),
      source: hexId(3, Math.floor(index / ANNOTATIONS_PER_ROW)),
      title: `document-${index % DOCUMENTS}.pdf`,
      text: prose(next, 100),
    });
  return entries;
}
