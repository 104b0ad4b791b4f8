import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyHearingFields } from '../../renderer/src/vault/hearing-model';
import { emptyCaseFields, type CaseFields, type CaseRecord } from '../../renderer/src/vault/model';
import { newAccused } from '../../renderer/src/observations/hearing-form';
import { readIdentityKeyFile } from '../../renderer/src/vault/worker/bundle';
import type { CustodySegment } from '../../renderer/src/vault/worker/bundle/custody-segment';
import { withholdSensitive } from '../../renderer/src/vault/worker/bundle-service/withholding';
import { readBundle } from '../unit/bundle/bundle-helpers';
import {
  attach,
  bytes,
  exportAll,
  fixture,
  importAll,
  newVault as newVaultIn,
  PASSPHRASE,
} from '../support/vault-service';

const KEY_FILE_PASSPHRASE = 'copper heron 58 willow estuary';
const NAME = 'Zqwitness Sok Dara';
const NOTES = 'Zqnotes lives behind the Kandal market';
const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');

const newVault = (name: string) => newVaultIn('bundle-withholding', name);

const fieldsOf = ({ id: _id, archived: _a, createdAt: _c, updatedAt: _u, ...fields }: CaseRecord): CaseFields => fields;

beforeAll(async () => {
  await sodium.ready;
});

/** A monitor whose case names a sensitive witness (and a judge, not sensitive), and a coordinator. */
async function setUp() {
  const a = await newVault('Monitor A');
  const b = await newVault('Coordinator B');
  const contactOfB = await a.vault.addContact(await b.vault.identityCard());
  const contactOfA = await b.vault.addContact(await a.vault.identityCard());
  const record = await a.vault.createCase({
    ...emptyCaseFields(),
    title: 'Case of the market land dispute',
    people: [
      { id: 'p-witness', name: NAME, role: 'witness', sensitive: true, notes: NOTES },
      { id: 'p-judge', name: 'Judge Chhun Sothy', role: 'judge', sensitive: false, notes: 'Presiding' },
    ],
  });
  await attach(a.vault, record.id, 'letter.txt', LETTER);
  const request = (sendSensitive?: string[]) => ({
    cases: [
      {
        caseId: record.id,
        documentIds: 'all' as const,
        annotations: true,
        hearings: true,
        timeline: true,
        ...(sendSensitive ? { sendSensitive } : {}),
      },
    ],
    recipients: [contactOfB.id],
    includeSelf: false,
    includeCustodyLog: true,
  });
  return { a, b, record, request, contactOfA };
}

/** Imports `bundle` into `vault`, taking everything (no conflicts expected). */
async function take(vault: VaultWorkerApi, bundle: Uint8Array) {
  const { importId, preview } = await importAll(vault, bundle);
  const result = await vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });
  return { preview, result };
}

const has = (haystack: Uint8Array, needle: string) => Buffer.from(haystack).includes(Buffer.from(needle));

const caseStatus = (preview: { items: { type: string; status: string }[] }) =>
  preview.items.find((item) => item.type === 'case')?.status;

/** The bundle's items as `vault` (a recipient) reads them, by item id, parsed. */
async function openAs(vault: VaultWorkerApi, bundle: Uint8Array): Promise<Map<string, unknown>> {
  const keys = await readIdentityKeyFile(
    await vault.identityKeyFile(bytes(PASSPHRASE), bytes(KEY_FILE_PASSPHRASE)),
    bytes(KEY_FILE_PASSPHRASE),
  );
  const { manifest, items } = readBundle(keys, bundle);
  return new Map(
    manifest.items
      .map((item, index) => [item.id, items[index]!] as const)
      .filter(([id]) => !id.startsWith('document-bytes:'))
      .map(([id, item]) => [id, JSON.parse(new TextDecoder().decode(item)) as unknown]),
  );
}

