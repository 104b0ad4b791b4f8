// The search benchmark's vault, in a worker as the real one is: records
// sealed and stored in IndexedDB, the index built, stored as an encrypted
// snapshot, and loaded back as an unlock would.
import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { normaliseForSearch } from '../../renderer/src/vault/search-text';
import { expandMasterKey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { SEARCHED_KINDS as SEARCH_TABLES } from '../../renderer/src/vault/worker/record-kinds';
import { SearchIndex, type SearchEntry } from '../../renderer/src/vault/worker/search/search-index';
import { createSearchService } from '../../renderer/src/vault/worker/search/search-service';
import {
  catalogueHeadOf,
  encodeRowTags,
  indexShards,
  loadRowTags,
  saveSearchSnapshot,
  searchSnapshotPointer,
  type IndexShards,
} from '../../renderer/src/vault/worker/search/search-snapshot';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore, type VaultChange } from '../../renderer/src/vault/worker/vault-store';
import { emptyProvenance, type DocumentRecord } from '../../renderer/src/vault/model';
import { textRowId } from '../../renderer/src/vault/worker/documents-service';
import {
  ANNOTATIONS,
  ANNOTATIONS_PER_ROW,
  CASES,
  CHARS_PER_DOCUMENT,
  DOCUMENTS,
  caseIdOf,
  documentIdOf,
  ENGLISH,
  KHMER,
  generatedVault,
  random,
} from './search-vault';
import { SEARCH_PAGE } from '../../renderer/src/search/search-page';

const QUERIES = 200;

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

/**
 * Seals the vault as the app stores it: a document record per document, its
 * extracted text under its text row id, annotations ten to a row. Sets each
 * page entry's source to its text row.
 */
