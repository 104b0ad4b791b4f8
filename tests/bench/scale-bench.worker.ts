import { PlainDatabase, type PlainRow } from './plain-database';
/**
 * Issue 18's big vaults, generated where the vault runs: the app's vault
 * (made by the app's vault worker, real Argon2id) is opened here with its
 * passphrase and filled through the vault's own store (VaultStore.seal,
 * which validates every record with its registry schema, and
 * VaultStore.commit, which writes the rows, the integrity map and the
 * custody-log chain), in batches rather than one commit per item. The same
 * rows go in cleartext into a plain Dexie database, the baselines' reads.
 */
import { expose } from 'comlink';
import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import {
  emptyCaseFields,
  emptyProvenance,
  type AnnotationRecord,
  type DocumentRecord,
} from '../../renderer/src/vault/model';
import { INDICATOR_ANSWERS, emptyHearingFields, type HearingFields } from '../../renderer/src/vault/hearing-model';
import type { HearingRecord } from '../../renderer/src/vault/api';
import { finalise, newVersioned } from '../../renderer/src/vault/versions';
import { newAccused } from '../../renderer/src/observations/hearing-form';
import { INDICATORS } from '../../renderer/src/observations/indicators';
import { normaliseForSearch } from '../../renderer/src/vault/search-text';
import { unlockWithPassphrase } from '../../renderer/src/vault/worker/crypto/header';
import { setKdfRunner } from '../../renderer/src/vault/worker/crypto/kdf';
import { inShortLivedWorker } from '../../renderer/src/vault/worker/crypto/kdf-in-worker';
import { expandMasterKey, randomId } from '../../renderer/src/vault/worker/crypto/keys';
import { textRowId } from '../../renderer/src/vault/worker/documents-service';
import { readHeader } from '../../renderer/src/vault/worker/header-store';
import { LISTED_KINDS } from '../../renderer/src/vault/worker/record-kinds';
import { rowNames } from '../../renderer/src/vault/worker/row-ids';
import { createSearchService } from '../../renderer/src/vault/worker/search/search-service';
import { searchSnapshotPointer } from '../../renderer/src/vault/worker/search/search-snapshot';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore, type VaultChange } from '../../renderer/src/vault/worker/vault-store';
import { prose, random } from './search-vault';

setKdfRunner(
  inShortLivedWorker(
    () =>
      new Worker(new URL('../../renderer/src/vault/worker/crypto/kdf.worker.ts', import.meta.url), {
        type: 'module',
      }),
  ),
);

const PLAIN_DATABASE = 'bench-scale-plain';
/** Characters of extracted text per (one-page) document: a short letter or court summons. */
const CHARS_PER_DOCUMENT = 1_200;
/** Rows per commit while generating. */
const BATCH = 4_000;

/** The counts at `documents` documents (issue 18's proportions: 50,000 → 10,000 cases, 5,000 hearings, 200,000
 * annotations). */
function scaleCounts(documents: number) {
  return { documents, cases: documents / 5, hearings: documents / 10, annotations: documents * 4 };
}

