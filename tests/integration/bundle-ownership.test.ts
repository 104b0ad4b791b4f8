/**
 * Issue 15 §1: a signed bundle, even from a verified contact, writes only
 * into the cases it carries and owns. Each attack is a bundle the honest
 * writer would never make, signed by a verified contact with ids taken from
 * the victim's own vault; each is refused with its typed reason and the
 * victim's raw IndexedDB is byte-for-byte unchanged.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations';
import type { BundleImportPreview } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { BUNDLE_ITEM_TYPES, type ManifestItem } from '../../renderer/src/vault/worker/bundle';
import { recordKindOfBundleItem } from '../../renderer/src/vault/worker/record-kinds';
import { makeIdentityCard } from '../../renderer/src/vault/worker/bundle/identity-files';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore, type VaultChange } from '../../renderer/src/vault/worker/vault-store';
import { LIST_KEYS_FROM } from '../../renderer/src/vault/worker/storage/stored-rows';
import { expandMasterKey, newMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { koetSarayHearing } from '../fixtures/hearings';
import { party, sha256, writeBundleItems, type Party } from '../unit/bundle/bundle-helpers';
import { attach, bytes, exportAll, fixture, freshName, importAll, newVault } from '../support/vault-service';

const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');
const hex32 = () => sodium.to_hex(sodium.randombytes_buf(16));

async function rawRows(db: VaultDatabase): Promise<string> {
  const tables = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify(tables, (_key, value: unknown) => (value instanceof Uint8Array ? sodium.to_hex(value) : value));
}

/** Every row as it is stored, by table and id: what an import must never change. */
async function rowsById(db: VaultDatabase): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const table of db.tables)
    for (const row of (await table.toArray()) as { id: string }[])
      rows.set(
        `${table.name}/${row.id}`,
        JSON.stringify(row, (_key, value: unknown) => (value instanceof Uint8Array ? sodium.to_hex(value) : value)),
      );
  return rows;
}

interface Record {
  type: 'case' | 'document' | 'document-text' | 'annotation' | 'hearing' | 'timeline-event';
  value: { [key: string]: unknown };
}

/** A bundle the sender signs with whatever records it likes (the honest writer only sends what it holds);
 * `documentBytes` are the contents of documents it carries, by document id. */
function recordBundle(
  sender: Party,
  recipientBoxKey: Uint8Array,
  records: readonly Record[],
  documentBytes: { [documentId: string]: Uint8Array } = {},
): Uint8Array {
  const contents = [...records.map((record) => bytes(JSON.stringify(record.value))), ...Object.values(documentBytes)];
  const items: ManifestItem[] = [
    ...records.map((record) => ({
      id: `${record.type}:${String(record.type === 'document-text' ? record.value.documentId : record.value.id)}`,
      type: record.type,
    })),
    ...Object.keys(documentBytes).map((id) => ({ id: `document-bytes:${id}`, type: 'document-bytes' as const })),
  ].map((item, at) => ({ ...item, size: contents[at]!.byteLength, sha256: sha256(contents[at]!) }));
  return writeBundleItems({ sender, recipients: [recipientBoxKey], items, bundleId: hex32() }, contents);
}

/**
 * The victim: a coordinator's vault with a case of its own (a document with
 * its text, an annotation, a signed-off hearing, a timeline event), and
 * Mallory, a verified contact who can sign bundles to it.
 */
async function victim() {
  const { db, vault } = await newVault('ownership', 'Coordinator');
  const mallory = party('Mallory');
  const contact = await vault.addContact(JSON.stringify(makeIdentityCard(mallory.name, mallory)));
  await vault.updateContact(contact.id, { verified: true });
  const { encryptionKey } = JSON.parse(await vault.identityCard()) as { encryptionKey: string };
  const boxKey = sodium.from_hex(encryptionKey);

  const own = await vault.createCase({ ...emptyCaseFields(), title: 'Own case' });
  const document = await attach(vault, own.id, 'letter.txt', LETTER);
  const page = new TextDecoder().decode(LETTER);
  await vault.saveDocumentText(own.id, document.id, { extractor: 'utf-8', pages: [{ text: page, hasText: true }] });
  const at = page.indexOf('four (4) years');
  const annotation = await vault.createAnnotation(own.id, {
    documentId: document.id,
    color: 'yellow',
    note: 'mine',
    tags: [],
    link: null,
    target: { kind: 'text', extractor: 'utf-8', segments: [{ ...describeSegment(page, 0, at, at + 14), rects: [] }] },
  });
  const hearing = await vault.saveHearing(own.id, null, koetSarayHearing());
  const signedOff = await vault.finaliseHearing(own.id, hearing.id);
  const event = await vault.saveTimelineEvent(own.id, null, {
    kind: 'arrest',
    date: '2024-03',
    person: 'Koet Saray',
    description: '',
    sources: [],
  });
  return { db, vault, mallory, boxKey, own, document, annotation, hearing: signedOff, event };
}

