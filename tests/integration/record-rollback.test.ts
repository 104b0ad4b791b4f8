import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, emptyProvenance } from '../../renderer/src/vault/model';
import { expandMasterKey, newMasterKey, randomId } from '../../renderer/src/vault/worker/crypto/keys';
import { bucketOf, ROOT_ROW_ID } from '../../renderer/src/vault/worker/integrity-map';
import type { BlobRow, RecordRow, StateRow, VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultDatabase as Database } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { koetSarayHearing } from '../fixtures/hearings';
import {
  asBeforeIntegrityMap,
  attach,
  codeOf,
  fixture,
  freshName,
  newVault,
  passphraseBytes,
} from '../support/vault-service';

/**
 * Issue 15 §3: someone with write access to the disk and no key puts an
 * older ciphertext of a record back, drops a row, or restores a deleted
 * one. Each of those still opens with the vault's keys; the integrity map
 * (integrity-map.ts) must refuse it on read (`record-rolled-back`) and
 * "Verify custody log" must report it. Every test here passes only with the
 * map: without it, the rolled-back rows read as current and verification
 * says the vault is fine.
 */

beforeAll(async () => {
  await sodium.ready;
});

const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');

async function vaultWithCase(): Promise<{ db: VaultDatabase; vault: VaultWorkerApi; caseId: string }> {
  const { db, vault } = await newVault('record-rollback');
  const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray' });
  return { db, vault, caseId: id };
}

const row = async (db: VaultDatabase, id: string): Promise<RecordRow> => (await db.records.get(id))!;
const stateRows = async (db: VaultDatabase): Promise<Map<number, StateRow>> =>
  new Map((await db.state.toArray()).map((stored) => [stored.id, stored]));

/** What "Verify custody log" says when the chain holds but `count` records were rolled back. */
const rolledBackVerdict = (count: number) => ({ ok: false, reason: 'record-rolled-back', rolledBack: count });

describe('a record put back as an older copy', () => {
  it('a signed-off hearing reverted to its draft is refused, in lists and edits too, and verification counts it', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const hearing = await vault.saveHearing(caseId, null, koetSarayHearing());
    const draft = await row(db, hearing.id);
    await vault.finaliseHearing(caseId, hearing.id);
    expect((await vault.listHearings(caseId))[0]).toMatchObject({ id: hearing.id, hearing: { state: 'final' } });
    expect(await vault.verifyLog()).toMatchObject({ ok: true });

    // The draft's ciphertext, copied before sign-off, is put back: it opens with the case key as it always did.
    await db.records.put(draft);
    expect(await codeOf(vault.listHearings(caseId))).toBe('record-rolled-back');
    // An edit would build the next version on the reverted one: refused as well.
    expect(await codeOf(vault.saveHearing(caseId, hearing.id, koetSarayHearing()))).toBe('record-rolled-back');
    const { hearings, damaged } = await vault.listAllHearings();
    expect(hearings).toEqual([]);
    expect(damaged).toEqual([hearing.id]);
    expect(await vault.verifyLog()).toMatchObject(rolledBackVerdict(1));
  });

  it('a document record reverted to its earlier provenance is refused', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const document = await attach(vault, caseId, 'letter.txt', LETTER, { obtainedFrom: 'court clerk' });
    const before = await row(db, document.id);
    await vault.updateProvenance(caseId, document.id, { ...emptyProvenance(), obtainedFrom: 'defence lawyer' });

    await db.records.put(before);
    expect(await codeOf(vault.listDocuments(caseId))).toBe('record-rolled-back');
    expect(await codeOf(vault.readDocument(caseId, document.id))).toBe('record-rolled-back');
    expect(await codeOf(vault.verifyDocument(caseId, document.id))).toBe('record-rolled-back');
    expect((await vault.listAllDocuments()).damaged).toEqual([document.id]);
    expect(await vault.verifyLog()).toMatchObject(rolledBackVerdict(1));
  });
});