async function storeRecords(store: VaultStore, entries: SearchEntry[]): Promise<void> {
  const caseKeys = Array.from({ length: CASES }, (_, index) => store.newCaseKey(caseIdOf(index)));
  await store.commit({ put: caseKeys });
  for (const entry of entries) if (entry.kind === 'page') entry.source = textRowId(store, entry.documentId!);
  const bySource = new Map<string, SearchEntry[]>();
  for (const entry of entries) bySource.set(entry.source!, [...(bySource.get(entry.source!) ?? []), entry]);
  let batch: NonNullable<VaultChange['put']> = [];
  for (const [source, group] of bySource) {
    const first = group[0]!;
    const { caseId } = first;
    if (first.kind === 'document')
      batch.push(
        await store.sealCaseRecord(caseId, 'document', source, {
          id: first.documentId!,
          caseId,
          blobId: first.documentId!,
          name: first.title,
          size: CHARS_PER_DOCUMENT,
          mimeType: 'application/pdf',
          kind: 'pdf',
          sha256: '0'.repeat(64),
          intakeAt: 0,
          intakeBy: 'bench',
          provenance: emptyProvenance(),
        } satisfies DocumentRecord),
      );
    else if (first.kind === 'page')
      batch.push(
        await store.sealCaseRecord(caseId, 'document-text', source, {
          extractor: 'bench',
          pages: group.map((entry) => ({ text: entry.text, hasText: true })),
        }),
      );
    else
      batch.push(
        await store.sealCaseRecord(caseId, 'annotation-page', source, {
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

/** gc(), when Chromium runs with --js-flags=--expose-gc (scripts/bench.mjs): retained memory, not garbage. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

let prepared: Awaited<ReturnType<typeof prepare>> | null = null;

async function prepare() {
  await sodium.ready;
  const entries = generatedVault();
  const normalised = entries.map((entry) => normaliseForSearch(`${entry.title} ${entry.text}`));
  const characters = entries.reduce((sum, entry) => sum + entry.text.length, 0);

  const db = new VaultDatabase(`bench-search-${Date.now()}`);
  const masterKey = newMasterKey();
  const store = await VaultStore.open(db, expandMasterKey(masterKey.slice()), 'bench');
  await storeRecords(store, entries);

  return { entries, normalised, characters, db, store, masterKey };
}

/** The generated vault sealed into IndexedDB, the entries kept; then garbage collected. */
async function setUp(): Promise<void> {
  prepared = await prepare();
  collectGarbage();
}

let built: { index: SearchIndex; shards: IndexShards; buildMs: number } | null = null;

/** No snapshot yet: the index built from the decrypted records' entries; then garbage collected. */
async function build(): Promise<void> {
  const shards = indexShards(prepared!.store, false);
  const [index, buildMs] = await timed(async () => {
    const fresh = new SearchIndex(shards);
    await fresh.update(prepared!.entries);
    return fresh;
  });
  built = { index, shards, buildMs };
  collectGarbage();
}

async function run() {
  const { entries, normalised, characters, db, store, masterKey } = prepared!;
  const { index, shards, buildMs } = built!;

  // One page edited: what the next search waits for once the changed row is known.
  const original = entries.find((entry) => entry.id === `page:${documentIdOf(42)}:0`)!;
  const edited = { ...original, text: `${original.text} zqedited` };
  const [, updateMs] = await timed(() => index.replaceSources([edited.source!], [edited]));
  if ((await index.query('zqedited')).length !== 1) throw new Error('the edit was not indexed');
  // Finding which rows changed: every row listed with its tag, none decrypted.
  const [{ tags, changed }, tagScanMs] = await timed(() => store.scanCaseRecords(SEARCH_TABLES, () => true));
  if (changed.length !== 0 || tags.size !== 2 * DOCUMENTS + ANNOTATIONS / ANNOTATIONS_PER_ROW)
    throw new Error(`scanned ${tags.size} rows`);

  const [snapshot, serializeMs] = await timed(() => index.snapshot());
  const rowTags = encodeRowTags(tags);
  const snapshotMiB =
    (rowTags.byteLength +
      [
        ...snapshot.shards.words.values(),
        ...snapshot.shards.khmer.values(),
        ...snapshot.shards.entries.values(),
      ].reduce((sum, bytes) => sum + bytes.byteLength, 0)) /
    2 ** 20;
  const [saved, saveMs] = await timed(() =>
    saveSearchSnapshot(store, snapshot, rowTags, shards, store.commits, store.recordsGeneration),
  );
  if (!saved) throw new Error('the snapshot was not saved');

  // Queries through the search service (its first search restores the snapshot; that is timed in a fresh
  // worker, as an unlock starts: see readyAfterUnlock).
  const search = createSearchService(() => ({ store }), { snapshotDelayMs: 2 ** 30 }).api;
  if ((await search.search('court', { limit: 50 })).length !== 50)
    throw new Error('the restored index found too little');
  const pointer = (await searchSnapshotPointer(store))!;
  const [restored, restoreMs] = await timed(() =>
    Promise.resolve(SearchIndex.restore(catalogueHeadOf(pointer)!, indexShards(store, true))),
  );
  // The catalogue's pieces and the row tags, all read (what a change after unlock waits for).
  const [, loadMs] = await timed(async () => {
    await restored.whole();
    if ((await loadRowTags(store, pointer.blobId))?.size !== tags.size) throw new Error('row tags lost');
  });
  if ((await restored.query('zqedited')).length !== 1 || restored.size !== index.size)
    throw new Error('restore lost entries');

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
    // What the user waits for: the query as the search panel asks it (a page of hits, and one to know whether
    // there are more), and their snippets cut from records read back and decrypted.
    const hits = await search.search(query, { limit: SEARCH_PAGE + 1 });
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

  store.wipe();
  db.close();
  prepared = null;
  built = null;

  return {
    database: db.name,
    masterKey,
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
    loadMs,
    restoreMs,
  };
}

/**
 * An unlock, in a fresh worker as the app's starts: the vault opened with its
 * key, then the first search timed (the snapshot read, decrypted and
 * restored; with `changed`, after one record changed that the snapshot does
 * not hold, so every row's tag is checked too).
 */
async function readyAfterUnlock(database: string, masterKey: Uint8Array, changed: boolean) {
  await sodium.ready;
  const db = new VaultDatabase(database);
  const store = await VaultStore.open(db, expandMasterKey(masterKey), 'bench');
  if (changed) {
    const documentId = documentIdOf(43);
    await store.commit({
      put: [
        await store.sealCaseRecord(caseIdOf(43), 'document-text', textRowId(store, documentId), {
          extractor: 'bench',
          pages: [{ text: 'court zqchanged', hasText: true }],
        }),
      ],
    });
  }
  const search = createSearchService(() => ({ store }), { snapshotDelayMs: 2 ** 30 }).api;
  const [hits, ms] = await timed(() => search.search(changed ? 'zqchanged' : 'court', { limit: 50 }));
  if (hits.length !== (changed ? 1 : 50)) throw new Error(`the first search after unlock found ${hits.length}`);
  store.wipe();
  db.close();
  return ms;
}

async function removeDatabase(database: string) {
  await new VaultDatabase(database).delete();
}

const api = { setUp, build, run, readyAfterUnlock, removeDatabase };
export type SearchBenchApi = typeof api;
expose(api);
