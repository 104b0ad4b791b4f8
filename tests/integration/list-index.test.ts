import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { describeSegment } from '../../renderer/src/annotations/anchoring';
import { emptyCaseFields, emptyProvenance, type AnnotationFields } from '../../renderer/src/vault/model';
import { ListIndex } from '../../renderer/src/vault/worker/list-index';
import { rowNames } from '../../renderer/src/vault/worker/row-ids';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { openJson } from '../../renderer/src/vault/worker/crypto/envelope';
import { blindIndex, wipeKeys } from '../../renderer/src/vault/worker/crypto/keys';
import { koetSarayHearing } from '../fixtures/hearings';
import { attach, bytes, keysOfVault, listIndexRowIds, newVault, passphraseBytes } from '../support/vault-service';

/**
 * Issue 18: the vault-wide lists (cases, documents, hearings, the home
 * overview) come from a sealed list index kept by every commit, not from
 * opening every record. What they show must stay exactly what reading every
 * record shows, through every kind of change; an index that is not the one
 * the vault last wrote is not used.
 */

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

const PAGE = 'The defence lawyer was absent when the hearing opened, and the judge refused an adjournment.';

function highlight(documentId: string, quote: string): AnnotationFields {
  const at = PAGE.indexOf(quote);
  return {
    documentId,
    color: 'yellow',
    note: 'lawyer missing at the opening',
    tags: [],
    link: null,
    target: {
      kind: 'text',
      extractor: 'utf-8',
      segments: [{ ...describeSegment(PAGE, 0, at, at + quote.length), rects: [] }],
    },
  };
}

/** The four vault-wide answers, in a stable order. */
async function lists(vault: VaultWorkerApi) {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
  const { cases, damaged: damagedCases } = await vault.listCases();
  const { documents, damaged: damagedDocuments } = await vault.listAllDocuments();
  const { hearings, damaged: damagedHearings } = await vault.listAllHearings();
  const { recentActivity, ...overview } = await vault.overview();
  return {
    cases: byId(cases),
    documents: byId(documents),
    hearings: byId(hearings),
    damaged: [...damagedCases, ...damagedDocuments, ...damagedHearings],
    overview,
    recent: recentActivity.map((entry) => entry.seq),
  };
}

/**
 * The lists and the overview as the index and its summaries give them (checked to come from them: no record read
 * across cases), then as reading every record gives them (index and summaries refused): both must be the same.
 */
async function expectIndexTrue(vault: VaultWorkerApi) {
  const scanned = vi.spyOn(VaultStore.prototype, 'listAcrossCases');
  const fromIndex = await lists(vault);
  expect(scanned).not.toHaveBeenCalled();
  scanned.mockRestore();
  const unusedIndex = vi.spyOn(ListIndex.prototype, 'read').mockResolvedValue(undefined);
  const unusedSummaries = vi.spyOn(ListIndex.prototype, 'summary').mockResolvedValue(undefined);
  const fromRecords = await lists(vault);
  unusedIndex.mockRestore();
  unusedSummaries.mockRestore();
  expect(fromIndex).toEqual(fromRecords);
  expect(fromIndex.damaged).toEqual([]);
  return fromIndex;
}

/** A change nobody lists (a case created and deleted), so the overview kept since is computed again. */
async function touch(vault: VaultWorkerApi) {
  const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Touch' });
  await vault.deleteCase(id);
}

