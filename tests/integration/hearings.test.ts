import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields, type HearingFields } from '../../renderer/src/vault';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService } from '../../renderer/src/vault/worker/vault-service';

const PASSPHRASE = new TextEncoder().encode('orchid lantern 47 granite meadow');
const FAST_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

let counter = 0;
async function vaultWithCase() {
  const db = new VaultDatabase(`hearings-${++counter}`);
  const vault = createVaultService(db, { kdf: FAST_KDF, health: runSelfTest });
  await vault.createVault(PASSPHRASE.slice());
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray' });
  return { db, vault, caseId };
}

/** A hearing modelled on the Koet Saray case (arts. 494/495; lawyer absent at the start). */
function koetSarayHearing(): HearingFields {
  return {
    date: '2025-07-17',
    scheduledStart: '08:30',
    actualStart: '09:10',
    actualEnd: '11:45',
    stage: 'verdict',
    court: 'Zqcourt Phnom Penh Municipal Court',
    chamber: '',
    languages: ['Khmer'],
    held: true,
    adjournment: null,
    observers: [{ id: 'o1', pseudonym: 'Monitor A', access: 'permitted', notesAllowed: 'yes', notes: '' }],
    accused: [
      {
        id: 'a1',
        name: 'Zqaccused Koet Saray',
        sensitive: false,
        sex: 'male',
        age: null,
        juvenile: false,
        affiliations: ['defender'],
        custody: 'detained',
        presence: 'in-person',
        counsel: {
          present: 'partly',
          kind: 'chosen',
          consultedPrivately: 'no',
          notes: 'Zqnote lawyer absent at the start',
        },
        charges: [
          {
            id: 'c1',
            provision: 'Criminal Code art. 495',
            offence: 'incitement to disturb social security',
            allegedFacts: 'Facebook posts',
            allegedDates: '2025-03',
            maxPenalty: '2 years',
            requalified: false,
            concernsFreedoms: ['expression'],
          },
        ],
        verdicts: [
          {
            chargeId: 'c1',
            outcome: 'convicted',
            prisonMonths: 48,
            suspendedMonths: 0,
            fine: { amount: 2_000_000, currency: 'KHR' },
            otherPenalties: '',
            timeServedDays: null,
            pronouncedPublicly: 'yes',
            writtenJudgmentObtained: 'no',
            appealLodged: 'unknown',
            appealDeadline: '',
          },
        ],
      },
    ],
    participants: {
      judges: '1',
      prosecutors: '1',
      civilParties: '',
      witnesses: '',
      interpreter: { needed: 'no', provided: 'no', forWhom: '' },
      publicPresent: 'yes',
      mediaPresent: 'no',
      diplomatsPresent: 'yes',
      securityVisible: 'yes',
    },
    indicators: [
      {
        indicator: 'presence-and-counsel',
        accusedId: 'a1',
        answer: 'not-respected',
        note: 'Counsel arrived after the hearing opened',
        evidence: [],
      },
      { indicator: 'public-hearing', accusedId: null, answer: 'respected', note: '', evidence: [] },
      {
        indicator: 'legality',
        accusedId: 'a1',
        answer: 'concern',
        note: '"Disturbing social security" is vague',
        evidence: [],
      },
    ],
    monitorSummary: 'Zqsummary concerns about counsel and legality',
  };
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
    await vault.unlock(PASSPHRASE.slice());
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
    await vault.unlock(PASSPHRASE.slice());
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