function hearingFields(index: number): HearingFields {
  const fields = emptyHearingFields(
    `20${20 + (index % 6)}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`,
  );
  fields.court = `Provincial court ${index % 25}`;
  fields.accused = [newAccused(`a${index}-1`), newAccused(`a${index}-2`)].map((accused, position) => ({
    ...accused,
    name: `Accused ${index}.${position}`,
    counsel: { ...accused.counsel, present: index % 4 === position ? 'no' : 'yes' },
  }));
  const seen = new Set<string>();
  fields.indicators = fields.accused.flatMap((accused) =>
    INDICATORS.flatMap((indicator, position) => {
      const accusedId = indicator.individual ? accused.id : null;
      const key = `${indicator.id}:${accusedId}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [
        {
          indicator: indicator.id,
          accusedId,
          answer: INDICATOR_ANSWERS[(index + position) % INDICATOR_ANSWERS.length]!,
          note: `Observed at hearing ${index}: ${indicator.id}; the judge interrupted counsel twice.`,
          evidence: [],
        },
      ];
    }),
  );
  fields.monitorSummary = `Hearing ${index}: concerns about counsel and the vague offence.`.repeat(3);
  return fields;
}

const sha256Of = (index: number) => sodium.to_hex(sodium.crypto_hash_sha256(`document ${index}`));

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

/**
 * Fills the app's (just created, locked) vault: `documents` one-page documents with extracted text, and cases,
 * hearings (nine in ten signed off) and annotations (four per document, one page bucket per document) in
 * proportion, each with the custody-log entries the app's services write for it. Then the search index is built
 * by the app's search service and its encrypted snapshot stored, as the app does a few seconds after a change.
 * Returns timings of the generation and the linear-scan baseline for `queries`.
 */
async function generate(passphrase: Uint8Array, documents: number, queries: string[]) {
  await sodium.ready;
  const counts = scaleCounts(documents);
  const db = new VaultDatabase();
  const plain = new PlainDatabase(PLAIN_DATABASE);
  const header = await readHeader(db);
  if (!header) throw new Error('no vault to fill');
  const masterKey = await unlockWithPassphrase(header, passphrase);
  const store = await VaultStore.open(db, expandMasterKey(masterKey), sodium.to_hex(header.vaultId).slice(0, 16));
  const actor = sodium.to_hex(header.vaultId).slice(0, 16);
  const next = random(20260418);
  const now = Date.now();
  const normalised: string[] = [];

  let change: Required<Pick<VaultChange, 'put' | 'log'>> = { put: [], log: [] };
  let plainRows: PlainRow[] = [];
  let logSeq = 0;
  const flush = async (force = false) => {
    if (!force && change.put.length < BATCH) return;
    if (change.put.length > 0 || change.log.length > 0) await store.commit(change);
    if (plainRows.length > 0) await plain.records.bulkPut(plainRows);
    change = { put: [], log: [] };
    plainRows = [];
  };
  const logged = (entry: VaultChange['log'] extends (infer E)[] | undefined ? E : never) => {
    change.log.push(entry);
    plainRows.push({ id: `log-${logSeq++}`, table: 'log', caseId: '', value: { ...entry, time: now, actor } });
  };

  const start = performance.now();
  const caseIds: string[] = [];
  for (let index = 0; index < counts.cases; index++) {
    const id = randomId();
    caseIds.push(id);
    const record = {
      ...emptyCaseFields(),
      id,
      title: `Case ${index}: detention of a land-rights defender under arts. 494 and 495`,
      references: [`KHM ${index}/2025`],
      summary: prose(next, 400),
      status: (['open', 'pre-trial', 'on-trial', 'convicted', 'released'] as const)[index % 5]!,
      tags: ['art. 494', 'fair trial'],
      people: [
        { id: 'p1', name: `Accused ${index}`, role: 'accused' as const, sensitive: true, notes: 'Held in detention.' },
      ],
      keyDates: [{ id: 'd1', label: 'Arrest', date: '2025-03-14' }],
      archived: index % 20 === 19,
      createdAt: now,
      updatedAt: now + index,
    };
    change.put.push(store.newCaseKey(id), await store.seal('case', id, id, record));
    plainRows.push({ id, table: 'case', caseId: id, value: record });
    logged({ action: 'created', targetKind: 'case', targetId: id, caseId: id });
    await flush();
  }
  await flush(true);
  const casesMs = performance.now() - start;

  // Documents, each with its extracted text, and its annotations (one page bucket per document).
  const annotationsPerDocument = counts.annotations / counts.documents;
  for (let index = 0; index < counts.documents; index++) {
    const caseId = caseIds[index % counts.cases]!;
    const id = randomId();
    const sha256 = sha256Of(index);
    const document: DocumentRecord = {
      id,
      caseId,
      blobId: randomId(),
      name: `document-${index}.${index % 3 === 0 ? 'txt' : 'pdf'}`,
      size: 20_000 + (index % 1000) * 100,
      mimeType: index % 3 === 0 ? 'text/plain' : 'application/pdf',
      kind: index % 3 === 0 ? 'text' : 'pdf',
      sha256,
      intakeAt: now - (counts.documents - index) * 1000,
      intakeBy: actor,
      provenance: { ...emptyProvenance(), obtainedFrom: `Monitor ${index % 40}`, language: 'km' },
    };
    const text = prose(next, CHARS_PER_DOCUMENT);
    const extracted = { extractor: 'pdf.js 5', pages: [{ text, hasText: true }] };
    normalised.push(normaliseForSearch(`${document.name} ${text}`));
    change.put.push(
      await store.seal('document', caseId, id, document),
      await store.seal('document-text', caseId, textRowId(store, id), extracted),
    );
    plainRows.push(
      { id, table: 'document', caseId, value: document },
      { id: `text-${id}`, table: 'document-text', caseId, value: extracted },
    );
    logged({ action: 'attached', targetKind: 'document', targetId: id, caseId, contentHashes: [sha256] });
    // Every fifth document awaits annotation (the home screen lists some); the rest carry theirs.
    const annotationCount = index % 5 === 4 ? 0 : Math.round((annotationsPerDocument * 5) / 4);
    const annotations: AnnotationRecord[] = [];
    for (let position = 0; position < annotationCount; position++) {
      const offset = position * 40;
      const note = prose(next, 100);
      normalised.push(normaliseForSearch(`${document.name} ${note}`));
      annotations.push({
        id: randomId(),
        caseId,
        documentId: id,
        source: sha256,
        color: 'yellow',
        note,
        tags: ['fair trial'],
        link: null,
        target: {
          kind: 'text',
          extractor: 'pdf.js 5',
          segments: [
            {
              page: 0,
              start: offset,
              end: offset + 20,
              quote: { exact: text.slice(offset, offset + 20) || 'x', prefix: '', suffix: '' },
              rects: [{ x: 72, y: 700 - position * 14, width: 200, height: 12 }],
            },
          ],
        },
        createdAt: now,
        updatedAt: now,
        createdBy: actor,
      });
    }
    if (annotations.length > 0) {
      const page = { documentId: id, page: 0, annotations };
      const bucketId = store.blind(rowNames.annotationPage(id, 0));
      change.put.push(await store.seal('annotation-page', caseId, bucketId, page));
      plainRows.push({ id: `bucket-${id}`, table: 'annotation-page', caseId, value: page });
      for (const annotation of annotations)
        logged({
          action: 'annotated',
          targetKind: 'annotation',
          targetId: annotation.id,
          caseId,
          contentHashes: [sha256],
        });
    }
    await flush();
  }
  await flush(true);
  const documentsMs = performance.now() - start - casesMs;

  for (let index = 0; index < counts.hearings; index++) {
    const caseId = caseIds[(index * 7) % counts.cases]!;
    const id = randomId();
    const draft = newVersioned(hearingFields(index));
    const signedOff = index % 10 !== 0;
    const record: HearingRecord = {
      id,
      caseId,
      createdAt: now,
      updatedAt: now,
      hearing: signedOff ? finalise(draft, actor, now) : draft,
    };
    change.put.push(await store.seal('hearing', caseId, id, record));
    plainRows.push({ id, table: 'hearing', caseId, value: record });
    logged({ action: 'created', targetKind: 'hearing', targetId: id, caseId });
    if (signedOff) logged({ action: 'finalised', targetKind: 'hearing', targetId: id, caseId });
    await flush();
  }
  await flush(true);
  const generateMs = performance.now() - start;

  // The search index, built by the app's search service at its first search, and its snapshot stored.
  const search = createSearchService(() => ({ store }), { snapshotDelayMs: 0 }).api;
  const [, indexBuildMs] = await timed(() => search.search('court', { limit: 100 }));
  const [, snapshotMs] = await timed(async () => {
    for (;;) {
      const pointer = await searchSnapshotPointer(store);
      if (pointer && pointer.generation === store.recordsGeneration) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  // The list index and the log tail, as the app builds them at the first list after an upgrade (from then on every
  // commit keeps them).
  const [, listIndexMs] = await timed(async () => {
    for (const kind of LISTED_KINDS) await store.listEntries(kind);
    await store.recentLog(10);
  });

  // The baseline of a query: a linear scan of the same normalised text (documents and annotations).
  const scanTimes: number[] = [];
  for (const query of queries) {
    const needle = normaliseForSearch(query);
    const scanStart = performance.now();
    let matches = 0;
    for (const entry of normalised) if (entry.includes(needle)) matches += 1;
    scanTimes.push(performance.now() - scanStart);
    if (matches < 0) throw new Error('unreachable');
  }
  scanTimes.sort((a, b) => a - b);
  const characters = normalised.reduce((sum, entry) => sum + entry.length, 0);
  const rows = await db.records.count();
  const logEntries = await db.log.count();
  store.wipe();
  db.close();
  plain.close();
  return {
    ...counts,
    rows,
    logEntries,
    characters,
    casesMs,
    documentsMs,
    generateMs,
    indexBuildMs,
    snapshotMs,
    listIndexMs,
    scanP50: percentile(scanTimes, 0.5),
    scanP95: percentile(scanTimes, 0.95),
  };
}

/** What each view reads, as plain rows: the tables it lists. */
const VIEW_TABLES = {
  cases: ['case'],
  documents: ['document'],
  hearings: ['hearing'],
  overview: ['case', 'hearing', 'annotation-page', 'document', 'log'],
  search: ['document', 'document-text', 'annotation-page'],
} as const;
export type PlainView = keyof typeof VIEW_TABLES;

/**
 * The baseline of a view: the plain database opened afresh, then the same rows read (by table, as
 * vault-bench.worker.ts reads plain rows). Median of `repeats`, in ms, and the rows read.
 */
async function plainRead(view: PlainView, repeats: number) {
  const times: number[] = [];
  let rows = 0;
  for (let round = 0; round < repeats; round++) {
    const plain = new PlainDatabase(PLAIN_DATABASE);
    await plain.open();
    const [read, ms] = await timed(async () => {
      let count = 0;
      for (const table of VIEW_TABLES[view])
        count += (
          await plain.records.where('[table+caseId]').between([table, Dexie.minKey], [table, Dexie.maxKey]).toArray()
        ).length;
      return count;
    });
    rows = read;
    times.push(ms);
    plain.close();
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, rows };
}

async function removePlain() {
  await Dexie.delete(PLAIN_DATABASE);
}

const api = { generate, plainRead, removePlain };
export type ScaleBenchApi = typeof api;
expose(api);
