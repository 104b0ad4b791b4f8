import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations';
import type { BundleMergeProgress, VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { inlineCipherPool, type CipherPool } from '../../renderer/src/vault/worker/cipher-pool';
import { VaultError } from '../../renderer/src/vault/worker/crypto/errors';
import { readIdentityCard } from '../../renderer/src/vault/worker/bundle/identity-files';
import { party } from '../unit/bundle/bundle-helpers';
import { forgeBundle } from '../unit/bundle/forge';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import {
  attach as attachDocument,
  codeOf,
  exportAll,
  fixture,
  freshName,
  importAll,
  newVault as newVaultIn,
  passphraseBytes,
  vaultService,
} from '../support/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';

const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');
const PDF = fixture('hrn-statement-adhoc-defenders-2016-06-08.pdf');

/** A vault whose identity is called `name`. */
const newVault = (name: string) => newVaultIn('bundles', name);

/** Every document here comes from the same (marked) source. */
const attach = (vault: VaultWorkerApi, caseId: string, name: string, content: Uint8Array) =>
  attachDocument(vault, caseId, name, content, { obtainedFrom: 'Zqsource court clerk' });

async function rawRows(db: VaultDatabase): Promise<string> {
  const tables = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify(tables, (_key, value: unknown) => (value instanceof Uint8Array ? sodium.to_hex(value) : value));
}

/** Monitor A with two cases (documents, an annotation, a hearing, a timeline event) and coordinator B, introduced to each other. */
async function twoVaults() {
  const a = await newVault('Zqmonitor A');
  const b = await newVault('Coordinator B');
  const contactOfB = await a.vault.addContact(await b.vault.identityCard());
  const contactOfA = await b.vault.addContact(await a.vault.identityCard());
  await b.vault.updateContact(contactOfA.id, { verified: true });

  const first = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqcase Koet Saray' });
  const second = await a.vault.createCase({ ...emptyCaseFields(), title: 'ADHOC staff' });
  const letter = await attach(a.vault, first.id, 'letter.txt', LETTER);
  const pdf = await attach(a.vault, second.id, 'statement.pdf', PDF);
  const page = new TextDecoder().decode(LETTER);
  const at = page.indexOf('four (4) years');
  await a.vault.saveDocumentText(first.id, letter.id, { extractor: 'utf-8', pages: [{ text: page, hasText: true }] });
  const annotation = await a.vault.createAnnotation(first.id, {
    documentId: letter.id,
    color: 'yellow',
    note: 'Zqnote sentence',
    tags: [],
    link: null,
    target: { kind: 'text', extractor: 'utf-8', segments: [{ ...describeSegment(page, 0, at, at + 14), rects: [] }] },
  });
  const hearing = await a.vault.saveHearing(first.id, null, koetSarayHearing());
  await a.vault.finaliseHearing(first.id, hearing.id);
  await a.vault.saveTimelineEvent(first.id, null, {
    kind: 'arrest',
    date: '2024-03',
    person: 'Koet Saray',
    description: '',
    sources: [],
  });
  const request = {
    cases: [first, second].map((record) => ({
      caseId: record.id,
      documentIds: 'all' as const,
      annotations: true,
      hearings: true,
      timeline: true,
    })),
    recipients: [contactOfB.id],
    includeSelf: false,
    includeCustodyLog: true,
  };
  return { a, b, first, second, letter, pdf, annotation, hearing, request, contactOfA };
}

beforeAll(async () => {
  await sodium.ready;
});

/** A merge's reports: from none merged, rising, never past the total, every record merged before the write. */
function expectMergeProgress(reports: BundleMergeProgress[], total: number): void {
  expect(total).toBeGreaterThan(0);
  expect(reports[0]).toEqual({ stage: 'merging', done: 0, total });
  expect(reports.at(-1)).toEqual({ stage: 'writing', done: total, total });
  for (const [index, report] of reports.entries()) {
    expect(report.total).toBe(total);
    expect(report.done).toBeLessThanOrEqual(total);
    if (index > 0) expect(report.done).toBeGreaterThanOrEqual(reports[index - 1]!.done);
    if (report.stage === 'writing') expect(report.done).toBe(total);
  }
  const merged = reports.filter((report) => report.stage === 'merging');
  expect(merged.at(-1)).toEqual({ stage: 'merging', done: total, total });
}

describe('bundles between two vaults', () => {
  it('carries two cases with everything in them, verified on arrival, and imports them identically', async () => {
    const { a, b, first, second, letter, pdf, annotation, request } = await twoVaults();
    const bundle = await exportAll(a.vault, request);
    expect(Buffer.from(bundle).includes(Buffer.from('Zqcase'))).toBe(false);

    const { importId, preview } = await importAll(b.vault, bundle);
    expect(preview.signer).toMatchObject({ name: 'Zqmonitor A', status: 'verified', contactName: 'Zqmonitor A' });
    expect(preview.alreadyImportedAt).toBeNull();
    expect(preview.custodyLog).toMatchObject({ ok: true });
    expect(new Set(preview.items.map((item) => item.status))).toEqual(new Set(['new']));
    const reports: BundleMergeProgress[] = [];
    const result = await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false }, (next) =>
      reports.push(next),
    );
    expect(result.added).toBe(preview.items.length);
    expectMergeProgress(reports, preview.items.length);

    const cases = (await b.vault.listCases()).cases.map((entry) => entry.title).sort();
    expect(cases).toEqual(['ADHOC staff', 'Zqcase Koet Saray']);
    const [imported] = await b.vault.listDocuments(first.id);
    expect(imported).toMatchObject({ id: letter.id, sha256: letter.sha256, name: 'letter.txt' });
    expect(Buffer.from(await b.vault.readDocument(first.id, letter.id))).toEqual(Buffer.from(LETTER));
    expect((await b.vault.verifyDocument(second.id, pdf.id)).ok).toBe(true);
    expect(await b.vault.listAnnotations(first.id)).toEqual([annotation]);
    expect((await b.vault.getDocumentText(first.id, letter.id))?.pages[0]?.text).toContain('four (4) years');
    const [hearing] = await b.vault.listHearings(first.id);
    expect(hearing?.hearing).toMatchObject({ state: 'final', version: 1 });
    expect(await b.vault.listTimelineEvents(first.id)).toHaveLength(1);
    expect((await b.vault.caseHistory(first.id)).some((entry) => entry.action === 'imported')).toBe(true);
    expect((await b.vault.verifyLog()).ok).toBe(true);
    // Each item says which bundle brought it and who signed it; items made here say nothing.
    expect(await b.vault.itemOrigin(`document:${letter.id}`)).toMatchObject({
      bundleId: result.bundleId,
      signer: { name: 'Zqmonitor A', status: 'verified' },
    });
    expect(await b.vault.itemOrigin(`annotation:${annotation.id}`)).toMatchObject({ bundleId: result.bundleId });
    expect(await a.vault.itemOrigin(`document:${letter.id}`)).toBeNull();
  });

  it('credits a bundle only with what it wrote: not items found identical, and a copy kept beside mine by its own id', async () => {
    const { a, b, first, letter, annotation, request } = await twoVaults();
    const initial = await importAll(b.vault, await exportAll(a.vault, request));
    const firstImport = await b.vault.commitBundleImport(initial.importId, {
      resolutions: {},
      acceptUnknownSigner: false,
    });

    // Both sides edit the annotation; the coordinator keeps both versions.
    const { id: _id, caseId: _caseId, createdAt: _created, updatedAt: _updated, ...fields } = annotation;
    await a.vault.updateAnnotation(first.id, annotation.id, { ...fields, note: 'Zqnote from the monitor' });
    await b.vault.updateAnnotation(first.id, annotation.id, { ...fields, note: 'Zqnote from the coordinator' });
    const again = await importAll(b.vault, await exportAll(a.vault, request));
    const secondImport = await b.vault.commitBundleImport(again.importId, {
      resolutions: { [`annotation:${annotation.id}`]: 'both' },
      acceptUnknownSigner: false,
    });
    const copy = (await b.vault.listAnnotations(first.id)).find((entry) => entry.note === 'Zqnote from the monitor')!;
    expect(copy.id).not.toBe(annotation.id);
    expect(await b.vault.itemOrigin(`annotation:${copy.id}`)).toMatchObject({ bundleId: secondImport.bundleId });
    // Mine stays credited to the bundle that first brought it; the document came again, identical, and was not written.
    expect(await b.vault.itemOrigin(`annotation:${annotation.id}`)).toMatchObject({ bundleId: firstImport.bundleId });
    expect(await b.vault.itemOrigin(`document:${letter.id}`)).toMatchObject({ bundleId: firstImport.bundleId });
  });

  it('estimates the size of a bundle before it is made, to within 1 %', async () => {
    const { a, request } = await twoVaults();
    const estimate = await a.vault.estimateBundleExport(request);
    const bundle = await exportAll(a.vault, request);
    expect(Math.abs(estimate.bytes - bundle.byteLength) / bundle.byteLength).toBeLessThan(0.01);
    const { exportId, items } = await a.vault.beginBundleExport(request);
    await a.vault.cancelBundleExport(exportId);
    expect(estimate.items).toBe(items);
  });

  it('changes nothing when the same bundle comes again, and says so', async () => {
    const { a, b, request } = await twoVaults();
    const bundle = await exportAll(a.vault, request);
    const first = await importAll(b.vault, bundle);
    await b.vault.commitBundleImport(first.importId, { resolutions: {}, acceptUnknownSigner: false });
    const before = await rawRows(b.db);

    const again = await importAll(b.vault, bundle);
    expect(again.preview.alreadyImportedAt).not.toBeNull();
    expect(new Set(again.preview.items.map((item) => item.status))).toEqual(new Set(['same']));
    expect(
      await b.vault.commitBundleImport(again.importId, { resolutions: {}, acceptUnknownSigner: false }),
    ).toMatchObject({ added: 0, updated: 0 });
    expect(await rawRows(b.db)).toBe(before);
  });

  it('shows an edit made only by the sender as an update, and edits on both sides as a conflict to resolve', async () => {
    const { a, b, first, request } = await twoVaults();
    const initial = await importAll(b.vault, await exportAll(a.vault, request));
    await b.vault.commitBundleImport(initial.importId, { resolutions: {}, acceptUnknownSigner: false });

    await a.vault.updateCase(first.id, { ...emptyCaseFields(), title: 'Zqcase Koet Saray', summary: 'Appeal lodged' });
    const update = await importAll(b.vault, await exportAll(a.vault, request));
    const changed = update.preview.items.filter((item) => item.status !== 'same');
    expect(changed.map((item) => [item.id, item.status])).toEqual([[`case:${first.id}`, 'update']]);
    await b.vault.commitBundleImport(update.importId, { resolutions: {}, acceptUnknownSigner: false });
    expect((await b.vault.getCase(first.id)).summary).toBe('Appeal lodged');

    await b.vault.updateCase(first.id, {
      ...emptyCaseFields(),
      title: 'Zqcase Koet Saray',
      summary: 'Coordinator note',
    });
    await a.vault.updateCase(first.id, {
      ...emptyCaseFields(),
      title: 'Zqcase Koet Saray',
      summary: 'Released on bail',
    });
    const conflict = await importAll(b.vault, await exportAll(a.vault, request));
    const conflicts = conflict.preview.items.filter((item) => item.status === 'conflict');
    expect(conflicts.map((item) => item.id)).toEqual([`case:${first.id}`]);
    await expect(
      b.vault.commitBundleImport(conflict.importId, { resolutions: {}, acceptUnknownSigner: false }),
    ).rejects.toMatchObject({ detail: 'conflicts-unresolved' });
    await b.vault.commitBundleImport(conflict.importId, {
      resolutions: { [`case:${first.id}`]: 'mine' },
      acceptUnknownSigner: false,
    });
    expect((await b.vault.getCase(first.id)).summary).toBe('Coordinator note');
  });

  it('loses no edit made while a merge is being prepared: the merge starts again on what is there now', async () => {
    const { a, b, first, letter, annotation, request } = await twoVaults();
    const initial = await importAll(b.vault, await exportAll(a.vault, request));
    await b.vault.commitBundleImport(initial.importId, { resolutions: {}, acceptUnknownSigner: false });
    // A adds a second annotation on the same page; B edits the first one while the import commits.
    const { id: _id, caseId: _caseId, source: _source, createdAt: _createdAt, ...fields } = annotation;
    const added = await a.vault.createAnnotation(first.id, { ...fields, note: 'Zqnote added by A' });
    const update = await importAll(b.vault, await exportAll(a.vault, request));
    // The edit lands after the merge has read the annotation page and before its commit.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the store as `this`
    const commit = VaultStore.prototype.commit;
    let edited = false;
    const spy = vi.spyOn(VaultStore.prototype, 'commit').mockImplementation(async function (this: VaultStore, change) {
      if (!edited && change.log?.some((entry) => entry.targetKind === 'bundle')) {
        edited = true;
        await b.vault.updateAnnotation(first.id, annotation.id, { ...fields, note: 'Zqnote edited by B meanwhile' });
      }
      return commit.call(this, change);
    });
    const reports: BundleMergeProgress[] = [];
    await b.vault.commitBundleImport(update.importId, { resolutions: {}, acceptUnknownSigner: false }, (next) =>
      reports.push(next),
    );
    spy.mockRestore();
    expect(edited).toBe(true);
    // Merged twice: the second merge does not send the bar back to the start.
    expectMergeProgress(reports, reports[0]!.total);
    const notes = (await b.vault.listAnnotations(first.id, letter.id)).map((found) => [found.id, found.note]);
    expect(notes).toEqual(
      expect.arrayContaining([
        [annotation.id, 'Zqnote edited by B meanwhile'],
        [added.id, 'Zqnote added by A'],
      ]),
    );
  });

  it('refuses a changed bit, a cut file, a bundle for someone else and an unconfirmed unknown signer, changing nothing', async () => {
    const { a, b, request } = await twoVaults();
    const bundle = await exportAll(a.vault, request);
    const before = await rawRows(b.db);
    const flipped = bundle.slice();
    flipped[Math.floor(bundle.byteLength / 2)]! ^= 4;
    await expect(importAll(b.vault, flipped)).rejects.toMatchObject({
      code: 'bundle-refused',
      detail: 'payload-corrupt',
    });
    await expect(importAll(b.vault, bundle.slice(0, bundle.byteLength - 100))).rejects.toMatchObject({
      code: 'bundle-refused',
    });

    const c = await newVault('Carol');
    const toCarol = await a.vault.addContact(await c.vault.identityCard());
    const forCarol = await exportAll(a.vault, { ...request, recipients: [toCarol.id] });
    await expect(importAll(b.vault, forCarol)).rejects.toMatchObject({ code: 'bundle-refused', detail: 'not-for-you' });
    expect(await rawRows(b.db)).toBe(before);

    // Carol does not know A: she must confirm before anything is written.
    const unknown = await importAll(c.vault, forCarol);
    expect(unknown.preview.signer.status).toBe('unknown');
    await expect(
      c.vault.commitBundleImport(unknown.importId, { resolutions: {}, acceptUnknownSigner: false }),
    ).rejects.toMatchObject({ detail: 'signer-unconfirmed' });
    await c.vault.commitBundleImport(unknown.importId, { resolutions: {}, acceptUnknownSigner: true });
    expect((await c.vault.listCases()).cases).toHaveLength(2);
  });
});

