import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DocumentRecord, DocumentText, VaultClient } from '../../../renderer/src/vault';

// The app's pdfjs.ts on pdf.js's build for Node (mocks in place before the app's modules load below).
import '../../support/pdfjs-in-node';

const { extractPdfText, readPdfSourceFacts } = await import('../../../renderer/src/documents/extract-text');
const { annotatedSources } = await import('../../../renderer/src/annotations/annotated-sources');
const { toWebAnnotation } = await import('../../../renderer/src/annotations/web-annotation');
const { documentTextSchema } = await import('../../../renderer/src/vault/model');
const { annotationProblems } = await import('../../support/web-annotation-model');
const { photo, scan, scanRegion } = await import('../../support/annotation-fixtures');

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

/** A vault client that holds one stored text per document and the fixture's bytes, counting reads of the bytes. */
function fakeVault(texts: Map<string, DocumentText | null>, file: string) {
  const reads: string[] = [];
  const vault = {
    getDocumentText: (_caseId: string, documentId: string) => Promise.resolve(texts.get(documentId) ?? null),
    readDocument: (_caseId: string, documentId: string) => {
      reads.push(documentId);
      return Promise.resolve(fixture(file));
    },
  } as unknown as VaultClient;
  return { vault, reads };
}

describe('PDF fingerprint and page boxes, kept for annotation exports', () => {
  it('are read at intake with the text of a scanned PDF, and the text record takes them', async () => {
    const text = await extractPdfText(fixture('scanned-letter-no-text-layer.pdf'));
    expect(text.fingerprint).toMatch(/^[0-9a-f]{32,}$/);
    expect(text.pages[0]).toMatchObject({ hasText: false, box: [0, 0, expect.any(Number), expect.any(Number)] });
    expect(documentTextSchema.parse(text)).toEqual(text);
    // Read again from the bytes alone (texts stored before they were kept): the same facts.
    expect(await readPdfSourceFacts(fixture('scanned-letter-no-text-layer.pdf'))).toEqual({
      fingerprint: text.fingerprint,
      boxes: text.pages.map((page) => page.box),
    });
    expect(await readPdfSourceFacts(fixture('password-khmer-aes256.pdf'))).toBeNull();
  });

  it('give a scanned-page region its top-left viewrect and the PDF its urn:x-pdf name in the export', async () => {
    const text = await extractPdfText(fixture('scanned-letter-no-text-layer.pdf'));
    const stored = { ...scan, size: 1000 } satisfies DocumentRecord;
    const { vault, reads } = fakeVault(new Map([[scan.id, text]]), 'scanned-letter-no-text-layer.pdf');
    const sources = await annotatedSources(vault, [stored, photo], { readMissing: true });
    expect(reads).toEqual([]);
    expect(sources.get(photo.id)).toEqual({ kind: 'image', mimeType: 'image/jpeg' });
    const annotation = toWebAnnotation(scanRegion, sources.get(scan.id), { language: 'en' });
    expect(annotationProblems(JSON.parse(JSON.stringify(annotation)))).toEqual([]);
    const height = text.pages[0]!.box![3];
    const rect = scanRegion.target.kind === 'region' ? scanRegion.target.rect : null;
    expect(annotation.target).toMatchObject({
      source: { sameAs: `urn:x-pdf:${text.fingerprint}` },
      selector: {
        value: `page=1&viewrect=${rect!.x},${Math.round((height - rect!.y - rect!.height) * 100) / 100},${rect!.width},${rect!.height}`,
      },
    });
  });

  it('are read from the PDF itself at export when its stored text predates them', async () => {
    const text = await extractPdfText(fixture('scanned-letter-no-text-layer.pdf'));
    const old: DocumentText = {
      extractor: text.extractor,
      pages: text.pages.map(({ text, hasText }) => ({ text, hasText })),
    };
    const stored = { ...scan, size: 1000 } satisfies DocumentRecord;
    const { vault, reads } = fakeVault(new Map([[scan.id, old]]), 'scanned-letter-no-text-layer.pdf');
    expect((await annotatedSources(vault, [stored], { readMissing: false })).get(scan.id)?.fingerprint).toBeUndefined();
    expect(reads).toEqual([]);
    const sources = await annotatedSources(vault, [stored], { readMissing: true });
    expect(reads).toEqual([scan.id]);
    expect(sources.get(scan.id)).toEqual({
      kind: 'pdf',
      mimeType: 'application/pdf',
      fingerprint: text.fingerprint,
      pageBoxes: text.pages.map((page) => page.box),
    });
  });
});