describe('a record removed or restored', () => {
  it('a dropped document row is refused when read by its id, and verification counts it', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const document = await attach(vault, caseId, 'letter.txt', LETTER);
    await db.records.delete(document.id);

    expect(await codeOf(vault.readDocument(caseId, document.id))).toBe('record-rolled-back');
    expect(await codeOf(vault.verifyDocument(caseId, document.id))).toBe('record-rolled-back');
    // A record that never existed still reads as none.
    expect(await vault.getDocumentText(caseId, document.id)).toBeNull();
    expect(await vault.verifyLog()).toMatchObject(rolledBackVerdict(1));
  });

  it('a deleted document and a deleted timeline event put back are refused', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const document = await attach(vault, caseId, 'letter.txt', LETTER);
    const event = await vault.saveTimelineEvent(caseId, null, {
      kind: 'arrest',
      date: '2024-03',
      person: 'Sok Dara',
      description: '',
      sources: [],
    });
    const documentRow = await row(db, document.id);
    const eventRow = await row(db, event.id);
    await vault.deleteDocument(caseId, document.id);
    await vault.deleteTimelineEvent(caseId, event.id);
    expect(await vault.listDocuments(caseId)).toEqual([]);

    await db.records.bulkPut([documentRow, eventRow]);
    expect(await codeOf(vault.listDocuments(caseId))).toBe('record-rolled-back');
    expect(await codeOf(vault.readDocument(caseId, document.id))).toBe('record-rolled-back');
    expect(await codeOf(vault.listTimelineEvents(caseId))).toBe('record-rolled-back');
    expect(await vault.verifyLog()).toMatchObject(rolledBackVerdict(2));
  });
});

describe('the custody log rolled back with its head', () => {
  it('an older head put back with the last log rows dropped is reported, and logged changes are refused', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const head = await row(db, 'log-head');
    const logIds = new Set(await db.log.toCollection().primaryKeys());
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Koet Saray (appeal)' });
    await vault.createCase({ ...emptyCaseFields(), title: 'Second case' });

    // A consistent shorter chain: the head as it was, and only the entries it counted.
    await db.records.put(head);
    await db.log.bulkDelete((await db.log.toCollection().primaryKeys()).filter((id) => !logIds.has(id)));
    const verdict = await vault.verifyLog();
    expect(verdict).toMatchObject({ ok: false, reason: 'record-rolled-back' });

    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await codeOf(vault.createCase({ ...emptyCaseFields(), title: 'Third case' }))).toBe('log-broken');
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
  });
});

describe('the integrity map rolled back', () => {
  it('a bucket put back as its older copy is caught', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const before = await stateRows(db);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Koet Saray (appeal)' });
    const bucketId = bucketOf(caseId) + 1;
    const current = (await db.state.get(bucketId))!;

    await db.state.put(before.get(bucketId)!);
    // The rows themselves are current, and the map held in memory says so; verification reads the map afresh.
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
    // At the next unlock nothing is vouched for: either that bucket or the root is an older copy.
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await codeOf(vault.getCase(caseId))).toBe('record-rolled-back');
    expect(await codeOf(vault.saveDraft('case-form:new', { title: 'x' }))).toBe('record-rolled-back');
    await db.state.put(current);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect((await vault.getCase(caseId)).title).toBe('Koet Saray (appeal)');
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
  });

  it('the root put back as its older copy, alone or with a bucket and a row of its time, is caught', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const before = await stateRows(db);
    const caseRow = await row(db, caseId);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Koet Saray (appeal)' });
    const after = await stateRows(db);
    const editedRow = await row(db, caseId);
    await vault.lock();

    // The root alone.
    await db.state.put(before.get(ROOT_ROW_ID)!);
    await vault.unlock(passphraseBytes());
    expect(await codeOf(vault.getCase(caseId))).toBe('record-rolled-back');
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
    await vault.lock();

    // The root, the case's bucket and the case's row, all three as they were before the edit: consistent with
    // each other, but not with the buckets changed since (the log head's), so nothing is vouched for.
    await db.state.put(before.get(bucketOf(caseId) + 1)!);
    await db.records.put(caseRow);
    await vault.unlock(passphraseBytes());
    expect(await codeOf(vault.getCase(caseId))).toBe('record-rolled-back');
    expect(await codeOf(vault.listCases())).toBe('no error'); // reported per record, not thrown
    expect((await vault.listCases()).damaged).toContain(caseId);
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
    await vault.lock();

    // Everything as it was after the edit: reads again.
    await db.state.bulkPut([...after.values()]);
    await db.records.put(editedRow);
    await vault.unlock(passphraseBytes());
    expect((await vault.getCase(caseId)).title).toBe('Koet Saray (appeal)');
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
  });

  it('a vault whose map was removed is not trusted again from its rows', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const caseRow = await row(db, caseId);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Koet Saray (appeal)' });
    await vault.lock();
    await db.records.put(caseRow);
    await db.state.clear();

    await vault.unlock(passphraseBytes());
    expect(await db.state.count()).toBe(0);
    expect(await codeOf(vault.getCase(caseId))).toBe('record-rolled-back');
    expect(await codeOf(vault.saveDraft('case-form:new', { title: 'x' }))).toBe('record-rolled-back');
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
  });
});