describe('sensitive people withheld from a bundle', () => {
  it('are named to the sender, withheld by default, and absent from the bundle bytes, decrypted or not', async () => {
    const { a, b, record, request } = await setUp();
    const estimate = await a.vault.estimateBundleExport(request());
    expect(estimate.contents.cases).toEqual([
      expect.objectContaining({
        title: 'Case of the market land dispute',
        documents: [expect.objectContaining({ name: 'letter.txt', size: LETTER.byteLength, annotations: 0 })],
        sensitive: [
          {
            id: 'p-witness',
            name: NAME,
            role: 'witness',
            fields: ['name', 'notes'],
            withheld: true,
            placeholder: false,
            namedIn: [],
          },
        ],
      }),
    ]);
    expect((await a.vault.estimateBundleExport(request(['p-witness']))).contents.cases[0]!.sensitive[0]!.withheld).toBe(
      false,
    );

    const bundle = await exportAll(a.vault, request());
    expect(has(bundle, 'Zqwitness')).toBe(false);
    expect(has(bundle, 'Zqnotes')).toBe(false);

    // Decrypted as the recipient: the case carries a placeholder, and nothing anywhere names the witness.
    const keys = await readIdentityKeyFile(
      await b.vault.identityKeyFile(bytes(PASSPHRASE), bytes(KEY_FILE_PASSPHRASE)),
      bytes(KEY_FILE_PASSPHRASE),
    );
    const { manifest, items } = readBundle(keys, bundle);
    for (const item of items) {
      expect(has(item, 'Zqwitness')).toBe(false);
      expect(has(item, 'Zqnotes')).toBe(false);
      expect(has(item, 'Sok Dara')).toBe(false);
    }
    const caseItem = items[manifest.items.findIndex((item) => item.id === `case:${record.id}`)]!;
    const travelled = JSON.parse(new TextDecoder().decode(caseItem)) as CaseRecord;
    expect(travelled.people).toEqual([
      { id: 'p-witness', name: 'Witness (withheld)', role: 'witness', sensitive: true, notes: '', withheld: true },
      { id: 'p-judge', name: 'Judge Chhun Sothy', role: 'judge', sensitive: false, notes: 'Presiding' },
    ]);

    // A receiver that never had the witness keeps the placeholder, marked.
    await take(b.vault, bundle);
    expect((await b.vault.getCase(record.id)).people[0]).toEqual(travelled.people[0]);

    // Sent on purpose, the name and notes travel.
    const full = await exportAll(a.vault, request(['p-witness']));
    const { items: fullItems } = readBundle(keys, full);
    expect(fullItems.some((item) => has(item, NAME))).toBe(true);
    // ...and replace the placeholder the receiver holds, as an update from the same signer.
    const { preview } = await take(b.vault, full);
    expect(preview.items.find((item) => item.type === 'case')?.status).toBe('update');
    expect((await b.vault.getCase(record.id)).people[0]).toEqual({
      id: 'p-witness',
      name: NAME,
      role: 'witness',
      sensitive: true,
      notes: NOTES,
    });
  });

  it('never lets a withheld copy overwrite the full person the receiver holds', async () => {
    const { a, b, record, request } = await setUp();
    // The coordinator first receives the case in full.
    await take(b.vault, await exportAll(a.vault, request(['p-witness'])));
    expect((await b.vault.getCase(record.id)).people[0]).toMatchObject({ name: NAME, notes: NOTES });

    // The same case, withheld and otherwise unchanged: nothing to import.
    const withheld = await exportAll(a.vault, request());
    const again = await importAll(b.vault, withheld);
    expect(again.preview.items.find((item) => item.type === 'case')?.status).toBe('same');
    await b.vault.cancelBundleImport(again.importId);

    // The monitor edits the case and sends it withheld: the edit comes, the witness stays whole.
    await a.vault.updateCase(record.id, { ...fieldsOf(record), summary: 'Appeal lodged in August' });
    const { preview } = await take(b.vault, await exportAll(a.vault, request()));
    expect(preview.items.find((item) => item.type === 'case')?.status).toBe('update');
    const kept = await b.vault.getCase(record.id);
    expect(kept.summary).toBe('Appeal lodged in August');
    expect(kept.people).toEqual([
      { id: 'p-witness', name: NAME, role: 'witness', sensitive: true, notes: NOTES },
      { id: 'p-judge', name: 'Judge Chhun Sothy', role: 'judge', sensitive: false, notes: 'Presiding' },
    ]);

    // The same withheld bundle again, and a later one: still nothing to change about the witness.
    const later = await importAll(b.vault, await exportAll(a.vault, request()));
    expect(later.preview.items.find((item) => item.type === 'case')?.status).toBe('same');
    await b.vault.cancelBundleImport(later.importId);
    expect((await b.vault.verifyLog()).ok).toBe(true);
  });

  it('drops the withheld mark once a real name is written over the placeholder, and never sends it on', async () => {
    const { a, b, record, request } = await setUp();
    await take(b.vault, await exportAll(a.vault, request()));
    const held = await b.vault.getCase(record.id);
    expect(held.people[0]).toMatchObject({ name: 'Witness (withheld)', withheld: true });

    // An edit elsewhere keeps the placeholder marked.
    const edited = await b.vault.updateCase(record.id, { ...fieldsOf(held), summary: 'Noted' });
    expect(edited.people[0]!.withheld).toBe(true);
    // The coordinator learns the witness's name and types it in: no longer withheld.
    const named = await b.vault.updateCase(record.id, {
      ...fieldsOf(held),
      people: held.people.map((person) => (person.id === 'p-witness' ? { ...person, name: 'Sok Dara' } : person)),
    });
    expect(named.people[0]).toEqual({ id: 'p-witness', name: 'Sok Dara', role: 'witness', sensitive: true, notes: '' });
    // Notes alone end it too, and a new case never keeps a mark on a real name.
    const created = await b.vault.createCase({
      ...emptyCaseFields(),
      title: 'Copied case',
      people: [
        { id: 'p1', name: 'Witness (withheld)', role: 'witness', sensitive: true, notes: 'Met in May', withheld: true },
        { id: 'p2', name: 'Witness (withheld)', role: 'witness', sensitive: true, notes: '', withheld: true },
      ],
    });
    expect(created.people.map((person) => person.withheld)).toEqual([undefined, true]);

    // Sent in full, a person with a stale mark goes without it; a placeholder keeps it.
    const stale: CaseRecord = {
      ...held,
      people: [
        { id: 'p-x', name: 'Real Name', role: 'victim', sensitive: true, notes: '', withheld: true },
        { id: 'p-y', name: 'Victim (withheld)', role: 'victim', sensitive: true, notes: '', withheld: true },
      ],
    };
    expect(withholdSensitive(stale, ['p-x', 'p-y']).people.map((person) => person.withheld)).toEqual([undefined, true]);
  });

  it('takes a full copy that follows a withheld one as an update', async () => {
    const { a, b, record, request } = await setUp();
    await take(b.vault, await exportAll(a.vault, request(['p-witness'])));
    // Withheld, unchanged: same (nothing is written).
    const withheld = await importAll(b.vault, await exportAll(a.vault, request()));
    expect(caseStatus(withheld.preview)).toBe('same');
    await b.vault.commitBundleImport(withheld.importId, { resolutions: {}, acceptUnknownSigner: true });
    // Full again, with an edit: an update, not a conflict.
    await a.vault.updateCase(record.id, { ...fieldsOf(record), summary: 'Verdict expected in May' });
    const { preview } = await take(b.vault, await exportAll(a.vault, request(['p-witness'])));
    expect(caseStatus(preview)).toBe('update');
    expect(preview.items.find((item) => item.type === 'case')?.currentFrom?.name).toBe('Monitor A');
    expect((await b.vault.getCase(record.id)).summary).toBe('Verdict expected in May');

    // Withheld with an edit (taken: the receipt now holds the withheld copy's hash), then full with an edit: an
    // update, the stored copy recognised in the form the last copy had.
    await a.vault.updateCase(record.id, { ...fieldsOf(record), summary: 'Verdict delayed' });
    expect(caseStatus((await take(b.vault, await exportAll(a.vault, request()))).preview)).toBe('update');
    await a.vault.updateCase(record.id, { ...fieldsOf(record), summary: 'Verdict delivered' });
    expect(caseStatus((await take(b.vault, await exportAll(a.vault, request(['p-witness'])))).preview)).toBe('update');
    expect(await b.vault.getCase(record.id)).toMatchObject({ summary: 'Verdict delivered' });
    expect((await b.vault.getCase(record.id)).people[0]).toMatchObject({ name: NAME, notes: NOTES });
  });

  it('leaves no custody entry with a hash of a whole copy of a case that withholds someone', async () => {
    const { a, b, record, request, contactOfA } = await setUp();
    // The coordinator takes the case in full: its log holds 'imported' entries with the full copy's hash.
    await take(b.vault, await exportAll(a.vault, request(['p-witness'])));

    // ...and sends it back to the monitor, witness withheld.
    const back = await exportAll(b.vault, {
      ...request(),
      recipients: [contactOfA.id],
    });
    const segment = (await openAs(a.vault, back)).get('custody-log:sender') as CustodySegment;
    const whole = segment.entries.filter((entry) => !('redacted' in entry));
    expect(whole.length).toBeGreaterThan(0);
    expect(
      whole.filter(
        (entry) =>
          'caseId' in entry &&
          entry.caseId === record.id &&
          entry.targetKind === 'case' &&
          (entry.contentHashes?.length ?? 0) > 0,
      ),
    ).toEqual([]);
    // Reduced, not dropped: the chain still checks.
    expect(segment.entries.some((entry) => 'redacted' in entry)).toBe(true);

    // Sent in full, the same entries stay whole (so the check above had something to find).
    const open = await exportAll(b.vault, { ...request(['p-witness']), recipients: [contactOfA.id] });
    const kept = (await openAs(a.vault, open)).get('custody-log:sender') as CustodySegment;
    expect(
      kept.entries.some(
        (entry) =>
          !('redacted' in entry) &&
          entry.caseId === record.id &&
          entry.targetKind === 'case' &&
          (entry.contentHashes?.length ?? 0) > 0,
      ),
    ).toBe(true);
  });
});