/** A case record for a case Mallory claims to carry. */
function caseRecord(id: string, title = 'Mallory case') {
  const now = Date.now();
  return { ...emptyCaseFields(), title, id, archived: false, createdAt: now, updatedAt: now };
}

async function expectRefused(
  world: Awaited<ReturnType<typeof victim>>,
  records: readonly Record[],
  refusals: { [itemId: string]: string },
  documentBytes: { [documentId: string]: Uint8Array } = {},
): Promise<BundleImportPreview> {
  const before = await rawRows(world.db);
  const { importId, preview } = await importAll(
    world.vault,
    recordBundle(world.mallory, world.boxKey, records, documentBytes),
  );
  expect(preview.signer.status).toBe('verified');
  const refused = Object.fromEntries(
    preview.items.filter((item) => item.status === 'refused').map((item) => [item.id, item.refusal]),
  );
  expect(refused).toEqual(refusals);
  const conflicts = Object.fromEntries(
    preview.items.filter((item) => item.status === 'conflict').map((item) => [item.id, 'theirs' as const]),
  );
  await expect(
    world.vault.commitBundleImport(importId, { resolutions: conflicts, acceptUnknownSigner: true }),
  ).rejects.toMatchObject({ code: 'bundle-refused', detail: 'overreaches' });
  await world.vault.cancelBundleImport(importId);
  expect(await rawRows(world.db)).toBe(before);
  return preview;
}

beforeAll(async () => {
  await sodium.ready;
});