describe('refusals through the vault', () => {
  it('refuses document bytes that do not match the signed manifest, and the vault is unchanged', async () => {
    const b = await newVault('Coordinator B');
    const forger = party('Forger');
    const { keys } = readIdentityCard(await b.vault.identityCard());
    const documentBytes = `document-bytes:${'a'.repeat(32)}`;
    const forged = forgeBundle(
      forger,
      [{ ...forger, ...keys, name: 'Coordinator B' }],
      (manifest) => ({ ...manifest, items: manifest.items.map((item) => ({ ...item, id: documentBytes })) }),
      forger.signSecretKey,
      new Uint8Array([1, 2, 3]),
      { listed: new Uint8Array([9, 9, 9]) },
    );
    const before = await rawRows(b.db);
    await expect(importAll(b.vault, forged)).rejects.toMatchObject({
      code: 'bundle-refused',
      detail: 'item-hash-mismatch',
    });
    expect(await rawRows(b.db)).toBe(before);
  });

  it('refuses every kind of damage with a clear reason, and the vault is byte-for-byte unchanged', async () => {
    const { a, b, request } = await twoVaults();
    const bundle = await exportAll(a.vault, request);
    const other = await exportAll(a.vault, request);
    const headerBytes = 18 + 80 + 24 + 32;
    const chunk = 65_536 + 17;
    const before = await rawRows(b.db);
    const set16 = (bytes: Uint8Array, at: number, value: number) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint16(at, value);
      return copy;
    };
    const flip = (at: number) => {
      const copy = bundle.slice();
      copy[at]! ^= 0x80;
      return copy;
    };
    const cases: [string, Uint8Array, string][] = [
      ['a flipped bit in the header', flip(30), 'not-for-you'],
      ['a flipped bit in the MAC', flip(headerBytes - 1), 'header-altered'],
      ['a flipped bit in the last byte', flip(bundle.byteLength - 1), 'payload-corrupt'],
      ['cut at a chunk boundary', bundle.slice(0, headerBytes + chunk), 'payload-truncated'],
      ['cut inside the header', bundle.slice(0, 40), 'header-malformed'],
      [
        'the first chunk removed',
        Buffer.concat([bundle.slice(0, headerBytes), bundle.slice(headerBytes + chunk)]),
        'payload-corrupt',
      ],
      [
        'a chunk duplicated',
        Buffer.concat([bundle.slice(0, headerBytes + chunk), bundle.slice(headerBytes)]),
        'payload-corrupt',
      ],
      [
        "another bundle's header",
        Buffer.concat([other.slice(0, headerBytes), bundle.slice(headerBytes)]),
        'payload-corrupt',
      ],
      ['an unknown future version', set16(bundle, 8, 2), 'unsupported-version'],
      ['an absurd recipient count', set16(bundle, 16, 60_000), 'header-malformed'],
      ['trailing bytes', Buffer.concat([bundle, new Uint8Array(70_000)]), 'payload-corrupt'],
    ];
    for (const [name, bytes, reason] of cases) {
      await expect(importAll(b.vault, new Uint8Array(bytes)), name).rejects.toMatchObject({
        code: 'bundle-refused',
        detail: reason,
      });
      expect(await rawRows(b.db), name).toBe(before);
    }
  });

  it('lists received bundles with their signer and the custody log checked again', async () => {
    const { a, b, request } = await twoVaults();
    const { importId } = await importAll(b.vault, await exportAll(a.vault, request));
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    const [received] = await b.vault.listReceivedBundles();
    expect(received).toMatchObject({ signer: { name: 'Zqmonitor A', status: 'verified' }, custodyLog: { ok: true } });
    expect(received!.items).toBeGreaterThan(5);
  });
});