describe('what must keep working', () => {
  it('a sequence of edits, drafts, deletions, a lock and a reopen reads as it should, and the map follows it', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const hearing = await vault.saveHearing(caseId, null, koetSarayHearing());
    await vault.saveDraft(`case:${caseId}/hearing:${hearing.id}`, { note: 'typing…' });
    await vault.finaliseHearing(caseId, hearing.id);
    await vault.saveHearing(caseId, hearing.id, { ...koetSarayHearing(), date: '2025-07-18' });
    const document = await attach(vault, caseId, 'letter.txt', LETTER);
    const kept = await attach(vault, caseId, 'kept.txt', fixture('khmer-hearing-note.txt'));
    await vault.saveDocumentText(caseId, kept.id, { extractor: 'utf-8', pages: [{ text: 'note', hasText: true }] });
    await vault.deleteDocument(caseId, document.id);
    await vault.discardDraft(`case:${caseId}/hearing:${hearing.id}`);
    const other = await vault.createCase({ ...emptyCaseFields(), title: 'Deleted later' });
    await vault.deleteCase(other.id);
    expect((await vault.search('note')).length).toBeGreaterThanOrEqual(0);
    await vault.lock();
    await vault.unlock(passphraseBytes());

    expect((await vault.getCase(caseId)).title).toBe('Koet Saray');
    expect((await vault.listHearings(caseId))[0]).toMatchObject({ id: hearing.id, hearing: { version: 2 } });
    expect((await vault.listDocuments(caseId)).map((listed) => listed.id)).toEqual([kept.id]);
    expect(await vault.getDocumentText(caseId, kept.id)).toMatchObject({ extractor: 'utf-8' });
    expect(await vault.listAllHearings()).toMatchObject({ damaged: [] });
    expect((await vault.listCases()).damaged).toEqual([]);
    // The existing verdict's shape is kept when all is well.
    const verdict = await vault.verifyLog();
    expect(verdict).toEqual({ ok: true, count: verdict.count });

    // The map is there and covers every row: one of them put back as an older copy is caught.
    expect(await db.state.get(ROOT_ROW_ID)).toBeDefined();
    const current = await row(db, kept.id);
    await vault.updateProvenance(caseId, kept.id, { ...emptyProvenance(), obtainedFrom: 'monitor' });
    await db.records.put(current);
    expect(await codeOf(vault.listDocuments(caseId))).toBe('record-rolled-back');
  });

  it('a vault made before the map gets one at its first unlock, from its rows as they are', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const document = await attach(vault, caseId, 'letter.txt', LETTER);
    await vault.lock();
    await asBeforeIntegrityMap(db);
    expect(await db.state.count()).toBe(0);

    await vault.unlock(passphraseBytes());
    expect(await db.state.get(ROOT_ROW_ID)).toBeDefined();
    expect((await vault.listDocuments(caseId)).map((listed) => listed.id)).toEqual([document.id]);
    expect(await vault.verifyLog()).toMatchObject({ ok: true });

    // From then on it guards the vault like any other.
    await vault.lock();
    await db.records.delete(document.id);
    await vault.unlock(passphraseBytes());
    expect(await codeOf(vault.readDocument(caseId, document.id))).toBe('record-rolled-back');
  });
});

