import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { extractAndStoreOfficeText, OfficeTextError } from '../../renderer/src/documents/office';
import { officeTextWorkerApi } from '../../renderer/src/documents/office/office-text-worker-api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { inThreadWorkers } from '../support/in-thread-worker';
import { attach, fixture, newVault } from '../support/vault-service';

beforeAll(async () => {
  await sodium.ready;
  // The office-text worker, its script run in this thread (what crosses is cloned or moved, as between threads).
  vi.stubGlobal('Worker', inThreadWorkers(officeTextWorkerApi).Worker);
});

describe('office files and phone photos in the vault', () => {
  it("are typed by their bytes, and the text of DOCX, ODT and XLSX is stored (as a PDF's is) and found by search", async () => {
    const { vault } = await newVault('office');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Koet Saray' });
    // Names that lie: the type comes from the bytes.
    const docx = await attach(vault, caseId, 'note.bin', fixture('office-note.docx'));
    const odt = await attach(vault, caseId, 'note-odt', fixture('office-note.odt'));
    const xlsx = await attach(vault, caseId, 'sheet.docx', fixture('office-sheet.xlsx'));
    const heic = await attach(vault, caseId, 'IMG_0001.jpg', fixture('photo-with-gps.heic'));
    expect(docx).toMatchObject({
      kind: 'other',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(odt).toMatchObject({ kind: 'other', mimeType: 'application/vnd.oasis.opendocument.text' });
    expect(xlsx).toMatchObject({
      kind: 'other',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(heic).toMatchObject({ kind: 'image', mimeType: 'image/heic' });

    for (const document of [docx, odt, xlsx]) {
      const text = await extractAndStoreOfficeText(vault, document);
      expect(await vault.getDocumentText(caseId, document.id)).toEqual(text);
    }
    expect(await extractAndStoreOfficeText(vault, heic)).toBeNull();

    const found = async (query: string) =>
      (await vault.search(query))
        .filter((hit) => hit.kind === 'page')
        .map((hit) => hit.title)
        .sort();
    expect(await found('reportée défense')).toEqual(['note-odt', 'note.bin', 'sheet.docx']);
    expect(await found('ពន្យារពេល')).toEqual(['note-odt', 'note.bin', 'sheet.docx']);
    expect(await found('Tribunal')).toEqual(['note-odt', 'note.bin']);
  });

  it('a zip bomb is attached as a file, its text is refused with a reason, and nothing is stored', async () => {
    const { vault } = await newVault('office');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Bombs' });
    const paragraph = '<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>';
    const bomb = zipSync(
      {
        '_rels/.rels': strToU8(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
            '</Relationships>',
        ),
        'word/document.xml': strToU8(
          `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraph.repeat(300_000)}</w:body></w:document>`,
        ),
      },
      { level: 1 },
    );
    const document = await attach(vault, caseId, 'bomb.docx', bomb);
    const failure = await extractAndStoreOfficeText(vault, document).then(
      () => 'stored',
      (error: unknown) => (error instanceof OfficeTextError ? error.reason : 'other'),
    );
    expect(failure).toBe('too-large');
    expect(await vault.getDocumentText(caseId, document.id)).toBeNull();
    expect((await vault.listDocuments(caseId)).map((listed) => listed.name)).toEqual(['bomb.docx']);
  });
});
