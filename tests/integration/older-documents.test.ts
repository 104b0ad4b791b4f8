import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { extractAndStoreOfficeText, mayHaveOfficeText } from '../../renderer/src/documents/office';
import { officeTextWorkerApi } from '../../renderer/src/documents/office/office-text-worker-api';
import { hasGenericStoredType } from '../../renderer/src/documents/viewed-type';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import type * as SniffModule from '../../renderer/src/vault/worker/sniff';
import { inThreadWorkers } from '../support/in-thread-worker';
import { attach, codeOf, fixture, newVault } from '../support/vault-service';

/** While set, intake types files as the first versions did: no office types, no HEIF brands. */
const sniffAsBefore = vi.hoisted(() => ({ on: false }));
vi.mock('../../renderer/src/vault/worker/sniff', async (importOriginal) => {
  const actual = await importOriginal<typeof SniffModule>();
  return {
    ...actual,
    sniffType: (head: Uint8Array, name: string) => {
      const now = actual.sniffType(head, name);
      if (!sniffAsBefore.on) return now;
      if (now.mimeType.startsWith('image/hei')) return { kind: 'video', mimeType: 'video/mp4' };
      if (now.kind === 'other') return { kind: 'other', mimeType: 'application/octet-stream' };
      return now;
    },
  };
});

beforeAll(async () => {
  await sodium.ready;
  vi.stubGlobal('Worker', inThreadWorkers(officeTextWorkerApi).Worker);
});

describe('documents attached before their type was known', () => {
  it('are sniffed again when opened, get their text, and keep their record, kind, case, bytes and SHA-256', async () => {
    const { vault } = await newVault('older-documents');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Older documents' });
    sniffAsBefore.on = true;
    const docx = await attach(vault, caseId, 'hearing note', fixture('office-note.docx'));
    const heic = await attach(vault, caseId, 'IMG_0001', fixture('photo-with-gps.heic'));
    sniffAsBefore.on = false;
    expect(docx).toMatchObject({ kind: 'other', mimeType: 'application/octet-stream' });
    expect(heic).toMatchObject({ kind: 'video', mimeType: 'video/mp4' });
    // What an earlier version left: no text for the office file (it read none).
    expect(await vault.getDocumentText(caseId, docx.id)).toBeNull();
    expect(mayHaveOfficeText(docx)).toBe(false);
    expect(hasGenericStoredType(docx) && hasGenericStoredType(heic)).toBe(true);

    // Opened now: the viewer sees what the bytes are.
    const docxType = await vault.sniffDocument(caseId, docx.id);
    expect(docxType).toEqual({
      kind: 'other',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(await vault.sniffDocument(caseId, heic.id)).toEqual({ kind: 'image', mimeType: 'image/heic' });

    // Its text is extracted on opening (useOfficeText), stored as any office file's, and found by search.
    const viewed = { ...docx, ...docxType };
    expect(mayHaveOfficeText(viewed)).toBe(true);
    const text = await extractAndStoreOfficeText(vault, viewed);
    expect(text?.extractor).toBe('docx-text 1');
    expect(await vault.getDocumentText(caseId, docx.id)).toEqual(text);
    const hits = (await vault.search('ពន្យារពេល')).filter((hit) => hit.kind === 'page').map((hit) => hit.title);
    expect(hits).toEqual(['hearing note']);

    // The records are exactly as they were stored, and the bytes still hash to their SHA-256.
    const listed = await vault.listDocuments(caseId);
    expect(listed).toEqual([docx, heic]);
    for (const document of [docx, heic])
      expect(await vault.verifyDocument(caseId, document.id)).toEqual({ ok: true, sha256: document.sha256 });
  });

  it('are sniffed only within their own case, and an empty file stays as it is', async () => {
    const { vault } = await newVault('older-documents');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'One' });
    const { id: otherCase } = await vault.createCase({ ...emptyCaseFields(), title: 'Two' });
    const docx = await attach(vault, caseId, 'note.docx', fixture('office-note.docx'));
    expect(await codeOf(vault.sniffDocument(otherCase, docx.id))).toBe('not-found');
    const empty = await attach(vault, caseId, 'empty', new Uint8Array(0));
    expect(await vault.sniffDocument(caseId, empty.id)).toEqual({
      kind: 'other',
      mimeType: 'application/octet-stream',
    });
    expect(hasGenericStoredType(empty)).toBe(false);
  });
});
