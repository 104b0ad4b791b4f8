import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, emptyProvenance } from '../../renderer/src/vault/model';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { bytes, codeOf, newVault } from '../support/vault-service';

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function vaultWithCase() {
  const { db, vault } = await newVault('case-deletion-races');
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Case deleted under a write' });
  return { db, vault, caseId };
}

/**
 * The next commit (a write whose rows are already sealed with the case key) waits until `vault` has deleted
 * `caseId` whole, then goes on: the deletion lands between the sealing and the commit.
 */
function deleteCaseBeforeNextCommit(vault: VaultWorkerApi, caseId: string): { raced: () => boolean } {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the store as `this`
  const commit = VaultStore.prototype.commit;
  let armed = true;
  vi.spyOn(VaultStore.prototype, 'commit').mockImplementation(async function (this: VaultStore, change) {
    if (armed) {
      armed = false;
      await vault.deleteCase(caseId);
    }
    return commit.call(this, change);
  });
  return { raced: () => !armed };
}

/** How many blobs and chunks are stored: a refused intake leaves none. */
async function stored(db: VaultDatabase) {
  return { blobs: await db.blobs.count(), chunks: await db.chunks.count() };
}

describe('a write sealed for a case, committed after the case was deleted', () => {
  it('a draft of the case is refused (case-deleted), no row left under the deleted case', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const race = deleteCaseBeforeNextCommit(vault, caseId);
    expect(await codeOf(vault.saveDraft(`case:${caseId}`, { title: 'Zqhalf-typed title' }))).toBe('case-deleted');
    expect(race.raced()).toBe(true);
    vi.restoreAllMocks();
    expect(await vault.listCases()).toEqual({ cases: [], damaged: [] });
    // The records left are vault-wide ones only (log head, list index, …): none owned by a case.
    expect(await db.records.where('owner').notEqual('').count()).toBe(0);
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('an extracted text of a document of the case is refused, nothing left', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const document = await attachNote(vault, caseId);
    const race = deleteCaseBeforeNextCommit(vault, caseId);
    const text = { extractor: 'utf-8' as const, pages: [{ text: 'Zqextracted', hasText: true }] };
    expect(await codeOf(vault.saveDocumentText(caseId, document.id, text))).toBe('case-deleted');
    expect(race.raced()).toBe(true);
    vi.restoreAllMocks();
    expect(await db.records.where('owner').notEqual('').count()).toBe(0);
    expect(await stored(db)).toMatchObject({ blobs: 0, chunks: 0 });
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('an intake of the case is refused, and its staged bytes are removed', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const intakeId = await vault.beginIntake(caseId, 'late.txt', 4);
    await vault.intakeChunk(intakeId, bytes('late'));
    const race = deleteCaseBeforeNextCommit(vault, caseId);
    // The deletion drops the case key from the store's memory once it lands: the intake's log entry cannot be
    // sealed then (not-found); were the key still at hand, the commit itself refuses (case-deleted).
    expect(['case-deleted', 'not-found']).toContain(await codeOf(vault.finishIntake(intakeId, emptyProvenance())));
    expect(race.raced()).toBe(true);
    vi.restoreAllMocks();
    expect(await db.records.where('owner').notEqual('').count()).toBe(0);
    expect(await stored(db)).toMatchObject({ blobs: 0, chunks: 0 });
    expect(await vault.listAllDocuments()).toEqual({ documents: [], damaged: [] });
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('an intake committed with the key still in memory is refused inside the commit (case-deleted)', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const intakeId = await vault.beginIntake(caseId, 'late.txt', 4);
    await vault.intakeChunk(intakeId, bytes('late'));
    // As if the deletion's last step (dropping the key from memory) had not run yet when the commit starts.
    vi.spyOn(VaultStore.prototype, 'forgetCaseKey').mockImplementation(() => undefined);
    const race = deleteCaseBeforeNextCommit(vault, caseId);
    expect(await codeOf(vault.finishIntake(intakeId, emptyProvenance()))).toBe('case-deleted');
    expect(race.raced()).toBe(true);
    vi.restoreAllMocks();
    expect(await db.records.where('owner').notEqual('').count()).toBe(0);
    expect(await stored(db)).toMatchObject({ blobs: 0, chunks: 0 });
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('a case key put in the same commit counts: creating a case, then writing to it, is not refused', async () => {
    const { db, vault } = await newVault('case-deletion-races');
    // createCase puts the key row and the case row together: the key is pending in the same transaction.
    const created = await vault.createCase({ ...emptyCaseFields(), title: 'Fresh case' });
    await vault.saveDraft(`case:${created.id}`, { title: 'still typing' });
    expect(await vault.loadDraft(`case:${created.id}`)).toEqual({ title: 'still typing' });
    expect(await db.records.where('owner').notEqual('').count()).toBe(2);
  });
});

async function attachNote(vault: VaultWorkerApi, caseId: string) {
  const intakeId = await vault.beginIntake(caseId, 'note.txt', 5);
  await vault.intakeChunk(intakeId, bytes('notes'));
  return vault.finishIntake(intakeId, emptyProvenance());
}
