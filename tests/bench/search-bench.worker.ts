// The search benchmark's vault, in a worker as the real one is: records
// sealed and stored in IndexedDB, the index built, stored as an encrypted
// snapshot, and loaded back as an unlock would.
import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { normaliseForSearch } from '../../renderer/src/vault/search-text';
import { expandMasterKey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { SEARCH_TABLES } from '../../renderer/src/vault/worker/search/search-entries';
import { SearchIndex, toHit, type SearchEntry } from '../../renderer/src/vault/worker/search/search-index';
import { loadSearchSnapshot, saveSearchSnapshot } from '../../renderer/src/vault/worker/search/search-snapshot';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore, type VaultChange } from '../../renderer/src/vault/worker/vault-store';
import {
  ANNOTATIONS,
  ANNOTATIONS_PER_ROW,
  CASES,
  DOCUMENTS,
  ENGLISH,
  KHMER,
  generatedVault,
  random,
} from './search-vault';

const QUERIES = 200;

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

/** Seals every entry's text into case records, as the vault stores pages and annotation rows. */
async function storeRecords(store: VaultStore, entries: SearchEntry[]): Promise<void> {
  const caseKeys = Array.from({ length: CASES }, (_, index) => store.newCaseKey(`case-${index}`));
  await store.commit({ put: caseKeys });
  const bySource = new Map<string, SearchEntry[]>();
  for (const entry of entries) bySource.set(entry.source!, [...(bySource.get(entry.source!) ?? []), entry]);
  let batch: VaultChange['put'] = [];
  for (const [source, group] of bySource) {
    const { caseId } = group[0]!;
    batch.push(
      source.startsWith('text-')
        ? await store.sealCaseRecord(caseId, 'document-text', source, {
            extractor: 'bench',
            pages: group.map((entry) => ({ text: entry.text, hasText: true })),
          })
        : await store.sealCaseRecord(caseId, 'annotation-page', source, {
            annotations: group.map((entry) => ({ note: entry.text })),
          }),
    );
    if (batch.length === 500) {
      await store.commit({ put: batch });
      batch = [];
    }
  }
  if (batch.length > 0) await store.commit({ put: batch });
}

async function run() {
  await sodium.ready;
  const entries = generatedVault();
  const texts = new Map(entries.map((entry) => [entry.id, entry.text]));
  const normalised = entries.map((entry) => normaliseForSearch(`${entry.title} ${entry.text}`));
  const characters = entries.reduce((sum, entry) => sum + entry.text.length, 0);

  const db = new VaultDatabase(`bench-search-${Date.now()}`);
  const store = await VaultStore.open(db, expandMasterKey(newMasterKey()), 'bench');
  await storeRecords(store, entries);

  // No snapshot yet: the index is built from the decrypted records' entries.
  const [index, buildMs] = await timed(async () => {
    const built = new SearchIndex();
    await built.update(entries);
    return built;
  });

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
    // What the user waits for, but reading snippet texts back from their records: the query and its snippets.
    const hits = index.query(query, { limit: 50 }).map((match) => toHit(match, texts.get(match.entry.id) ?? ''));
    found += hits.length;
    indexTimes.push(performance.now() - start);
    const needle = normaliseForSearch(query);
    start = performance.now();
    let matches = 0;
    for (const text of normalised) if (text.includes(needle)) matches += 1;
    scanTimes.push(performance.now() - start);
    if (matches < 0) throw new Error('unreachable');
  }
  if (found === 0) throw new Error('no query found anything');
  indexTimes.sort((a, b) => a - b);
  scanTimes.sort((a, b) => a - b);

  // One page edited: what the next search waits for once the changed row is known.
  const edited = { ...entries[42]!, text: `${entries[42]!.text} zqedited` };
  const [, updateMs] = await timed(() => index.replaceSources([edited.source!], [edited]));
  if (index.query('zqedited').length !== 1) throw new Error('the edit was not indexed');
  // Finding which rows changed: every row listed with its tag, none decrypted.
  const [{ tags, changed }, tagScanMs] = await timed(() => store.scanCaseRecords(SEARCH_TABLES, () => true));
  if (changed.length !== 0 || tags.size !== DOCUMENTS + ANNOTATIONS / ANNOTATIONS_PER_ROW)
    throw new Error(`scanned ${tags.size} rows`);

  const [bytes, serializeMs] = await timed(() => index.serialize({ tags: [...tags] }));
  const snapshotMiB = bytes.byteLength / 2 ** 20;
  const [saved, saveMs] = await timed(() => saveSearchSnapshot(store, bytes, store.commits));
  if (!saved) throw new Error('the snapshot was not saved');

  // An unlock: the snapshot read and decrypted, the index restored, every row's tag checked.
  const [restored, readyMs] = await timed(async () => {
    const stored = await loadSearchSnapshot(store);
    if (!stored) throw new Error('no snapshot');
    const { index: loaded, extra } = SearchIndex.restore(stored);
    const known = new Map((extra as { tags: [string, string][] }).tags);
    const scan = await store.scanCaseRecords(SEARCH_TABLES, (id, tag) => known.get(id) === tag);
    if (scan.changed.length !== 0) throw new Error('the snapshot missed rows');
    return loaded;
  });
  if (restored.query('zqedited').length !== 1 || restored.size !== index.size) throw new Error('restore lost entries');
  store.wipe();
  db.close();
  await db.delete();

  return {
    documents: entries.filter((entry) => entry.kind === 'page').length,
    annotations: entries.filter((entry) => entry.kind === 'annotation').length,
    characters,
    queryP50: percentile(indexTimes, 0.5),
    queryP95: percentile(indexTimes, 0.95),
    scanP50: percentile(scanTimes, 0.5),
    scanP95: percentile(scanTimes, 0.95),
    buildMs,
    updateMs,
    tagScanMs,
    serializeMs,
    snapshotMiB,
    saveMs,
    readyMs,
  };
}

const api = { run };
export type SearchBenchApi = typeof api;
expose(api);