describe('the store', () => {
  async function openStores() {
    const db = new Database(freshName('record-rollback-store'));
    const master = newMasterKey();
    const first = await VaultStore.open(db, expandMasterKey(master.slice()), 'first');
    const second = await VaultStore.open(db, expandMasterKey(master.slice()), 'second');
    return { db, first, second };
  }

  it('another window’s commits are adopted, not reported as rollbacks', async () => {
    const { db, first, second } = await openStores();
    const a = first.sealVaultRecord('draft', randomId(), { name: 'a', data: 1 });
    await first.commit({ put: [a] });
    // The second store's map predates that commit: it reads the row, and writes after it, all the same.
    expect(await second.readVaultRecord('draft', a.id)).toEqual({ name: 'a', data: 1 });
    const b = second.sealVaultRecord('draft', randomId(), { name: 'b', data: 2 });
    await second.commit({ put: [b], delete: [{ table: 'draft', caseId: null, id: a.id }] });
    expect(await first.readVaultRecord('draft', a.id)).toBeUndefined();
    expect(await first.readVaultRecord('draft', b.id)).toEqual({ name: 'b', data: 2 });
    // And a row put back behind both of their backs is still caught by either.
    await db.records.put(a);
    expect(await codeOf(first.readVaultRecord('draft', a.id))).toBe('record-rolled-back');
    expect(await codeOf(second.readVaultRecord('draft', a.id))).toBe('record-rolled-back');
  });

  it('a commit that fails leaves the map as it was', async () => {
    const { db, first } = await openStores();
    const a = first.sealVaultRecord('draft', randomId(), { name: 'a', data: 1 });
    await first.commit({ put: [a] });
    const before = await stateRows(db);
    const b = first.sealVaultRecord('draft', randomId(), { name: 'b', data: 2 });
    // The blob row has no id: its write fails after the records and the map were written, in the same transaction.
    expect(
      await codeOf(first.commit({ put: [b], putBlobs: [{ tag: '', env: new Uint8Array(1) } as BlobRow] })),
    ).not.toBe('no error');
    expect(await stateRows(db)).toEqual(before);
    expect(await first.readVaultRecord('draft', b.id)).toBeUndefined();
    expect(await first.readVaultRecord('draft', a.id)).toEqual({ name: 'a', data: 1 });
  });

  it('an empty vault takes a new map even when one under another key was left (a creation that did not land)', async () => {
    const db = new Database(freshName('record-rollback-store'));
    await VaultStore.open(db, expandMasterKey(newMasterKey()), 'first attempt');
    expect(await db.state.get(ROOT_ROW_ID)).toBeDefined();
    const store = await VaultStore.open(db, expandMasterKey(newMasterKey()), 'second attempt');
    const a = store.sealVaultRecord('draft', randomId(), { name: 'a', data: 1 });
    await store.commit({ put: [a], log: [{ action: 'vault-created', targetKind: 'vault', targetId: 'x' }] });
    expect(await store.readVaultRecord('draft', a.id)).toEqual({ name: 'a', data: 1 });
    expect(await store.verifyLog()).toEqual({ ok: true, count: 1 });
  });

  it('rebuildIntegrityMap accepts rows written outside commit (the re-key’s way)', async () => {
    const { db, first } = await openStores();
    const a = first.sealVaultRecord('draft', randomId(), { name: 'a', data: 1 });
    await db.records.put(a);
    expect(await codeOf(first.readVaultRecord('draft', a.id))).toBe('record-rolled-back');
    await first.rebuildIntegrityMap();
    expect(await first.readVaultRecord('draft', a.id)).toEqual({ name: 'a', data: 1 });
  });
});