describe('the sealed list index', () => {
  it('shows exactly what reading every record shows, through edits, sign-offs, deletions, a lock and a re-key', async () => {
    const { vault } = await newVault('list-index');
    const a = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray', status: 'on-trial' });
    const b = await vault.createCase({ ...emptyCaseFields(), title: 'Land defenders' });
    // The first lists build the index from the records.
    await lists(vault);

    const letter = await attach(vault, a.id, 'letter.txt', bytes(PAGE));
    const note = await attach(vault, b.id, 'note.txt', bytes('A second note.'));
    await attach(vault, b.id, 'third.txt', bytes('A third note.'));
    const signed = await vault.saveHearing(a.id, null, koetSarayHearing());
    await vault.finaliseHearing(a.id, signed.id);
    await vault.saveHearing(b.id, null, { ...koetSarayHearing(), date: '2025-08' });
    await vault.createAnnotation(a.id, highlight(letter.id, 'defence lawyer was absent'));
    let shown = await expectIndexTrue(vault);
    expect(shown.documents.map((document) => document.name).sort()).toEqual(['letter.txt', 'note.txt', 'third.txt']);
    expect(shown.overview.awaitingAnnotation.map((entry) => entry.name).sort()).toEqual(['note.txt', 'third.txt']);

    await vault.updateCase(a.id, { ...emptyCaseFields(), title: 'Koet Saray (appeal)', status: 'convicted' });
    await vault.setCaseArchived(b.id, true);
    await vault.updateProvenance(b.id, note.id, { ...emptyProvenance(), description: 'From the court clerk' });
    await vault.saveHearing(a.id, signed.id, { ...koetSarayHearing(), court: 'Court of Appeal' });
    await vault.deleteDocument(b.id, note.id);
    shown = await expectIndexTrue(vault);
    expect(shown.cases.find((listed) => listed.id === a.id)).toMatchObject({ title: 'Koet Saray (appeal)' });
    expect(shown.hearings.find((listed) => listed.id === signed.id)).toMatchObject({
      state: 'draft',
      current: { court: 'Court of Appeal' },
      latestFinal: { court: koetSarayHearing().court },
    });

    await vault.deleteCase(b.id);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    shown = await expectIndexTrue(vault);
    expect(shown.cases.map((listed) => listed.title)).toEqual(['Koet Saray (appeal)']);
    expect(shown.documents.map((document) => document.name)).toEqual(['letter.txt']);

    // A re-key removes the index with the rest of what was derived under the old keys; it is built again.
    await vault.changePassphrase(passphraseBytes(), bytes('a new passphrase for the re-key test'));
    await vault.whenRekeyStops();
    await lists(vault);
    await touch(vault);
    expect(await expectIndexTrue(vault)).toMatchObject({ cases: shown.cases, documents: shown.documents });
  });

  it('is not used when a shard is an older copy put back or is missing: the records are read, and the index written again', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Before' });
    await vault.listCases();
    const shardIds = await listIndexRowIds(db);
    const older = (await db.records.bulkGet(shardIds)).filter((row) => row !== undefined);
    expect(older.length).toBeGreaterThan(0);
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'After' });

    await db.records.bulkPut(older);
    const scanned = vi.spyOn(VaultStore.prototype, 'listAcrossCases');
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['After']);
    expect(scanned).toHaveBeenCalledTimes(1);
    // Written again from the records: the next list comes from it.
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['After']);
    expect(scanned).toHaveBeenCalledTimes(1);

    await db.records.delete(older[0]!.id);
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['After']);
    expect(scanned).toHaveBeenCalledTimes(2);
  });

  it('is not made current again by a commit that follows an older shard put back: that commit removes it', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'First' });
    await vault.listCases();
    const shardIds = await listIndexRowIds(db);
    const older = (await db.records.bulkGet(shardIds)).filter((row) => row !== undefined);
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Second' });

    await db.records.bulkPut(older);
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Third' });
    expect((await db.records.bulkGet(shardIds)).filter((row) => row !== undefined)).toEqual([]);
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['Third']);
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
  });

  it('goes, in the same commit, when a listed row is written without its entry', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Listed' });
    await vault.listCases();
    await vault.listAllDocuments();
    const stored = async (kind: string) => {
      const keys = await keysOfVault(db);
      try {
        const ids = Array.from({ length: 64 }, (_, shard) =>
          blindIndex(keys.blindIndex, rowNames.listIndex(kind, shard)),
        );
        return (await db.records.bulkGet(ids)).filter((row) => row !== undefined).length;
      } finally {
        wipeKeys(keys);
      }
    };
    expect(await stored('case')).toBe(64);
    expect(await stored('document')).toBe(64);
    await vault.lock();

    // A case row sealed below the typed door (as a row copied as ciphertext would be): no entry travels with it.
    const keys = await keysOfVault(db);
    const store = await VaultStore.open(db, keys, 'test');
    const record = await store.read('case', id, id);
    await store.commit({ put: [await store.sealCaseRecord(id, 'case', id, { ...record, title: 'Changed below' })] });
    store.wipe();
    expect(await stored('case')).toBe(0);
    expect(await stored('document')).toBe(64);

    await vault.unlock(passphraseBytes());
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['Changed below']);
    expect(await stored('case')).toBe(64);
  });

  it('shows recent activity through the log tail, checked against the chain, and from the whole log when it does not hold', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Busy case' });
    for (let index = 0; index < 12; index++) await attach(vault, id, `note-${index}.txt`, bytes(`Note ${index}.`));
    const latest = async () => (await vault.listCustodyLog({ limit: 10 })).entries.map((row) => row.seq);
    /** Seq, target and case of each entry, as the whole log reads them (case entries opened with their case's key). */
    const described = (entries: { seq: number; targetKind?: string | null; caseId?: string | null }[]) =>
      entries.map(({ seq, targetKind, caseId }) => [seq, targetKind ?? null, caseId ?? null]);
    // The first overview writes the tail (from the whole log); through it, after an unlock, only the keys of the
    // cases its entries name are opened, not every case's.
    await vault.overview();
    await vault.lock();
    await vault.unlock(passphraseBytes());
    const allKeys = vi.spyOn(
      VaultStore.prototype as unknown as { loadAllCaseKeys: () => Promise<void> },
      'loadAllCaseKeys',
    );
    const recent = (await vault.overview()).recentActivity;
    expect(allKeys).not.toHaveBeenCalled();
    allKeys.mockRestore();
    expect(described(recent)).toEqual(described((await vault.listCustodyLog({ limit: 10 })).entries));
    expect(recent[0]).toMatchObject({ action: 'attached', targetKind: 'document', caseId: id });

    const keys = await keysOfVault(db);
    const tailId = blindIndex(keys.blindIndex, rowNames.logTail());
    wipeKeys(keys);
    const olderTail = await db.records.get(tailId);
    expect(olderTail).toBeDefined();
    await attach(vault, id, 'later.txt', bytes('Later.'));
    expect((await vault.overview()).recentActivity.map((entry) => entry.seq)).toEqual(await latest());

    // An older tail put back names entries that no longer end at the head: the whole log is read instead.
    await db.records.put(olderTail!);
    await touch(vault);
    const overview = await vault.overview();
    expect(overview.recentActivity.map((entry) => entry.seq)).toEqual(await latest());
    expect(overview.recentActivity[0]).toMatchObject({ action: 'deleted', aboutDeletedCase: true });
  });

  it('names no deleted case in the log tail once it is deleted', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'To be deleted' });
    await attach(vault, id, 'note.txt', bytes('A note.'));
    await vault.overview();
    await vault.deleteCase(id);
    const keys = await keysOfVault(db);
    try {
      const tailId = blindIndex(keys.blindIndex, rowNames.logTail());
      const tail = openJson(keys.records, { table: 'log-tail', id: tailId }, (await db.records.get(tailId))!.env);
      expect(JSON.stringify(tail)).not.toContain(id);
    } finally {
      wipeKeys(keys);
    }
    expect((await vault.overview()).recentActivity[0]).toMatchObject({ action: 'deleted', aboutDeletedCase: true });
  });

  it('keeps the home screen when the custody log head is damaged: recent activity from the whole log', async () => {
    const { db, vault } = await newVault('list-index');
    await vault.createCase({ ...emptyCaseFields(), title: 'A case' });
    await vault.overview();
    await vault.lock();
    const head = (await db.records.get('log-head'))!;
    const env = head.env.slice();
    env[env.length - 1]! ^= 1;
    await db.records.put({ ...head, env });
    await vault.unlock(passphraseBytes());
    expect((await vault.overview()).casesByStatus).toEqual({ open: 1 });
  });

  it('is built again from the records after "Accept the records as stored", not taken as stored', async () => {
    const { db, vault } = await newVault('list-index');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Older' });
    const older = (await db.records.get(id))!;
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Newer' });
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['Newer']);

    // The case record alone is put back as it was; the index still says "Newer". Accepting takes the records.
    await db.records.put(older);
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
    await vault.acceptRecordsAsStored(passphraseBytes());
    expect((await vault.listCases()).cases.map((listed) => listed.title)).toEqual(['Older']);
    expect((await vault.overview()).casesByStatus).toEqual({ open: 1 });
  });
});
