import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields, type HearingFields } from '../../renderer/src/vault';
import { koetSarayHearing } from '../fixtures/hearings';
import { listIndexRowIds, newVault, passphraseBytes } from '../support/vault-service';

async function vaultWithCase() {
  const { db, vault } = await newVault('hearings');
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray' });
  return { db, vault, caseId };
}

beforeAll(async () => {
  await sodium.ready;
});

describe('hearings in the vault', () => {
  it('creates, edits as a draft, finalises, and versions an edit made after finalising', async () => {
    const { vault, caseId } = await vaultWithCase();
    const created = await vault.saveHearing(caseId, null, koetSarayHearing());
    expect(created.hearing).toMatchObject({ state: 'draft', version: 1, history: [] });

    const edited = await vault.saveHearing(caseId, created.id, { ...koetSarayHearing(), actualEnd: '12:00' });
    expect(edited.hearing).toMatchObject({ state: 'draft', version: 1 });
    const final = await vault.finaliseHearing(caseId, created.id);
    expect(final.hearing.state).toBe('final');
    await expect(vault.finaliseHearing(caseId, created.id)).rejects.toMatchObject({ code: 'invalid-input' });

    await vault.lock();
    await vault.unlock(passphraseBytes());
    const corrected = await vault.saveHearing(caseId, created.id, { ...koetSarayHearing(), actualEnd: '12:05' });
    expect(corrected.hearing).toMatchObject({ state: 'draft', version: 2 });
    expect(corrected.hearing.history.map((entry) => [entry.version, entry.value.actualEnd])).toEqual([[1, '12:00']]);
    const [listed] = await vault.listHearings(caseId);
    expect(listed).toEqual(corrected);
    expect(listed?.hearing.value.accused[0]?.verdicts[0]).toMatchObject({
      prisonMonths: 48,
      fine: { amount: 2_000_000, currency: 'KHR' },
    });

    const actions = (await vault.caseHistory(caseId))
      .filter((entry) => entry.targetKind === 'hearing')
      .map((entry) => entry.action);
    expect(actions).toEqual(['created', 'edited', 'finalised', 'edited']);
  });

  it('refuses invalid records and changes nothing', async () => {
    const { vault, caseId } = await vaultWithCase();
    for (const bad of [
      { ...koetSarayHearing(), date: 'July 2025' },
      { ...koetSarayHearing(), actualStart: '25:00' },
      {
        ...koetSarayHearing(),
        indicators: [{ indicator: 'fairness', accusedId: null, answer: 'respected', note: '', evidence: [] }],
      },
    ])
      await expect(vault.saveHearing(caseId, null, bad as HearingFields)).rejects.toMatchObject({
        code: 'invalid-input',
      });
    expect(await vault.listHearings(caseId)).toEqual([]);
  });

  it('keeps a hearing draft with its case (sealed with the case key, gone with the case)', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    await vault.saveDraft(`case:${caseId}/hearing:new`, { court: 'typed before the lock' });
    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.loadDraft(`case:${caseId}/hearing:new`)).toEqual({ court: 'typed before the lock' });
    await vault.saveHearing(caseId, null, koetSarayHearing());
    const dump = JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())), (_key, value: unknown) =>
      value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : value,
    );
    for (const marker of ['Zqcourt', 'Zqaccused', 'Zqnote', 'Zqsummary', 'typed before the lock'])
      expect(dump).not.toContain(marker);
    await vault.deleteCase(caseId);
    await vault.createCase({ ...emptyCaseFields(), title: 'Other' });
    expect(await vault.loadDraft(`case:${caseId}/hearing:new`)).toBeUndefined();
  });
});

describe('hearings across the vault', () => {
  it('lists every hearing of every case, and reports one moved under another id as damaged when it reads the records', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const { id: otherCase } = await vault.createCase({ ...emptyCaseFields(), title: 'Other' });
    const first = await vault.saveHearing(caseId, null, koetSarayHearing());
    const second = await vault.saveHearing(otherCase, null, { ...koetSarayHearing(), date: '2025-08' });
    expect((await vault.listAllHearings()).hearings.map((hearing) => hearing.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );

    // Re-label the second hearing's row as the first one: same case key, wrong id inside.
    const rows = await db.records.toArray();
    const moved = rows.find((row) => row.id === second.id)!;
    await db.records.put({ ...moved, id: first.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')) });
    // The list shows what the vault last wrote (its sealed index); the stray row is no hearing it wrote.
    expect(await vault.listAllHearings()).toMatchObject({ damaged: [] });
    expect(await vault.verifyLog()).toMatchObject({ ok: false, reason: 'record-rolled-back' });
    // Without the index (never built, dropped by a re-key, or removed as here), every record is read: the stray
    // row is reported.
    await db.records.bulkDelete(await listIndexRowIds(db));
    const { hearings, damaged } = await vault.listAllHearings();
    expect(hearings.map((hearing) => hearing.id).sort()).toEqual([first.id, second.id].sort());
    expect(damaged).toHaveLength(1);
  });
});

describe('case timeline events', () => {
  it('creates, edits and deletes events, each with its custody-log entry, sealed like the case', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const arrest = await vault.saveTimelineEvent(caseId, null, {
      kind: 'arrest',
      date: '2025-03',
      person: 'Zqperson Koet Saray',
      description: 'Zqevent arrested at home',
      sources: [],
    });
    const hearing = await vault.saveHearing(caseId, null, koetSarayHearing());
    const edited = await vault.saveTimelineEvent(caseId, arrest.id, {
      ...arrest,
      date: '2025-03-14',
      sources: [{ kind: 'hearing', id: hearing.id }],
    });
    expect(edited).toMatchObject({ id: arrest.id, date: '2025-03-14', createdAt: arrest.createdAt });
    expect(await vault.listTimelineEvents(caseId)).toEqual([edited]);

    await expect(vault.saveTimelineEvent(caseId, null, { ...arrest, date: 'March 2025' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(vault.saveTimelineEvent(caseId, '0'.repeat(32), arrest)).rejects.toMatchObject({
      code: 'not-found',
    });

    const dump = JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())), (_key, value: unknown) =>
      value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : value,
    );
    for (const marker of ['Zqperson', 'Zqevent']) expect(dump).not.toContain(marker);

    await vault.deleteTimelineEvent(caseId, arrest.id);
    expect(await vault.listTimelineEvents(caseId)).toEqual([]);
    const actions = (await vault.caseHistory(caseId))
      .filter((entry) => entry.targetKind === 'event')
      .map((entry) => entry.action);
    expect(actions).toEqual(['created', 'edited', 'deleted']);
  });

  it('gives the seeded provision vocabulary to settings stored before it existed', async () => {
    const { vault } = await vaultWithCase();
    const settings = await vault.getSettings();
    expect(settings.provisions.map((provision) => provision.article)).toEqual([
      '29',
      '88',
      '437bis',
      '443',
      '453',
      '494',
      '495',
      '496',
      '548',
    ]);
    const saved = await vault.updateSettings({
      ...settings,
      provisions: [...settings.provisions, { ...settings.provisions[0]!, id: 'local-1', article: '522' }],
    });
    expect(saved.provisions.at(-1)).toMatchObject({ article: '522' });
  });
});