describe('sensitive hearing defendants and names elsewhere', () => {
  const DEFENDANT = 'Zqaccused Chea Vanna';

  async function withHearing() {
    const setup = await setUp();
    const { a, record } = setup;
    const fields = emptyHearingFields('2025-03-14');
    fields.accused = [
      {
        ...newAccused('acc-1'),
        name: DEFENDANT,
        sensitive: true,
        affiliations: ['Zqunion of market vendors'],
        counsel: { ...newAccused('x').counsel, notes: 'Zqcounsel met family' },
      },
      { ...newAccused('acc-2'), name: 'Open Defendant', sensitive: false },
    ];
    const hearing = await a.vault.saveHearing(record.id, null, fields);
    return { ...setup, hearing, fields };
  }

  it('withholds sensitive defendants like case people, lists them and keeps the receiver’s names', async () => {
    const { a, b, record, request, hearing, fields, contactOfA } = await withHearing();
    const estimate = await a.vault.estimateBundleExport(request());
    expect(estimate.contents.cases[0]!.sensitive).toContainEqual(
      expect.objectContaining({
        id: 'acc-1',
        name: DEFENDANT,
        role: 'accused',
        withheld: true,
        hearings: ['2025-03-14'],
      }),
    );
    const bundle = await exportAll(a.vault, request());
    expect(has(bundle, 'Zqaccused')).toBe(false);
    const items = await openAs(b.vault, bundle);
    for (const value of items.values()) {
      const text = JSON.stringify(value);
      expect(text).not.toContain('Zqaccused');
      expect(text).not.toContain('Zqunion');
      expect(text).not.toContain('Zqcounsel');
    }
    const travelled = items.get(`hearing:${hearing.id}`) as typeof hearing;
    expect(travelled.hearing.value.accused[0]).toMatchObject({
      id: 'acc-1',
      name: 'Accused (withheld)',
      affiliations: [],
      withheld: true,
    });
    expect(travelled.hearing.value.accused[1]).toMatchObject({ name: 'Open Defendant' });
    expect(travelled.hearing.value.accused[1]).not.toHaveProperty('withheld');

    // Sent in full on purpose.
    const full = await exportAll(a.vault, request(['acc-1']));
    expect(JSON.stringify((await openAs(b.vault, full)).get(`hearing:${hearing.id}`))).toContain(DEFENDANT);

    // The receiver takes it in full, then a withheld copy: same; an edited withheld copy: update, names kept.
    await take(b.vault, full);
    const again = await importAll(b.vault, bundle);
    expect(again.preview.items.find((item) => item.type === 'hearing')?.status).toBe('same');
    await b.vault.commitBundleImport(again.importId, { resolutions: {}, acceptUnknownSigner: true });
    await a.vault.saveHearing(record.id, hearing.id, { ...fields, court: 'Kandal Provincial Court' });
    const { preview } = await take(b.vault, await exportAll(a.vault, request()));
    expect(preview.items.find((item) => item.type === 'hearing')?.status).toBe('update');
    const [kept] = await b.vault.listHearings(record.id);
    expect(kept!.hearing.value.court).toBe('Kandal Provincial Court');
    expect(kept!.hearing.value.accused[0]).toMatchObject({
      name: DEFENDANT,
      affiliations: ['Zqunion of market vendors'],
    });
    expect(kept!.hearing.value.accused[0]!.counsel.notes).toBe('Zqcounsel met family');
    expect(kept!.hearing.value.accused[0]).not.toHaveProperty('withheld');
    // Full again after the withheld copy, edited: an update.
    await a.vault.saveHearing(record.id, hearing.id, { ...fields, court: 'Appeal Court' });
    const last = await take(b.vault, await exportAll(a.vault, request(['acc-1'])));
    expect(last.preview.items.find((item) => item.type === 'hearing')?.status).toBe('update');

    // Sent on by the coordinator with the accused withheld: no custody entry with a hash of a whole copy of the
    // hearing (its imports) stays in full.
    const hashed = (segment: CustodySegment) =>
      segment.entries.filter(
        (entry) =>
          !('redacted' in entry) &&
          entry.targetKind === 'hearing' &&
          entry.targetId === hearing.id &&
          (entry.contentHashes?.length ?? 0) > 0,
      );
    const onward = { ...request(), recipients: [contactOfA.id] };
    const withheldLog = (await openAs(a.vault, await exportAll(b.vault, onward))).get('custody-log:sender');
    expect(hashed(withheldLog as CustodySegment)).toEqual([]);
    const fullLog = (
      await openAs(
        a.vault,
        await exportAll(b.vault, { ...onward, ...request(['acc-1', 'p-witness']), recipients: [contactOfA.id] }),
      )
    ).get('custody-log:sender');
    expect(hashed(fullLog as CustodySegment).length).toBeGreaterThan(0);
  });

  it('tells the sender which outgoing items still name a withheld person', async () => {
    const { a, record, request, hearing } = await withHearing();
    await a.vault.saveTimelineEvent(record.id, null, {
      kind: 'arrest',
      date: '2025-02-01',
      person: NAME,
      description: 'Taken from the market',
      sources: [],
    });
    await a.vault.saveTimelineEvent(record.id, null, {
      kind: 'arrest',
      date: '2025-02-02',
      person: '',
      description: `Questioned about ${DEFENDANT.toUpperCase()}`,
      sources: [],
    });
    const estimate = await a.vault.estimateBundleExport(request());
    const sensitive = estimate.contents.cases[0]!.sensitive;
    const witness = sensitive.find((person) => person.id === 'p-witness')!;
    expect(witness.namedIn).toEqual([expect.objectContaining({ type: 'timeline-event', label: '2025-02-01' })]);
    const defendant = sensitive.find((person) => person.id === 'acc-1')!;
    expect(defendant.namedIn).toEqual([expect.objectContaining({ type: 'timeline-event', label: '2025-02-02' })]);
    // The hearing itself does not name its withheld defendant; sent in full, nobody is reported.
    expect(defendant.namedIn.some((item) => item.id === hearing.id)).toBe(false);
    const open = await a.vault.estimateBundleExport(request(['p-witness', 'acc-1']));
    expect(open.contents.cases[0]!.sensitive.every((person) => person.namedIn.length === 0)).toBe(true);
  });
});