describe('a bundle from a verified contact cannot touch what it does not own', () => {
  it('refuses a hearing that takes the id of a document (the document would vanish)', async () => {
    const world = await victim();
    const theirs = hex32();
    const hearing = { ...world.hearing, id: world.document.id, caseId: theirs };
    await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'hearing', value: hearing },
      ],
      { [`hearing:${world.document.id}`]: 'id-taken' },
    );
    expect(await world.vault.listDocuments(world.own.id)).toHaveLength(1);
  });

  it("refuses annotations on a page of another case's document, with or without that document in the bundle", async () => {
    const world = await victim();
    const theirs = hex32();
    const annotation = { ...world.annotation, id: hex32(), caseId: theirs, note: 'replaced' };
    await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'annotation', value: annotation },
      ],
      { [`annotation:${annotation.id}`]: 'document-not-in-case' },
    );
    const { blobId: _blobId, ...portable } = world.document;
    await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'document', value: { ...portable, caseId: theirs } },
        { type: 'annotation', value: annotation },
      ],
      { [`document:${world.document.id}`]: 'id-taken' },
      { [world.document.id]: LETTER },
    );
    expect((await world.vault.listAnnotations(world.own.id)).map((entry) => entry.note)).toEqual(['mine']);
  });

  it('refuses records put into a case the bundle does not carry', async () => {
    const world = await victim();
    const event = { ...world.event, id: hex32(), description: 'planted' };
    const hearing = { ...world.hearing, id: hex32() };
    await expectRefused(
      world,
      [
        { type: 'timeline-event', value: event },
        { type: 'hearing', value: hearing },
      ],
      { [`timeline-event:${event.id}`]: 'foreign-case', [`hearing:${hearing.id}`]: 'foreign-case' },
    );
  });

  it('refuses a case of this vault carried by someone else, and whatever it would add to it', async () => {
    const world = await victim();
    const event = { ...world.event, id: hex32(), description: 'planted' };
    const preview = await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(world.own.id, 'Renamed') },
        { type: 'timeline-event', value: event },
      ],
      { [`case:${world.own.id}`]: 'case-held-by-another', [`timeline-event:${event.id}`]: 'case-held-by-another' },
    );
    expect(preview.items.find((item) => item.type === 'case')?.label).toBe('Renamed');
    expect((await world.vault.getCase(world.own.id)).title).toBe('Own case');
  });

  it("refuses an update that drops or rewrites a hearing's signed-off versions, and takes one that adds a version", async () => {
    const world = await victim();
    // Mallory's own case first, with a signed-off hearing: accepted.
    const theirs = hex32();
    const signedOff = { ...world.hearing, id: hex32(), caseId: theirs };
    const first = await importAll(
      world.vault,
      recordBundle(world.mallory, world.boxKey, [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'hearing', value: signedOff },
      ]),
    );
    expect(first.preview.items.map((item) => item.status)).toEqual(['new', 'new']);
    await world.vault.commitBundleImport(first.importId, { resolutions: {}, acceptUnknownSigner: false });

    const dropped = { ...signedOff, hearing: { ...signedOff.hearing, state: 'draft', version: 2, history: [] } };
    await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'hearing', value: dropped },
      ],
      { [`hearing:${signedOff.id}`]: 'signed-off-history-changed' },
    );
    const [version] = signedOff.hearing.history;
    const rewritten = {
      ...signedOff,
      hearing: {
        ...signedOff.hearing,
        history: [{ ...version!, value: { ...version!.value, court: 'Another court' } }],
      },
    };
    await expectRefused(
      world,
      [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'hearing', value: rewritten },
      ],
      { [`hearing:${signedOff.id}`]: 'signed-off-history-changed' },
    );

    // A new version after the signed-off one, from the signer who brought the case: an update.
    const added = {
      ...signedOff,
      updatedAt: signedOff.updatedAt + 1,
      hearing: {
        ...signedOff.hearing,
        version: 2,
        history: [
          ...signedOff.hearing.history,
          { ...version!, version: 2, finalisedAt: version!.finalisedAt + 1, value: version!.value },
        ],
      },
    };
    const next = await importAll(
      world.vault,
      recordBundle(world.mallory, world.boxKey, [
        { type: 'case', value: caseRecord(theirs) },
        { type: 'hearing', value: added },
      ]),
    );
    const hearingItem = next.preview.items.find((item) => item.type === 'hearing');
    expect(hearingItem).toMatchObject({ status: 'update', currentFrom: { name: 'Mallory', status: 'verified' } });
    await world.vault.commitBundleImport(next.importId, { resolutions: {}, acceptUnknownSigner: false });
    const [stored] = await world.vault.listHearings(theirs);
    expect(stored?.hearing.history).toHaveLength(2);
  });

  it('refuses a manifest that declares a record larger than any record may be, before staging anything', async () => {
    const world = await victim();
    const before = await rawRows(world.db);
    const huge = { ...caseRecord(hex32()), summary: 'x'.repeat(9 * 1024 * 1024) };
    await expect(
      importAll(world.vault, recordBundle(world.mallory, world.boxKey, [{ type: 'case', value: huge }])),
    ).rejects.toMatchObject({ code: 'bundle-refused', detail: 'too-large' });
    expect(await rawRows(world.db)).toBe(before);
  });
});

describe('who brought a case is remembered', () => {
  it('keeps crediting the signer after the same bundle is opened again, so their next update is taken', async () => {
    const world = await victim();
    const theirs = hex32();
    const carried = caseRecord(theirs);
    const events = [hex32(), hex32()].map((id) => ({ ...world.event, id, caseId: theirs }));
    const bundle = recordBundle(world.mallory, world.boxKey, [
      { type: 'case', value: carried },
      ...events.map((value) => ({ type: 'timeline-event' as const, value })),
    ]);
    const first = await importAll(world.vault, bundle);
    await world.vault.commitBundleImport(first.importId, { resolutions: {}, acceptUnknownSigner: false });
    await world.vault.deleteTimelineEvent(theirs, events[0]!.id);
    const again = await importAll(world.vault, bundle);
    expect(again.preview.items.map((item) => item.status)).toEqual(['same', 'new', 'same']);
    await world.vault.commitBundleImport(again.importId, { resolutions: {}, acceptUnknownSigner: false });
    expect(await world.vault.itemOrigin(`case:${theirs}`)).not.toBeNull();

    const added = { ...world.event, id: hex32(), caseId: theirs };
    const next = await importAll(
      world.vault,
      recordBundle(world.mallory, world.boxKey, [
        { type: 'case', value: carried },
        { type: 'timeline-event', value: added },
      ]),
    );
    expect(next.preview.items.map((item) => item.status)).toEqual(['same', 'new']);
    await world.vault.commitBundleImport(next.importId, { resolutions: {}, acceptUnknownSigner: false });
    expect(await world.vault.listTimelineEvents(theirs)).toHaveLength(3);
  });
});

