import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations/anchoring';
import { emptyCaseFields, type AnnotationFields } from '../../renderer/src/vault/model';
import { draftNames } from '../../renderer/src/vault/draft-names';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { koetSarayHearing } from '../fixtures/hearings';
import { attach, codeOf, fixture, newVault, passphraseBytes } from '../support/vault-service';

const PAGE = 'The defence lawyer was absent when the hearing opened, and the judge refused an adjournment.';

async function vaultWithDocument() {
  const { db, vault } = await newVault('annotations');
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Annotated case' });
  const document = await attach(vault, caseId, 'letter.txt', fixture('mission-letter-koet-saray-2025-07-17.txt'));
  return { db, vault, caseId, document };
}

function highlight(documentId: string, quote: string, extra: Partial<AnnotationFields> = {}): AnnotationFields {
  const at = PAGE.indexOf(quote);
  return {
    documentId,
    color: 'yellow',
    note: 'Zqnote lawyer missing at the opening',
    tags: ['Zqtag presumption of innocence', 'Criminal Code art. 494'],
    link: null,
    target: {
      kind: 'text',
      extractor: 'utf-8',
      segments: [{ ...describeSegment(PAGE, 0, at, at + quote.length), rects: [] }],
    },
    ...extra,
  };
}

async function rawDump(db: VaultDatabase): Promise<string> {
  const tables = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify(tables, (_key, value: unknown) =>
    value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : value,
  );
}

beforeAll(async () => {
  await sodium.ready;
});

describe('annotations in the vault', () => {
  it('creates, lists in reading order, edits and deletes, each logged, and keeps them across a lock', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    const later = await vault.createAnnotation(caseId, highlight(document.id, 'refused an adjournment'));
    const first = await vault.createAnnotation(caseId, highlight(document.id, 'defence lawyer was absent'));
    expect(first.source).toBe(document.sha256);

    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect((await vault.listAnnotations(caseId, document.id)).map((annotation) => annotation.id)).toEqual([
      first.id,
      later.id,
    ]);

    const edited = await vault.updateAnnotation(caseId, first.id, {
      ...highlight(document.id, 'defence lawyer was absent'),
      color: 'pink',
      note: 'Edited',
    });
    expect(edited).toMatchObject({ color: 'pink', note: 'Edited', createdAt: first.createdAt });
    await vault.deleteAnnotation(caseId, later.id);
    expect((await vault.listAnnotations(caseId)).map((annotation) => annotation.id)).toEqual([first.id]);

    const entries = await vault.caseHistory(caseId);
    const annotationLog = entries.filter((entry) => entry.targetKind === 'annotation').map((entry) => entry.action);
    expect(annotationLog).toEqual(['annotated', 'annotated', 'edited', 'deleted']);
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('refuses invalid annotations and annotations of a document from another case', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    await expect(
      vault.createAnnotation(caseId, { ...highlight(document.id, 'judge'), color: 'purple' as 'pink' }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
    });
    const empty = highlight(document.id, 'judge');
    if (empty.target.kind === 'text') empty.target.segments[0]!.end = empty.target.segments[0]!.start;
    await expect(vault.createAnnotation(caseId, empty)).rejects.toMatchObject({ code: 'invalid-input' });
    const { id: otherCase } = await vault.createCase({ ...emptyCaseFields(), title: 'Other' });
    await expect(vault.createAnnotation(otherCase, highlight(document.id, 'judge'))).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(await vault.listAnnotations(caseId)).toEqual([]);
  });

  it('keeps both of two annotations created at once on the same page', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    await Promise.all([
      vault.createAnnotation(caseId, highlight(document.id, 'judge')),
      vault.createAnnotation(caseId, highlight(document.id, 'hearing')),
    ]);
    expect(await vault.listAnnotations(caseId)).toHaveLength(2);
  });

  it('stores region annotations with a transcription (scans, photos)', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    const region = await vault.createAnnotation(caseId, {
      ...highlight(document.id, 'judge'),
      target: {
        kind: 'region',
        page: null,
        rect: { x: 10, y: 20, width: 300, height: 80 },
        transcription: 'Stamp of the court',
      },
    });
    expect((await vault.listAnnotations(caseId, document.id))[0]).toEqual(region);
  });

  it('lists regions top first on images (y down) and on PDF pages (y up)', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    const region = (page: number | null, y: number, note: string): AnnotationFields => ({
      ...highlight(document.id, 'judge'),
      note,
      target: { kind: 'region', page, rect: { x: 0, y, width: 10, height: 10 }, transcription: '' },
    });
    await vault.importAnnotations(caseId, [
      region(null, 300, 'image lower'),
      region(null, 10, 'image top'),
      region(1, 100, 'pdf lower'),
      region(1, 700, 'pdf top'),
    ]);
    expect((await vault.listAnnotations(caseId)).map((annotation) => annotation.note)).toEqual([
      'image top',
      'image lower',
      'pdf top',
      'pdf lower',
    ]);
  });

  it('deleting a document deletes its annotations in the same commit, logged', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    const annotation = await vault.createAnnotation(caseId, highlight(document.id, 'judge'));
    await vault.deleteDocument(caseId, document.id);
    expect(await vault.listAnnotations(caseId)).toEqual([]);
    const entries = await vault.caseHistory(caseId);
    expect(entries.some((entry) => entry.targetId === annotation.id && entry.action === 'deleted')).toBe(true);
  });

  it('imports many annotations in one transaction, or none when one is invalid', async () => {
    const { vault, caseId, document } = await vaultWithDocument();
    const imported = await vault.importAnnotations(caseId, [
      highlight(document.id, 'judge'),
      highlight(document.id, 'defence lawyer'),
    ]);
    expect(imported.map((record) => record.source)).toEqual([document.sha256, document.sha256]);
    const bad = { ...highlight(document.id, 'judge'), color: 'purple' as 'pink' };
    await expect(vault.importAnnotations(caseId, [highlight(document.id, 'hearing'), bad])).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await vault.listAnnotations(caseId)).toHaveLength(2);
    const history = await vault.caseHistory(caseId);
    expect(history.filter((entry) => entry.action === 'imported')).toHaveLength(2);
  });

  it('stores one record per annotated page, and moves an annotation whose page changes', async () => {
    const { db, vault, caseId, document } = await vaultWithDocument();
    const before = await db.records.count();
    await vault.importAnnotations(caseId, [
      highlight(document.id, 'judge'),
      highlight(document.id, 'defence lawyer'),
      highlight(document.id, 'hearing'),
    ]);
    expect(await db.records.count()).toBe(before + 1);
    const [first] = await vault.listAnnotations(caseId);
    const moved = highlight(document.id, 'judge');
    if (moved.target.kind === 'text') moved.target.segments[0]!.page = 4;
    await vault.updateAnnotation(caseId, first!.id, moved);
    expect(await db.records.count()).toBe(before + 2);
    const pages = (await vault.listAnnotations(caseId)).map((annotation) =>
      annotation.target.kind === 'text' ? annotation.target.segments[0]!.page : -1,
    );
    expect(pages).toEqual([0, 0, 4]);
    for (const annotation of await vault.listAnnotations(caseId)) await vault.deleteAnnotation(caseId, annotation.id);
    expect(await db.records.count()).toBe(before);
  });

  it('keeps no quote, note or tag readable at rest', async () => {
    const { db, vault, caseId, document } = await vaultWithDocument();
    await vault.createAnnotation(caseId, highlight(document.id, 'defence lawyer was absent'));
    const dump = await rawDump(db);
    expect(dump.length).toBeGreaterThan(1000);
    for (const marker of ['defence lawyer was absent', 'Zqnote', 'Zqtag', 'art. 494'])
      expect(dump).not.toContain(marker);
  });
});