describe('merge details', () => {
  it('keeps every document pointing at shared content when several bring the same bytes', async () => {
    const { a, b, request, letter, first } = await twoVaults();
    // B already holds the letter's bytes in a case of its own.
    const { id: own } = await b.vault.createCase({ ...emptyCaseFields(), title: 'Coordinator copy' });
    await attach(b.vault, own, 'same-letter.txt', LETTER);
    // A attaches the same bytes twice more in the first case.
    const again = await attach(a.vault, first.id, 'letter-again.txt', LETTER);
    const { importId } = await importAll(b.vault, await exportAll(a.vault, request));
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    // Deleting the coordinator's own copy, then one imported copy, must leave the other one its content.
    await b.vault.deleteCase(own);
    await b.vault.deleteDocument(first.id, again.id);
    expect(Buffer.from(await b.vault.readDocument(first.id, letter.id))).toEqual(Buffer.from(LETTER));
  });

  it('treats an older bundle opened after a newer one as already here, not as an update', async () => {
    const { a, b, first, request } = await twoVaults();
    const older = await exportAll(a.vault, request);
    await a.vault.updateCase(first.id, { ...emptyCaseFields(), title: 'Zqcase Koet Saray', summary: 'Newer' });
    const newer = await exportAll(a.vault, request);
    for (const bundle of [older, newer]) {
      const { importId } = await importAll(b.vault, bundle);
      await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    }
    const { importId, preview } = await importAll(b.vault, older);
    expect(preview.items.filter((item) => item.status !== 'same')).toEqual([]);
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    expect((await b.vault.getCase(first.id)).summary).toBe('Newer');
  });
});

