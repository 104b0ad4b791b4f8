import { normaliseForSearch } from '../../renderer/src/vault/search-text';
import { SearchIndex, type SearchEntry } from '../../renderer/src/vault/worker/search/search-index';
import { result, type Benchmark } from './harness';

const DOCUMENTS = 10_000;
const CHARS_PER_DOCUMENT = 5_000;
const ANNOTATIONS = 100_000;
const QUERIES = 200;

const ENGLISH = (
  'hearing adjourned defence lawyer absent court judge prosecutor witness detained charged incitement article ' +
  'appeal verdict sentence fine riels monitor observer public access denied interpreter provided juvenile bail ' +
  'summons arrest release custody province municipal statement evidence confession pressure delay counsel ' +
  'commune council land activist journalist union association assembly expression protest petition forest'
).split(' ');
const KHMER = 'តុលាការ សវនាការ មេធាវី ជនជាប់ចោទ ចៅក្រម ព្រះរាជអាជ្ញា សាក្សី ការញុះញង់ មាត្រា ក្រមព្រហ្មទណ្ឌ វត្តមាន សាលក្រម'.split(' ');

/** A deterministic stream of pseudo-random numbers (the same vault every run). */
function random(seed: number) {
  let state = seed >>> 0;
  return (limit: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // The high bits: a linear congruential generator's low bits repeat with a short period (taken mod 8 then
    // mod 12, they once let only five of the twelve Khmer words into the vault).
    return Math.floor((state / 2 ** 32) * limit);
  };
}

function prose(next: (limit: number) => number, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    // One word in eight is Khmer, written as Khmer is: no space before the next Khmer word.
    const word =
      next(8) === 0
        ? KHMER[next(KHMER.length)]!
        : `${ENGLISH[next(ENGLISH.length)]!}${next(50) === 0 ? next(1000) : ''}`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

function generatedVault(): { entries: SearchEntry[]; texts: string[] } {
  const next = random(20261124);
  const entries: SearchEntry[] = [];
  for (let index = 0; index < DOCUMENTS; index++)
    entries.push({
      id: `page:${index}`,
      kind: 'page',
      caseId: `case-${index % 500}`,
      title: `document-${index}.pdf`,
      text: prose(next, CHARS_PER_DOCUMENT),
      documentId: `d${index}`,
      page: 0,
    });
  for (let index = 0; index < ANNOTATIONS; index++)
    entries.push({
      id: `annotation:${index}`,
      kind: 'annotation',
      caseId: `case-${index % 500}`,
      title: `document-${index % DOCUMENTS}.pdf`,
      text: prose(next, 100),
    });
  return { entries, texts: entries.map((entry) => normaliseForSearch(`${entry.title} ${entry.text}`)) };
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

/**
 * Search over a generated vault of 10,000 document pages (about 50 million
 * characters, English with Khmer runs) and 100,000 annotations: how long the
 * index takes to build (what a first search after unlock waits for, records
 * already decrypted), and query latency against a plain linear scan of the
 * same normalised text.
 */
export const searchBenchmark: Benchmark = {
  name: 'search',
  async run() {
    const { entries, texts } = generatedVault();
    const characters = entries.reduce((sum, entry) => sum + entry.text.length, 0);
    const heapBefore = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    const buildStart = performance.now();
    const index = new SearchIndex();
    await index.update(entries);
    const buildMs = performance.now() - buildStart;
    const heapAfter = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

    const next = random(7);
    const queries = Array.from({ length: QUERIES }, (_, position) =>
      position % 4 === 0
        ? KHMER[next(KHMER.length)]!
        : position % 4 === 1
          ? `${ENGLISH[next(ENGLISH.length)]!} ${ENGLISH[next(ENGLISH.length)]!}`
          : ENGLISH[next(ENGLISH.length)]!.slice(0, 4 + next(4)),
    );
    const indexTimes: number[] = [];
    const scanTimes: number[] = [];
    let found = 0;
    for (const query of queries) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      let start = performance.now();
      found += index.query(query, { limit: 50 }).length;
      indexTimes.push(performance.now() - start);
      const needle = normaliseForSearch(query);
      start = performance.now();
      let hits = 0;
      for (const text of texts) if (text.includes(needle)) hits += 1;
      scanTimes.push(performance.now() - start);
      if (hits < 0) throw new Error('unreachable');
    }
    if (found === 0) throw new Error('no query found anything');

    // One page edited: what the next search waits for before it runs.
    const edited = entries.map((entry, position) =>
      position === 42 ? { ...entry, text: `${entry.text} zqedited` } : entry,
    );
    const updateStart = performance.now();
    const changed = await index.update(edited);
    const updateMs = performance.now() - updateStart;
    if (changed.added !== 1 || index.query('zqedited').length !== 1) throw new Error('the edit was not indexed');
    indexTimes.sort((a, b) => a - b);
    scanTimes.sort((a, b) => a - b);
    await Promise.resolve();
    return [
      result({
        name: `search query latency p50 (${DOCUMENTS.toLocaleString('en')} pages, ${(characters / 1e6).toFixed(0)} M characters, ${ANNOTATIONS.toLocaleString('en')} annotations) / linear scan p50`,
        value: percentile(indexTimes, 0.5),
        baseline: percentile(scanTimes, 0.5),
        unit: 'ms',
      }),
      result({
        name: 'search query latency p95 / linear scan p95',
        value: percentile(indexTimes, 0.95),
        baseline: percentile(scanTimes, 0.95),
        unit: 'ms',
        goal: 'p95 ≤ 30 ms',
      }),
      result({
        name: 'index update after one page changed (entries compared, one re-tokenized) / one linear scan',
        value: updateMs,
        baseline: percentile(scanTimes, 0.5),
        unit: 'ms',
      }),
      result({
        name: 'index built from decrypted records (what the first search after unlock waits for) / one linear scan',
        value: buildMs,
        baseline: percentile(scanTimes, 0.5),
        unit: 'ms',
        goal: '≤ 2 s',
        peakHeapMiB: (heapAfter - heapBefore) / 2 ** 20,
      }),
    ];
  },
};