describe('drafts of long text (an annotation note, a document provenance)', () => {
  it('are sealed under the case, survive a lock, and go in the commit that deletes the case', async () => {
    const { db, vault, caseId, document } = await vaultWithDocument();
    const annotation = await vault.createAnnotation(caseId, highlight(document.id, 'judge'));
    // The names the editors use (AnnotationSidebar, ProvenanceForm).
    const noteDraft = `case:${caseId}/annotation:${annotation.id}`;
    const provenanceDraft = `case:${caseId}/provenance:${document.id}`;
    const before = new Set(await db.records.toCollection().primaryKeys());
    await vault.saveDraft(noteDraft, { note: 'Zqdraftnote typed, not saved', transcription: '' });
    await vault.saveDraft(provenanceDraft, { description: 'Zqdraftprovenance handed over at the court' });
    const draftRows = (await db.records.toArray()).filter((row) => !before.has(row.id));
    expect(draftRows).toHaveLength(2);
    // Owned by the case (its blind id, the owner of the case's own rows), not vault-wide.
    const caseRowOwners = new Set((await db.records.toArray()).filter((row) => before.has(row.id)).map((r) => r.owner));
    for (const row of draftRows) {
      expect(row.owner).not.toBe('');
      expect(caseRowOwners).toContain(row.owner);
    }
    expect(await rawDump(db)).not.toContain('Zqdraft');

    await vault.lock();
    await vault.unlock(passphraseBytes());
    expect(await vault.loadDraft(noteDraft)).toEqual({ note: 'Zqdraftnote typed, not saved', transcription: '' });

    // One transaction: watched from the database, the drafts and the case leave together.
    const deleted: { draft: boolean; transaction: unknown }[] = [];
    db.records.hook('deleting', (id: string, _row, transaction) => {
      deleted.push({ draft: draftRows.some((row) => row.id === id), transaction });
    });
    await vault.deleteCase(caseId);
    expect(deleted.filter((entry) => entry.draft)).toHaveLength(2);
    expect(new Set(deleted.map((entry) => entry.transaction)).size).toBe(1);
    expect(await db.records.bulkGet(draftRows.map((row) => row.id))).toEqual([undefined, undefined]);
    await vault.createCase({ ...emptyCaseFields(), title: 'Another case' });
    expect(await vault.loadDraft(noteDraft)).toBeUndefined();
    expect(await vault.loadDraft(provenanceDraft)).toBeUndefined();
  });

  it('go with what they are drafts of: an annotation, a document (its provenance, its annotations), a hearing, an event', async () => {
    const { db, vault, caseId, document } = await vaultWithDocument();
    const other = await attach(vault, caseId, 'other.txt', fixture('khmer-hearing-note.txt'));
    const [onDocument, alone, onOther] = [
      await vault.createAnnotation(caseId, highlight(document.id, 'judge')),
      await vault.createAnnotation(caseId, highlight(document.id, 'absent')),
      await vault.createAnnotation(caseId, highlight(other.id, 'judge')),
    ];
    const hearing = await vault.saveHearing(caseId, null, koetSarayHearing());
    const event = await vault.saveTimelineEvent(caseId, null, {
      kind: 'arrest',
      date: '2024-03',
      person: 'Koet Saray',
      description: '',
      sources: [],
    });
    const drafts = {
      provenance: draftNames.provenance(caseId, document.id),
      note: draftNames.annotation(caseId, onDocument.id),
      aloneNote: draftNames.annotation(caseId, alone.id),
      otherProvenance: draftNames.provenance(caseId, other.id),
      otherNote: draftNames.annotation(caseId, onOther.id),
      hearing: draftNames.hearing(caseId, hearing.id),
      event: draftNames.event(caseId, event.id),
      caseForm: draftNames.case(caseId),
    };
    for (const name of Object.values(drafts)) await vault.saveDraft(name, { note: `Zqdraft ${name}` });
    const stored = async (name: string) => (await vault.loadDraft(name)) !== undefined;

    // An annotation deleted: its note's draft goes, in the same transaction; the others stay.
    const transactions = new Set<unknown>();
    const watch = (_id: string, _row: unknown, transaction: unknown) => void transactions.add(transaction);
    db.records.hook('deleting', watch);
    await vault.deleteAnnotation(caseId, alone.id);
    db.records.hook('deleting').unsubscribe(watch);
    expect(transactions.size).toBe(1);
    expect(await stored(drafts.aloneNote)).toBe(false);
    expect(await stored(drafts.note)).toBe(true);

    // A document deleted: its provenance draft and its annotations' drafts go; the other document's stay.
    await vault.deleteDocument(caseId, document.id);
    expect(await stored(drafts.provenance)).toBe(false);
    expect(await stored(drafts.note)).toBe(false);
    expect(await stored(drafts.otherProvenance)).toBe(true);
    expect(await stored(drafts.otherNote)).toBe(true);

    // A hearing and a timeline event deleted: their form drafts go.
    await vault.deleteHearing(caseId, hearing.id);
    await vault.deleteTimelineEvent(caseId, event.id);
    expect(await stored(drafts.hearing)).toBe(false);
    expect(await stored(drafts.event)).toBe(false);
    // Left: the other document's two and the case form's.
    const left = [];
    for (const [what, name] of Object.entries(drafts)) if (await stored(name)) left.push(what);
    expect(left).toEqual(['otherProvenance', 'otherNote', 'caseForm']);
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('are refused when their name starts "case:" without naming a case, or when they are too large', async () => {
    const { db, vault, caseId } = await vaultWithDocument();
    const rows = await db.records.count();
    for (const name of [`case:${caseId.toUpperCase()}`, 'case:', `case:${caseId}/`, `case:${caseId}x`, 'x'.repeat(201)])
      expect(await codeOf(vault.saveDraft(name, { note: 'Zqdraft' }))).toBe('invalid-input');
    expect(await codeOf(vault.loadDraft('case:not-a-case'))).toBe('invalid-input');
    expect(await codeOf(vault.saveDraft(draftNames.case(caseId), { note: 'x'.repeat(8 * 1024 * 1024) }))).toBe(
      'invalid-input',
    );
    expect(await db.records.count()).toBe(rows);
    // A new case's form is vault-wide; names that are not about a case too.
    await vault.saveDraft(draftNames.case(null), { title: 'not saved yet' });
    await vault.saveDraft('case-form:new', { title: 'an older name' });
    expect(await vault.loadDraft(draftNames.case(null))).toEqual({ title: 'not saved yet' });
  });
});