/** A cipher pool whose seals take `delayMs` (several documents then finish at once), the `failAt`-th failing. */
function slowCipherPool(delayMs: number, failAt = 0) {
  const pool = inlineCipherPool();
  const seals = { count: 0, inFlight: 0, mostAtOnce: 0 };
  const slow: CipherPool = {
    ...pool,
    sealChunks: async (...args) => {
      const fails = ++seals.count === failAt;
      const sealed = pool.sealChunks(...args); // now: the caller may wipe its copy of the key once it returns
      seals.mostAtOnce = Math.max(seals.mostAtOnce, ++seals.inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      seals.inFlight -= 1;
      if (fails) throw new VaultError('engine-failed', 'worker died');
      return sealed;
    },
  };
  return { pool: slow, seals };
}

/** Monitor A's bundle of nine documents for coordinator B, whose vault seals with `cipherPool`. */
async function nineDocumentBundle(cipherPool: CipherPool) {
  const a = await newVault('Zqmonitor A');
  const b = vaultService(freshName('bundles-many'), { cipherPool });
  await b.vault.createVault(passphraseBytes());
  await b.vault.renameIdentity('Coordinator B');
  const contactOfB = await a.vault.addContact(await b.vault.identityCard());
  await b.vault.addContact(await a.vault.identityCard());
  const { id: caseId } = await a.vault.createCase({ ...emptyCaseFields(), title: 'Field visit' });
  // Each document spans several of the bundle's 64 KiB chunks, and chunks hold the end of one and the start of
  // the next.
  const contents = Array.from({ length: 9 }, (_, index) =>
    new TextEncoder().encode(`Zqexhibit ${index} `.repeat(15_000 + index * 997)),
  );
  const documents = [];
  for (const [index, content] of contents.entries())
    documents.push(await attach(a.vault, caseId, `exhibit-${index}.txt`, content));
  const bundle = await exportAll(a.vault, {
    cases: [{ caseId, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
    recipients: [contactOfB.id],
    includeSelf: false,
    includeCustodyLog: true,
  });
  return { b, caseId, contents, documents, bundle };
}

/** Every piece of `bundle` sent at once, none awaited, as the reader sends the next before the last is staged. */
function sendAllAtOnce(vault: VaultWorkerApi, importId: string, bundle: Uint8Array) {
  const pieces = [];
  for (let offset = 0; offset < bundle.byteLength; offset += 50_000)
    pieces.push(vault.importBundleChunk(importId, bundle.slice(offset, offset + 50_000)));
  return Promise.allSettled(pieces);
}

describe('many documents', () => {
  it('stages each document while the next is read, pieces in the order sent; a document that fails to stage stops the import, leaving nothing', async () => {
    // The third document's chunk cannot be sealed (a cipher worker that died), once.
    const { pool, seals } = slowCipherPool(10, 3);
    const { b, caseId, contents, documents, bundle } = await nineDocumentBundle(pool);

    const before = await rawRows(b.db);
    await expect(importAll(b.vault, bundle, 50_000)).rejects.toMatchObject({ code: 'engine-failed' });
    expect(await rawRows(b.db)).toBe(before);

    // The vault stages pieces in the order they came, however many are in its hands.
    const importId = await b.vault.beginBundleImport();
    const sent = sendAllAtOnce(b.vault, importId, bundle);
    const preview = await b.vault.finishBundleImport(importId);
    expect((await sent).filter((piece) => piece.status === 'rejected')).toEqual([]);
    expect(preview.items.filter((item) => item.type === 'document')).toHaveLength(9);
    expect(seals.mostAtOnce).toBeGreaterThan(1); // documents did finish while the next was read
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });
    for (const [index, document] of documents.entries())
      expect(Buffer.from(await b.vault.readDocument(caseId, document.id))).toEqual(Buffer.from(contents[index]!));
    expect(await b.db.blobs.count()).toBe(9);
    expect(await b.db.chunks.count()).toBe(9);
  });

  it('leaves nothing staged when cancelled or locked while documents are still finishing', async () => {
    const { pool, seals } = slowCipherPool(40);
    const { b, bundle } = await nineDocumentBundle(pool);
    for (const end of ['cancel', 'lock'] as const) {
      const importId = await b.vault.beginBundleImport();
      for (let offset = 0; offset < bundle.byteLength; offset += 50_000)
        await b.vault.importBundleChunk(importId, bundle.slice(offset, offset + 50_000));
      expect(seals.inFlight).toBeGreaterThan(0); // the last documents are still being sealed
      const finishing = codeOf(b.vault.finishBundleImport(importId));
      if (end === 'cancel') await b.vault.cancelBundleImport(importId);
      else await b.vault.lock();
      expect(['locked', 'not-found']).toContain(await finishing);
      if (end === 'lock') await b.vault.unlock(passphraseBytes());
      await vi.waitFor(() => expect(seals.inFlight).toBe(0));
      expect(await b.db.blobs.count()).toBe(0);
      expect(await b.db.chunks.count()).toBe(0);
    }
  });

  it('tells every piece sent after a refused one the same refusal', async () => {
    const { b, bundle } = await nineDocumentBundle(inlineCipherPool());
    const damaged = bundle.slice();
    damaged[Math.floor(damaged.byteLength / 2)]! ^= 1;
    const importId = await b.vault.beginBundleImport();
    const pieces = await sendAllAtOnce(b.vault, importId, damaged);
    const refusals = pieces.filter((piece) => piece.status === 'rejected');
    expect(refusals.length).toBeGreaterThan(1);
    for (const refusal of refusals) expect(refusal.reason).toMatchObject({ code: 'bundle-refused' });
    expect(await b.db.blobs.count()).toBe(0);
    expect(await b.db.chunks.count()).toBe(0);
  });
});

describe('document bytes in libsodium memory', () => {
  it('leaves no copy of a document behind after it is attached, checked, sent and received', async () => {
    const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    const inHeap = (needle: Uint8Array) => Buffer.from(heap()).includes(Buffer.from(needle));
    const { a, b, first, request } = await twoVaults();
    // Incompressible and unique: any 32 bytes of it found in memory can only be a leftover copy.
    const content = sodium.randombytes_buf(2 * 1024 * 1024 + 12_345);
    const document = await attach(a.vault, first.id, 'scan.bin', content);
    expect((await a.vault.verifyDocument(first.id, document.id)).ok).toBe(true);
    const bundle = await exportAll(a.vault, {
      cases: [{ caseId: first.id, documentIds: [document.id], annotations: false, hearings: false, timeline: false }],
      recipients: request.recipients,
      includeSelf: false,
      includeCustodyLog: false,
    });
    const { importId } = await importAll(b.vault, bundle, 1024 * 1024);
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });
    for (const offset of [0, 64 * 1024 + 7, 1024 * 1024, content.byteLength - 32])
      expect(inHeap(content.subarray(offset, offset + 32))).toBe(false);
    // Scans the whole WebAssembly heap several times: 13-16 s on an idle 2-core machine.
  }, 60_000);
});
