import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations';
import type { SearchIndexProgress, VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { GiveWay } from '../../renderer/src/vault/worker/give-way';
import { SearchIndex } from '../../renderer/src/vault/worker/search/search-index';
import { StoredShards } from '../../renderer/src/vault/worker/search/term-shards/term-shard-storage';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { attach, bytes, passphraseBytes, vaultService } from '../support/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';
import en from '../../renderer/src/i18n/locales/en.json';

const text = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8');

async function attachText(vault: VaultWorkerApi, caseId: string, name: string, content: string, pages: string[]) {
  const document = await attach(vault, caseId, name, bytes(content));
  await vault.saveDocumentText(caseId, document.id, {
    extractor: 'utf-8',
    pages: pages.map((page) => ({ text: page, hasText: true })),
  });
  return document;
}

/** Ids of the committed blobs: a blob still being written is there already, pending, with no tag. */
async function committedBlobIds(db: { blobs: { toArray(): Promise<{ id: string; tag: string }[]> } }) {
  return (await db.blobs.toArray())
    .filter((row) => row.tag !== '')
    .map((row) => row.id)
    .sort();
}

/** Waits for the next store of the search snapshot: `count` blobs, no longer the ids `before`. */
async function storedAgain(blobIds: () => Promise<string[]>, count: number, before: string[]) {
  await vi.waitFor(
    async () => {
      const now = await blobIds();
      expect(now).toHaveLength(count);
      expect(now).not.toEqual(before);
    },
    { timeout: 5000 },
  );
}

beforeAll(async () => {
  await sodium.ready;
});

/** Vaults opened by a test, locked after it: a failed test's timers must not run into the next test's spies. */
const opened: VaultWorkerApi[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const vault of opened.splice(0)) await vault.lock().catch(() => undefined);
});
function openedVault(...args: Parameters<typeof vaultService>) {
  const service = vaultService(...args);
  opened.push(service.vault);
  return service;
}