describe('what a bundle says about a document is checked', () => {
  it("takes a document's type from its bytes, not from the sender", async () => {
    const world = await victim();
    const theirs = hex32();
    const { blobId: _blobId, ...portable } = world.document;
    const lie = { ...portable, id: hex32(), caseId: theirs, kind: 'pdf', mimeType: 'application/pdf' };
    const { importId, preview } = await importAll(
      world.vault,
      recordBundle(
        world.mallory,
        world.boxKey,
        [
          { type: 'case', value: caseRecord(theirs) },
          { type: 'document', value: lie },
        ],
        { [lie.id]: LETTER },
      ),
    );
    expect(preview.items.map((item) => item.status)).toEqual(['new', 'new']);
    await world.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    const [stored] = await world.vault.listDocuments(theirs);
    expect(stored).toMatchObject({ id: lie.id, kind: 'text', mimeType: 'text/plain' });
  });
});

describe('the preview names what would change', () => {
  it('names cases, documents with their sizes and annotations, and hearings with their dates', async () => {
    const sender = await victim();
    const receiver = await victim();
    const card = await receiver.vault.identityCard();
    const contact = await sender.vault.addContact(card);
    await receiver.vault.addContact(await sender.vault.identityCard());
    const bundle = await exportAll(sender.vault, {
      cases: [{ caseId: sender.own.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [contact.id],
      includeSelf: false,
      includeCustodyLog: false,
    });
    const { preview } = await importAll(receiver.vault, bundle);
    const byType = (type: string) => preview.items.filter((item) => item.type === type);
    expect(byType('case').map((item) => item.label)).toEqual(['Own case']);
    expect(byType('document')).toEqual([
      expect.objectContaining({ label: 'letter.txt', size: LETTER.byteLength, annotations: 1, status: 'new' }),
    ]);
    expect(byType('hearing')[0]?.label).toBe(koetSarayHearing().date);
    expect(byType('annotation')[0]?.documentId).toBe(sender.document.id);
  });
});

describe('the store is the last line', () => {
  it('refuses a put or a delete that names a stored id under another kind or case, and writes nothing', async () => {
    const db = new VaultDatabase(freshName('ownership-store'));
    const store = await VaultStore.open(db, expandMasterKey(newMasterKey()), 'test');
    const caseA = hex32();
    const caseB = hex32();
    const id = hex32();
    await store.commit({
      put: [
        store.newCaseKey(caseA),
        store.newCaseKey(caseB),
        await store.sealCaseRecord(caseA, 'document', id, { a: 1 }),
      ],
    });
    const before = await rawRows(db);
    const attempts: [string, () => Promise<unknown>][] = [
      [
        'the same id as another kind',
        async () => store.commit({ put: [await store.sealCaseRecord(caseA, 'hearing', id, {})] }),
      ],
      [
        'the same id in another case',
        async () => store.commit({ put: [await store.sealCaseRecord(caseB, 'document', id, {})] }),
      ],
      ['the same id vault-wide', async () => store.commit({ put: [store.sealVaultRecord('contact', id, {})] })],
      ['a delete as another kind', () => store.commit({ delete: [{ table: 'hearing', caseId: caseA, id }] })],
      ['a delete from another case', () => store.commit({ delete: [{ table: 'document', caseId: caseB, id }] })],
      ['a delete of any kind from another case', () => store.commit({ delete: [{ table: '*', caseId: caseB, id }] })],
    ];
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toMatchObject({ code: 'record-owner-mismatch' });
      expect(await rawRows(db), name).toBe(before);
    }
    expect(await store.fits({ table: 'document', caseId: caseA, id })).toBe(true);
    expect(await store.fits({ table: 'document', caseId: caseB, id })).toBe(false);
    // Its own kind and case: an update, then a delete.
    await store.commit({ put: [await store.sealCaseRecord(caseA, 'document', id, { a: 2 })] });
    expect(await store.readCaseRecord(caseA, 'document', id)).toEqual({ a: 2 });
    await store.commit({ delete: [{ table: 'document', caseId: caseA, id }] });
    expect(await store.readCaseRecord(caseA, 'document', id)).toBeUndefined();
  });
});

describe('the store is the last line, in a large batch', () => {
  it('refuses a stored id of another kind among hundreds of new ones, wherever it falls in their range', async () => {
    const db = new VaultDatabase(freshName('ownership-batch'));
    const store = await VaultStore.open(db, expandMasterKey(newMasterKey()), 'test');
    const caseA = hex32();
    // Three stored ids: the least, the greatest and one in the middle of any batch of random hex ids.
    const stored = ['00000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff', hex32()];
    await store.commit({
      put: [
        store.newCaseKey(caseA),
        ...(await Promise.all(stored.map((id) => store.sealCaseRecord(caseA, 'document', id, {})))),
      ],
    });
    const caseB = hex32();
    await store.commit({ put: [store.newCaseKey(caseB)] });
    const before = await rawRows(db);
    const fresh = await Promise.all(
      Array.from({ length: LIST_KEYS_FROM + 50 }, () => store.sealCaseRecord(caseA, 'hearing', hex32(), {})),
    );
    // The vault is small, so the commit lists the keys of the batch's range (the path under test), not one get per id.
    const listed = vi.spyOn(db.records, 'where');
    let attempts = 0;
    for (const id of stored) {
      const foreign: [string, () => Promise<VaultChange>][] = [
        ['another kind', async () => ({ put: [await store.sealCaseRecord(caseA, 'hearing', id, {})] })],
        ['another case', async () => ({ put: [await store.sealCaseRecord(caseB, 'document', id, {})] })],
        ['vault-wide', () => Promise.resolve({ put: [store.sealVaultRecord('contact', id, {})] })],
        ['a delete as another kind', () => Promise.resolve({ delete: [{ table: 'hearing', caseId: caseA, id }] })],
        [
          'a delete of any kind from another case',
          () => Promise.resolve({ delete: [{ table: '*', caseId: caseB, id }] }),
        ],
      ];
      for (const [name, change] of foreign) {
        const { put = [], delete: deletes } = await change();
        const batch: VaultChange = { put: [...fresh.slice(0, 100), ...put, ...fresh.slice(100)], delete: deletes };
        await expect(store.commit(batch), `${id} ${name}`).rejects.toMatchObject({ code: 'record-owner-mismatch' });
        expect(await rawRows(db), `${id} ${name}`).toBe(before);
        attempts += 1;
      }
    }
    expect(listed.mock.calls.filter(([index]) => (index as unknown) === ':id')).toHaveLength(attempts);
    listed.mockRestore();
    // The same batch with its own kind's stored row rewritten lands whole.
    await store.commit({ put: [...fresh, await store.sealCaseRecord(caseA, 'document', stored[2]!, { a: 1 })] });
    expect(await store.readCaseRecord(caseA, 'document', stored[2]!)).toEqual({ a: 1 });
    expect(await store.readCaseRecord(caseA, 'hearing', fresh[0]!.id)).toEqual({});
  });
});

describe('property: random bundles made of the victim’s own ids', () => {
  it('never change or remove a record that was there before', async () => {
    const world = await victim();
    const ids = [world.own.id, world.document.id, world.annotation.id, world.hearing.id, world.event.id, hex32()];
    const caseIds = [world.own.id, hex32(), hex32()];
    const { blobId: _blobId, ...portableDocument } = world.document;
    const templates: { [type in Record['type']]: { [key: string]: unknown } } = {
      case: caseRecord(world.own.id),
      document: portableDocument,
      'document-text': { documentId: world.document.id, text: { extractor: 'utf-8', pages: [] } },
      annotation: world.annotation,
      hearing: { ...world.hearing },
      'timeline-event': world.event,
    };
    const freshId = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((raw) => sodium.to_hex(raw));
    const recordArb = fc.record({
      // Every item type the registry stores as a record (not document bytes or the custody log).
      type: fc.constantFrom(
        ...BUNDLE_ITEM_TYPES.filter((type): type is Record['type'] => recordKindOfBundleItem(type) !== null),
      ),
      id: fc.oneof(fc.constantFrom(...ids), freshId),
      caseId: fc.oneof(fc.constantFrom(...caseIds), freshId),
      documentId: fc.oneof(fc.constant(world.document.id), freshId),
    });
    // Documents travel before their text, as the honest writer sends them.
    const order: Record['type'][] = ['case', 'document', 'document-text', 'annotation', 'hearing', 'timeline-event'];
    const outcomes = { accepted: 0, refusedByRules: 0, refusedOtherwise: 0 };
    const before = await rowsById(world.db);
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 6 }), fc.boolean(), async (drawn, carry) => {
        const seen = new Set<string>();
        const records: Record[] = [];
        const documentBytes: { [documentId: string]: Uint8Array } = {};
        for (const { type, id, caseId, documentId } of drawn) {
          const value: { [key: string]: unknown } = { ...templates[type] };
          if (type === 'case') value.id = caseId;
          else if (type === 'document-text') value.documentId = documentId;
          else Object.assign(value, { id, caseId, ...(type === 'annotation' ? { documentId } : {}) });
          const key = `${type}:${String(type === 'document-text' ? value.documentId : value.id)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          records.push({ type, value });
          // Well formed: every document carries its bytes (the victim's letter, matching the record).
          if (type === 'document') documentBytes[id] = LETTER;
        }
        // Half the bundles also carry every case their records name, as an honest sender's do.
        if (carry)
          for (const caseId of new Set(records.map((record) => String(record.value.caseId ?? record.value.id))))
            if (!seen.has(`case:${caseId}`)) {
              seen.add(`case:${caseId}`);
              records.push({ type: 'case', value: { ...templates.case, id: caseId } });
            }
        records.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
        // A text travels with its document (a text alone is malformed, refused before any rule is asked).
        const carriedDocuments = new Set(records.filter((r) => r.type === 'document').map((r) => String(r.value.id)));
        const wellFormed = records.filter(
          (record) => record.type !== 'document-text' || carriedDocuments.has(String(record.value.documentId)),
        );
        let importId: string | null = null;
        try {
          const opened = await importAll(
            world.vault,
            recordBundle(world.mallory, world.boxKey, wellFormed, documentBytes),
          );
          importId = opened.importId;
          const resolutions = Object.fromEntries(
            opened.preview.items
              .filter((item) => item.status === 'conflict')
              .map((item) => [item.id, 'theirs' as const]),
          );
          await world.vault.commitBundleImport(importId, { resolutions, acceptUnknownSigner: true });
          outcomes.accepted += 1;
        } catch (error) {
          // Refused: fine, as long as nothing that was there changed.
          if ((error as { detail?: string }).detail === 'overreaches') outcomes.refusedByRules += 1;
          else outcomes.refusedOtherwise += 1;
          if (importId) await world.vault.cancelBundleImport(importId).catch(() => undefined);
        }
        const after = await rowsById(world.db);
        for (const [key, row] of before) {
          // The custody log's head, the integrity map (which sealing of each row is current) and the search
          // snapshot's generation move with any accepted import; a content row lists one more document when an
          // accepted bundle brings the same bytes (checked below).
          if (
            key === 'records/log-head' ||
            key.startsWith('state/') ||
            key.startsWith('meta/') ||
            key.startsWith('blobs/')
          )
            continue;
          expect(after.get(key), key).toBe(row);
        }
        expect(await world.vault.verifyDocument(world.own.id, world.document.id)).toEqual({
          ok: true,
          sha256: world.document.sha256,
        });
      }),
      { numRuns: 120 },
    );
    // The property is worth something only if bundles got past the format checks, both ways.
    expect(outcomes.accepted, JSON.stringify(outcomes)).toBeGreaterThan(2);
    expect(outcomes.refusedByRules, JSON.stringify(outcomes)).toBeGreaterThan(2);
  });
});