describe('the map warmed after unlock', () => {
  async function storeWithDrafts() {
    const db = new Database(freshName('record-rollback-warm'));
    const master = newMasterKey();
    const writer = await VaultStore.open(db, expandMasterKey(master.slice()), 'writer');
    const rows = Array.from({ length: 60 }, (_, at) =>
      writer.sealVaultRecord('draft', randomId(), { name: `draft ${at}`, data: at }),
    );
    await writer.commit({ put: rows });
    // Each later store is a fresh unlock: of the map, only its root is in memory.
    const reopen = () => VaultStore.open(db, expandMasterKey(master.slice()), 'reader');
    return { db, rows, reopen };
  }

  it('opens every bucket ahead of the reads, which then read no bucket', async () => {
    const { db, rows, reopen } = await storeWithDrafts();
    const cold = await reopen();
    const coldReads = vi.spyOn(db.state, 'bulkGet');
    for (const row of rows) expect(await cold.readVaultRecord('draft', row.id)).toBeDefined();
    expect(coldReads).toHaveBeenCalled();
    coldReads.mockRestore();

    const warmed = await reopen();
    await warmed.warmIntegrityMap();
    const warmReads = vi.spyOn(db.state, 'bulkGet');
    for (const [at, row] of rows.entries())
      expect(await warmed.readVaultRecord('draft', row.id)).toEqual({ name: `draft ${at}`, data: at });
    expect(warmReads).not.toHaveBeenCalled();
    warmReads.mockRestore();
  });

  it('takes in no bucket the root does not name: an older row put back with its older bucket is still refused', async () => {
    const { db, rows, reopen } = await storeWithDrafts();
    const [first] = rows;
    const bucketId = bucketOf(first!.id) + 1;
    const olderRow = (await db.records.get(first!.id))!;
    const olderBucket = (await db.state.get(bucketId))!;
    const writer = await reopen();
    await writer.commit({ put: [writer.sealVaultRecord('draft', first!.id, { name: 'draft 0', data: 'edited' })] });
    const store = await reopen();
    // Both put back after the unlock read the root: they open, and agree with each other, but the root names
    // another digest for that bucket. A warm-up that took the bucket in would vouch for the older row.
    await db.records.put(olderRow);
    await db.state.put(olderBucket);
    await store.warmIntegrityMap();
    expect(await codeOf(store.readVaultRecord('draft', first!.id))).toBe('record-rolled-back');
  });

  it('ends quietly at a lock', async () => {
    const { rows, reopen } = await storeWithDrafts();
    const locked = await reopen();
    const warming = locked.warmIntegrityMap();
    locked.wipe();
    await expect(warming).resolves.toBeUndefined();
    expect(await codeOf(locked.readVaultRecord('draft', rows[0]!.id))).toBe('locked');
  });
});

describe('accepting the records as stored', () => {
  it('needs the passphrase, takes what is on disk as current, and says so in the custody log', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const hearing = await vault.saveHearing(caseId, null, koetSarayHearing());
    const draft = await row(db, hearing.id);
    await vault.finaliseHearing(caseId, hearing.id);
    await db.records.put(draft);
    expect(await vault.verifyLog()).toMatchObject(rolledBackVerdict(1));

    expect(await codeOf(vault.acceptRecordsAsStored(new TextEncoder().encode('not the passphrase at all')))).toBe(
      'wrong-secret',
    );
    const { count } = await vault.verifyLog();
    await vault.acceptRecordsAsStored(passphraseBytes());
    // One entry more in the log: the acceptance (vault-wide, so in no case's history).
    expect(await vault.verifyLog()).toEqual({ ok: true, count: count + 1 });
    // The reverted draft is what the vault now holds.
    expect((await vault.listHearings(caseId))[0]).toMatchObject({ id: hearing.id, hearing: { state: 'draft' } });
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
  });
});

describe('a map removed with an older log head put back', () => {
  it('is not trusted again when the vault holds case keys only this version writes', async () => {
    const { db, vault } = await vaultWithCase();
    await vault.lock();
    // The map gone and the head unmarked, as in a copy from before the upgrade; the case keys are of this version.
    await asBeforeIntegrityMap(db, { caseKeysAsText: false });
    await vault.unlock(passphraseBytes());
    expect(await stateRows(db)).toEqual(new Map());
    const { cases, damaged } = await vault.listCases();
    expect(cases).toEqual([]);
    expect(damaged.length).toBeGreaterThan(0);
  });
});