describe('search across the vault', () => {
  it('finds articles, Khmer words inside unspaced runs, annotations, hearings and case fields', async () => {
    const { vault } = openedVault('search-1');
    await vault.createVault(passphraseBytes());
    const { id: caseId } = await vault.createCase({
      ...emptyCaseFields(),
      title: 'Koet Saray',
      summary: 'Facebook posts about Preah Vihear',
    });
    const letterText = text('mission-letter-koet-saray-2025-07-17.txt');
    const letter = await attachText(vault, caseId, 'letter.txt', letterText, [letterText]);
    const khmer = text('khmer-hearing-note.txt');
    const note = await attachText(vault, caseId, 'note.txt', khmer, [
      'Cover page',
      khmer.replaceAll('ក្រម', 'ក\u0000្រម'),
    ]);
    const at = letterText.indexOf('four (4) years');
    await vault.createAnnotation(caseId, {
      documentId: letter.id,
      color: 'yellow',
      note: 'sentence for incitement',
      tags: ['art-494'],
      link: null,
      target: {
        kind: 'text',
        extractor: 'utf-8',
        segments: [{ ...describeSegment(letterText, 0, at, at + 14), rects: [] }],
      },
    });
    await vault.saveHearing(caseId, null, koetSarayHearing());

    const kinds = async (query: string) => (await vault.search(query)).map((hit) => `${hit.kind}:${hit.title}`);
    expect(await kinds('494')).toContain('page:letter.txt');
    // Khmer digits (៤៩៤) are found by ASCII digits too.
    expect(await kinds('494')).toContain('page:note.txt');
    expect(await kinds('ក្រមព្រហ្មទណ្ឌ')).toContain('page:note.txt');
    expect(await kinds('វត្តមាន')).toContain('page:note.txt');
    expect(await kinds('four years')).toContain('annotation:letter.txt');
    expect(await kinds('incitement sentence')).toContain('annotation:letter.txt');
    expect(await kinds('Zqcourt')).toContain('hearing:2025-07-17');
    expect(await kinds('preah vih')).toContain('case:Koet Saray');
    expect(await vault.search('nothing-like-this-anywhere')).toEqual([]);

    const [pageHit] = await vault.search('ក្រមព្រហ្មទណ្ឌ');
    expect(pageHit).toMatchObject({ documentId: note.id, page: 1 });
    const [letterHit] = await vault.search('imprisonment fined', { kinds: ['page'] });
    expect(letterHit?.snippet.text).toContain('imprisonment');
    expect(letterHit?.snippet.marks.length).toBeGreaterThan(0);

    // Filters, with or without words: hearings by provision, by indicator and answer, by date; documents by type.
    const hearings = await vault.search('', { indicator: 'presence-and-counsel', answer: 'not-respected' });
    expect(hearings.map((hit) => hit.kind)).toEqual(['hearing']);
    expect(await vault.search('', { indicator: 'presence-and-counsel', answer: 'respected' })).toEqual([]);
    expect((await vault.search('', { provision: 'Criminal Code art. 495' })).map((hit) => hit.kind)).toEqual([
      'hearing',
    ]);
    expect(await vault.search('', { provision: 'Criminal Code art. 443' })).toEqual([]);
    expect((await vault.search('zqcourt', { from: '2025-07', to: '2025-07' })).length).toBe(1);
    expect(await vault.search('zqcourt', { from: '2026' })).toEqual([]);
    expect((await vault.search('494', { documentKind: 'text', kinds: ['page'] })).length).toBe(2);
    expect(await vault.search('494', { documentKind: 'pdf' })).toEqual([]);
    expect(await vault.search('')).toEqual([]);

    // A change is searchable at once; the index is gone at lock.
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Koet Saray', summary: 'Zqnew summary word' });
    expect(await kinds('zqnew')).toContain('case:Koet Saray');
    await vault.lock();
    await expect(vault.search('494')).rejects.toMatchObject({ code: 'locked' });
    await vault.unlock(passphraseBytes());
    expect(await kinds('494')).toContain('page:letter.txt');
  });

  it('shows a hearing result as its field’s label and the words written there, never an id or a coded answer', async () => {
    const { vault } = openedVault('search-hearing');
    await vault.createVault(passphraseBytes());
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray' });
    const hearing = koetSarayHearing();
    await vault.saveHearing(caseId, null, hearing);
    const label = (key: string) =>
      key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], en);

    const [arrived] = await vault.search('counsel arrived', { kinds: ['hearing'] });
    expect(arrived?.snippet).toMatchObject({
      text: 'Counsel arrived after the hearing opened',
      field: 'indicator.presence-and-counsel',
      cutBefore: false,
      cutAfter: false,
    });
    expect(label(arrived!.snippet.field!)).toBe('Presence and defence counsel');
    const [note] = await vault.search('zqnote', { kinds: ['hearing'] });
    expect(note?.snippet.text).toBe(hearing.accused[0]!.counsel.notes);
    expect(label(note!.snippet.field!)).toBe('Notes on counsel');

    // Nothing the hearing holds as an id or a code is indexed or quoted.
    const ids = [
      arrived!.targetId!,
      caseId,
      'presence-and-counsel',
      'not-respected',
      'in-person',
      'detained',
      'a1',
      'c1',
    ];
    for (const hit of [arrived!, note!, ...(await vault.search('Zqcourt', { kinds: ['hearing'] }))])
      for (const id of ids) expect(hit.snippet.text).not.toContain(id);
    expect(await vault.search('respected', { kinds: ['hearing'] })).toEqual([]);
    expect(await vault.search('detained', { kinds: ['hearing'] })).toEqual([]);
    expect(await vault.search(arrived!.targetId!)).toEqual([]);
  });

  it('builds the index again from an earlier version of the snapshot, and its first store leaves no earlier term row', async () => {
    const { db, vault } = openedVault('search-snapshot-v2', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray', summary: 'zqcase' });
    await vault.saveHearing(caseId, null, koetSarayHearing());
    expect(await vault.search('zqcase')).toHaveLength(1);
    const snapshotBlobs = () => committedBlobIds(db);
    await vi.waitFor(async () => expect(await snapshotBlobs()).toHaveLength(1), { timeout: 5000 });
    const first = await snapshotBlobs();
    // The term shards' rows: in so small a vault, most of its rows (their kind is a keyed hash, found by count).
    const shardRows = async () => {
      const rows = await db.records.toArray();
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.kind, (counts.get(row.kind) ?? 0) + 1);
      const [kind, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      expect(count).toBeGreaterThan(rows.length / 2);
      return new Set(rows.filter((row) => row.kind === kind).map((row) => row.id));
    };
    const rowsBefore = await shardRows();
    await vault.lock();
    // The stored snapshot as version 2 left it (the whole FlexSearch index): not read.
    vi.spyOn(SearchIndex, 'restore').mockImplementation(() => {
      throw new Error('unknown search snapshot version');
    });
    const scan = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqcase')).toHaveLength(1);
    expect((await vault.search('counsel arrived'))[0]?.snippet.field).toBe('indicator.presence-and-counsel');
    // Built from every record's row.
    expect(scan).toHaveBeenCalled();
    vi.restoreAllMocks();
    // Stored again: a new catalogue, and the same term rows rewritten (none left over, none added).
    await vi.waitFor(async () => expect(await snapshotBlobs()).not.toEqual(first), { timeout: 5000 });
    expect(await snapshotBlobs()).toHaveLength(1);
    expect(await shardRows()).toEqual(rowsBefore);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqcase')).toHaveLength(1);
  });

  it('deletes term shards a deletion left without their catalogue at the next unlock, before any search', async () => {
    const { db, vault } = openedVault('search-orphan-shards', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqkept' });
    const { id: beta } = await vault.createCase({ ...emptyCaseFields(), title: 'Beta', summary: 'zqwitnessname' });
    expect(await vault.search('zqwitnessname')).toHaveLength(1);
    await vi.waitFor(async () => expect((await db.blobs.toArray()).filter((row) => row.tag !== '')).toHaveLength(1), {
      timeout: 5000,
    });
    // The term shards' kind (a keyed hash): in so small a vault, the kind with the most rows.
    const counts = new Map<string, number>();
    for (const row of await db.records.toArray()) counts.set(row.kind, (counts.get(row.kind) ?? 0) + 1);
    const [shardKind] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const shardRows = async () => (await db.records.toArray()).filter((row) => row.kind === shardKind).length;
    expect(await shardRows()).toBeGreaterThan(10);
    // Deleted, then locked before the next store could sweep the shards: the catalogue went with the deletion.
    await vault.deleteCase(beta);
    await vault.lock();
    expect(await shardRows()).toBeGreaterThan(10);
    await vault.unlock(passphraseBytes());
    await vi.waitFor(async () => expect(await shardRows()).toBe(0), { timeout: 5000 });
    expect(await vault.search('zqwitnessname')).toEqual([]);
    expect(await vault.search('zqkept')).toHaveLength(1);
  });

  it('builds the index again after the records are accepted as stored (the stored index is dropped with the map)', async () => {
    const { vault } = openedVault('search-accepted', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqaccepted' });
    expect(await vault.search('zqaccepted')).toHaveLength(1);
    await vault.acceptRecordsAsStored(passphraseBytes());
    expect(await vault.search('zqaccepted')).toHaveLength(1);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqaccepted')).toHaveLength(1);
  });

  it('tells a search waiting for the index to be built how far it has got: rising, to every record, never past', async () => {
    const { vault } = openedVault('search-progress');
    await vault.createVault(passphraseBytes());
    for (let n = 0; n < 6; n++) {
      const { id } = await vault.createCase({ ...emptyCaseFields(), title: `Zqcase ${n}` });
      await attachText(vault, id, `zq${n}.txt`, `zqpage ${n}`, [`zqpage ${n} first`, `second page ${n}`]);
    }
    // A slow machine: every look at the clock finds 60 ms gone, so the worker sends its steps rather than a few.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 60));
    const reports: SearchIndexProgress[] = [];
    const hits = await vault.search('zqpage', undefined, (progress) => reports.push({ ...progress }));
    vi.restoreAllMocks();
    expect(hits).toHaveLength(6);
    // Every row search reads: six cases, their documents and the documents' texts.
    const total = 18;
    expect(reports.at(-1)).toEqual({ stage: 'building', done: total, total });
    const values = reports.map((progress) => progress.done);
    expect(reports.every((progress) => progress.total === total && progress.done <= total)).toBe(true);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values.filter((value) => value < total)).size).toBeGreaterThanOrEqual(3);

    // Up to date now: the next search waits for nothing and hears nothing.
    const later: SearchIndexProgress[] = [];
    expect(await vault.search('zqcase', undefined, (progress) => later.push(progress))).toHaveLength(6);
    expect(later).toEqual([]);
  });

  it('keeps the index as an encrypted snapshot: unlock loads it, catches up on changes, and a deleted case takes it along', async () => {
    const { db, vault } = openedVault('search-snapshot', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    const { id: alpha } = await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqalpha' });
    const { id: beta } = await vault.createCase({ ...emptyCaseFields(), title: 'Beta', summary: 'zqbeta' });
    await attachText(vault, beta, 'beta.txt', 'zqpage', ['zqpage on the only page']);
    const titles = async (query: string) => (await vault.search(query)).map((hit) => hit.title);
    expect(await titles('zqalpha')).toEqual(['Alpha']);
    // The document's content and, once written, the snapshot: two blobs.
    await vi.waitFor(async () => expect(await committedBlobIds(db)).toHaveLength(2), { timeout: 5000 });
    // Nothing of it is readable at rest.
    const marker = new TextEncoder().encode('zqalpha');
    const rows = [...(await db.chunks.toArray()), ...(await db.records.toArray())];
    expect(rows.some((row) => Buffer.from(row.env).includes(Buffer.from(marker)))).toBe(false);

    await vault.lock();
    // Watched from the unlock on: the snapshot may be loaded (warmed) before unlock returns.
    const restore = vi.spyOn(SearchIndex, 'restore');
    const scan = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    await vault.unlock(passphraseBytes());
    // Changed after the snapshot: found at once, the old words gone.
    await vault.updateCase(alpha, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqgamma' });
    expect(await titles('zqgamma')).toEqual(['Alpha']);
    expect(restore).toHaveBeenCalledTimes(1);
    // Unlock checked every row's tag at most once: not at all if the snapshot was loaded before the edit landed
    // (the edit is then read from the store's journal), once if after. Either order is correct.
    const scansAtUnlock = scan.mock.calls.length;
    expect(scansAtUnlock).toBeLessThanOrEqual(1);
    // A change in this session reads only the rows it wrote.
    await vault.updateCase(alpha, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqdelta' });
    expect(await titles('zqdelta')).toEqual(['Alpha']);
    expect(await titles('zqgamma')).toEqual([]);
    expect(scan).toHaveBeenCalledTimes(scansAtUnlock);
    await vault.updateCase(alpha, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqgamma' });
    expect(await titles('zqgamma')).toEqual(['Alpha']);
    restore.mockRestore();
    scan.mockRestore();
    expect(await titles('zqalpha')).toEqual([]);
    expect(await titles('zqpage')).toEqual(['beta.txt']);
    expect((await vault.search('zqpage'))[0]?.snippet.text).toContain('zqpage on the only page');

    // Deleting any record (here a document) removes the snapshot in the same transaction.
    const extra = await attachText(vault, alpha, 'extra.txt', 'zqextra', ['zqextra words']);
    expect(await titles('zqextra')).toEqual(['extra.txt']);
    await vi.waitFor(async () => expect(await committedBlobIds(db)).toHaveLength(3), { timeout: 5000 });
    await vault.deleteDocument(alpha, extra.id);
    expect((await db.blobs.toArray()).filter((row) => row.tag !== '')).toHaveLength(1);
    expect(await titles('zqextra')).toEqual([]);
    await vi.waitFor(async () => expect(await committedBlobIds(db)).toHaveLength(2), { timeout: 5000 });

    // Deleting a case removes the snapshot in the same transaction, its catalogue pieces (which name every entry)
    // with it: nothing of the case stays behind.
    const commit = vi.spyOn(VaultStore.prototype, 'commit');
    await vault.updateCase(beta, { ...emptyCaseFields(), title: 'Beta', summary: 'zqbeta' });
    const store = commit.mock.contexts[0] as VaultStore;
    commit.mockRestore();
    await vi.waitFor(async () => expect((await store.vaultRowIds('search-piece')).length).toBeGreaterThan(0), {
      timeout: 5000,
    });
    await vault.deleteCase(beta);
    expect(await store.vaultRowIds('search-piece')).toEqual([]);
    // (A snapshot being written at that moment is refused at its commit: it was made before the deletion.)
    const committedBlobs = async () => (await db.blobs.toArray()).filter((row) => row.tag !== '').length;
    expect(await committedBlobs()).toBe(0);
    expect(await titles('zqbeta')).toEqual([]);
    expect(await titles('zqpage')).toEqual([]);
    // The next store (swept of the case's entries first) is written, then committed.
    await vi.waitFor(async () => expect(await committedBlobs()).toBe(1), { timeout: 5000 });
    expect(await db.blobs.count()).toBe(1);

    // A damaged snapshot is rebuilt from the records, not trusted.
    const chunk = (await db.chunks.toArray())[0]!;
    chunk.env[40]! ^= 1;
    await db.chunks.put(chunk);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await titles('zqgamma')).toEqual(['Alpha']);
  });

  it('answers after unlock from the catalogue pieces it needs, reads the rest after, and rebuilds when one is missing', async () => {
    const { db, vault } = openedVault('search-pieces', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqpiece' });
    await attachText(vault, id, 'alpha.txt', 'zqpage', ['zqpage first', 'zqpage second']);
    expect(await vault.search('zqpiece')).toHaveLength(1);
    // The document's content and, once written, the snapshot: two blobs.
    await vi.waitFor(async () => expect(await committedBlobIds(db)).toHaveLength(2), { timeout: 5000 });
    await vault.lock();
    const original = Object.getOwnPropertyDescriptor(StoredShards.prototype, 'read')!.value as StoredShards['read'];
    const read = vi.spyOn(StoredShards.prototype, 'read');
    const firstScan = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqpiece')).toHaveLength(1);
    // Answered from the snapshot's catalogue pieces, no record's tag checked.
    expect(read.mock.contexts.some((shards) => (shards as StoredShards).space === 'entries')).toBe(true);
    expect(firstScan).not.toHaveBeenCalled();
    firstScan.mockRestore();
    await vault.lock();
    // Every catalogue piece read as missing: the snapshot is not trusted, and the index is built from the records.
    read.mockImplementation(function (this: StoredShards, slots) {
      return this.space === 'entries' ? Promise.resolve(new Map<number, Uint8Array>()) : original.call(this, slots);
    });
    const blobIds = () => committedBlobIds(db);
    const storedBefore = await blobIds();
    const scan = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    await vault.unlock(passphraseBytes());
    expect((await vault.search('zqpage')).map((hit) => hit.page).sort()).toEqual([0, 1]);
    expect(scan).toHaveBeenCalled();
    scan.mockRestore();
    // Built again and stored again: the next unlock reads the new snapshot's pieces, and a change after it works.
    read.mockRestore();
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqchanged' });
    expect(await vault.search('zqchanged')).toHaveLength(1);
    await storedAgain(blobIds, 2, storedBefore);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqpiece')).toEqual([]);
    expect(await vault.search('zqchanged')).toHaveLength(1);
    await vault.lock();

    // Opened again by a vault that reads the rest of its index only much later: a deletion right after unlock
    // drops the stored catalogue, so the index reads it whole first, and is not built again.
    const { vault: slow } = openedVault(db, { searchSnapshotDelayMs: 60_000 });
    await slow.unlock(passphraseBytes());
    // A search that finds nothing opens the index and reads no catalogue piece.
    expect(await slow.search('zqnowhere')).toEqual([]);
    const document = (await slow.listDocuments(id)).find((listed) => listed.name === 'alpha.txt')!;
    const rebuild = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    // The deletion waits for that read: it does not give way to searches, as the background read does.
    const clearOf = Object.getOwnPropertyDescriptor(GiveWay.prototype, 'clear')!.value as GiveWay['clear'];
    const gaveWay: boolean[] = [];
    const clear = vi.spyOn(GiveWay.prototype, 'clear').mockImplementation(function (this: GiveWay, stillWaiting) {
      gaveWay.push(stillWaiting?.() ?? true);
      return clearOf.call(this, stillWaiting);
    });
    await slow.deleteDocument(id, document.id);
    expect(gaveWay.length).toBeGreaterThan(0);
    expect(gaveWay.every((waited) => !waited)).toBe(true);
    clear.mockRestore();
    expect(await slow.search('zqpage')).toEqual([]);
    expect(await slow.search('zqchanged')).toHaveLength(1);
    expect(rebuild).not.toHaveBeenCalled();
  });

  it('after a deletion, stores every catalogue piece again: the next unlock reads them and rebuilds nothing', async () => {
    const { db, vault } = openedVault('search-pieces-deleted', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqalpha' });
    // Three pieces' worth of entries: 600 pages.
    const pages = Array.from({ length: 600 }, (_, at) => `zqpage ${at} of the long report`);
    await attachText(vault, id, 'long.txt', 'zqlong', pages);
    const doomed = await attachText(vault, id, 'short.txt', 'zqshort', ['zqshort only page']);
    expect(await vault.search('zqshort')).toHaveLength(1);
    const blobIds = () => committedBlobIds(db);
    // Two documents and the snapshot.
    await vi.waitFor(async () => expect(await blobIds()).toHaveLength(3), { timeout: 10_000 });
    const stored = await blobIds();
    await vault.lock();
    // Unlocked: the index restored from its pieces; the deletion drops them, so the next store writes them all.
    await vault.unlock(passphraseBytes());
    await vault.deleteDocument(id, doomed.id);
    expect(await vault.search('zqshort')).toEqual([]);
    // That store, committed: a new row-tags blob, not one of those before (the deletion dropped the earlier one).
    await vi.waitFor(async () => expect((await blobIds()).some((blobId) => !stored.includes(blobId))).toBe(true), {
      timeout: 10_000,
    });
    await vault.lock();
    // Not built again: the restored index takes in at most what changed after its store (a commit of the deletion
    // that landed after it, checked by tag), never the 600 pages.
    const indexed = vi.spyOn(SearchIndex.prototype, 'replaceSources');
    await vault.unlock(passphraseBytes());
    expect(await vault.search('zqpage', { limit: 500 })).toHaveLength(500);
    expect(await vault.search('zqshort')).toEqual([]);
    const entries = indexed.mock.calls.reduce((sum, [, given]) => sum + given.length, 0);
    expect(entries).toBeLessThan(100);
  });

  it('stores changes in the snapshot soon after they are made, so the next unlock checks no rows', async () => {
    const { db, vault } = openedVault('search-snapshot-fresh', { searchSnapshotDelayMs: 0 });
    await vault.createVault(passphraseBytes());
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqfirst' });
    expect(await vault.search('zqfirst')).toHaveLength(1);
    const snapshotBlob = () => committedBlobIds(db);
    await vi.waitFor(async () => expect(await snapshotBlob()).toHaveLength(1), { timeout: 5000 });
    const first = await snapshotBlob();
    // Edited, never searched again before the lock: the snapshot is rewritten all the same.
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqsecond' });
    await storedAgain(snapshotBlob, 1, first);
    await vault.lock();
    const restore = vi.spyOn(SearchIndex, 'restore');
    await vault.unlock(passphraseBytes());
    // The stored snapshot is loaded after unlock, before any search; an edit made before any search still
    // reaches the next snapshot.
    await vi.waitFor(() => expect(restore).toHaveBeenCalledTimes(1), { timeout: 5000 });
    const second = await snapshotBlob();
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Alpha', summary: 'zqthird' });
    await vi.waitFor(async () => expect(await snapshotBlob()).not.toEqual(second), { timeout: 5000 });
    await vault.lock();
    await vault.unlock(passphraseBytes());
    const scan = vi.spyOn(VaultStore.prototype, 'scanCaseRecords');
    expect((await vault.search('zqthird')).map((hit) => hit.title)).toEqual(['Alpha']);
    expect(await vault.search('zqsecond')).toEqual([]);
    expect(scan).not.toHaveBeenCalled();
    scan.mockRestore();
    restore.mockRestore();
  });

  it('right after unlock, waits for the integrity map’s warm-up, which then no longer gives way to calls', async () => {
    const { vault } = openedVault('search-warm-up');
    await vault.createVault(passphraseBytes());
    await vault.createCase({ ...emptyCaseFields(), title: 'Alpha', summary: 'zqwarm' });
    await vault.lock();
    let release: () => void = () => undefined;
    let pause: () => Promise<void> = () => Promise.resolve();
    const warm = vi.spyOn(VaultStore.prototype, 'warmIntegrityMap').mockImplementation((givenPause) => {
      pause = givenPause ?? pause;
      return new Promise<void>((resolve) => (release = resolve));
    });
    await vault.unlock(passphraseBytes());
    expect(warm).toHaveBeenCalledTimes(1);
    let answered = false;
    const searching = vault.search('zqwarm').then((hits) => {
      answered = true;
      return hits;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    // The search is a call under way: a warm-up nobody waited for would pause up to a second here.
    const started = performance.now();
    await pause();
    expect(performance.now() - started).toBeLessThan(500);
    release();
    expect((await searching).map((hit) => hit.title)).toEqual(['Alpha']);
    warm.mockRestore();
  });
});
