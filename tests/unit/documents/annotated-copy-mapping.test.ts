import { describe, expect, it } from 'vitest';
import {
  annotatedCopyName,
  annotatedCopySummary,
  PDF_COLORS,
  pdfAnnotationSpecs,
} from '../../../renderer/src/documents/annotated-copy';
import type { AnnotationRecord, CustodyEntryView, DocumentRecord } from '../../../renderer/src/vault';
import en from '../../../renderer/src/i18n/locales/en.json';

const ID = 'a'.repeat(32);
const base = {
  id: ID,
  caseId: 'c'.repeat(32),
  documentId: 'd'.repeat(32),
  source: 'f'.repeat(64),
  color: 'yellow' as const,
  tags: [],
  link: null,
  createdAt: Date.UTC(2026, 0, 2, 3, 4),
  updatedAt: Date.UTC(2026, 0, 5, 6, 7),
  createdBy: 'actor',
};
const quote = { exact: 'quote', prefix: '', suffix: '' };

describe('a stored annotation as PDF annotation dictionaries', () => {
  it('gives a cross-page highlight one Highlight per page, its quads from the rectangles drawn (bottom-left origin)', () => {
    const record: AnnotationRecord = {
      ...base,
      note: 'កំណត់ចំណាំ of the monitor',
      target: {
        kind: 'text',
        extractor: 'pdf.js 6.5.438',
        segments: [
          {
            page: 2,
            start: 0,
            end: 5,
            quote,
            rects: [
              { x: 72, y: 700, width: 100, height: 12 },
              { x: 72, y: 686, width: 40.1234, height: 12 },
            ],
          },
          { page: 3, start: 0, end: 5, quote, rects: [{ x: 80, y: 750, width: 20, height: 10 }] },
        ],
      },
    };
    const specs = pdfAnnotationSpecs(record);
    expect(specs).toHaveLength(2);
    expect(specs[0]).toEqual({
      page: 2,
      subtype: 'Highlight',
      rect: [72, 686, 172, 712],
      // Upper-left, upper-right, lower-left, lower-right, per rectangle.
      quadPoints: [72, 712, 172, 712, 72, 700, 172, 700, 72, 698, 112.123, 698, 72, 686, 112.123, 686],
      contents: 'កំណត់ចំណាំ of the monitor',
      color: PDF_COLORS.yellow,
      name: ID,
      created: base.createdAt,
      modified: base.updatedAt,
    });
    expect(specs[1]).toMatchObject({
      page: 3,
      rect: [80, 750, 100, 760],
      quadPoints: [80, 760, 100, 760, 80, 750, 100, 750],
    });
  });

  it('gives a region a Square with the note and its transcription; none for a region on an image', () => {
    const region = (page: number | null): AnnotationRecord => ({
      ...base,
      color: 'blue',
      note: 'Signature',
      target: { kind: 'region', page, rect: { x: 10, y: 20, width: 30, height: 40 }, transcription: ' ហត្ថលេខា ' },
    });
    expect(pdfAnnotationSpecs(region(0))).toEqual([
      {
        page: 0,
        subtype: 'Square',
        rect: [10, 20, 40, 60],
        quadPoints: null,
        contents: 'Signature\n\n“ហត្ថលេខា”',
        color: PDF_COLORS.blue,
        name: ID,
        created: base.createdAt,
        modified: base.updatedAt,
      },
    ]);
    expect(pdfAnnotationSpecs(region(null))).toEqual([]);
  });

  it('skips a segment with no rectangle to draw (a plain-text document) and keeps an empty note empty', () => {
    const record: AnnotationRecord = {
      ...base,
      note: '  ',
      target: {
        kind: 'text',
        extractor: 'utf-8',
        segments: [
          { page: 0, start: 0, end: 5, quote, rects: [] },
          { page: 1, start: 0, end: 5, quote, rects: [{ x: 1, y: 2, width: 3, height: 4 }] },
        ],
      },
    };
    expect(pdfAnnotationSpecs(record).map((spec) => [spec.page, spec.contents])).toEqual([[1, '']]);
  });
});

describe('the annotated copy’s name and summary page', () => {
  it('names the copy beside the original', () => {
    expect(annotatedCopyName('report.pdf')).toBe('report (annotated).pdf');
    expect(annotatedCopyName('REPORT.PDF')).toBe('REPORT (annotated).pdf');
    expect(annotatedCopyName('scan')).toBe('scan (annotated).pdf');
    expect(annotatedCopyName('.pdf')).toBe('.pdf (annotated).pdf');
  });

  // The catalog itself, without i18next: a key missing from it shows as the key, and the test fails.
  const lookup = (key: string, values: Record<string, unknown> = {}) => {
    const plural = typeof values.count === 'number' ? (values.count === 1 ? '_one' : '_other') : '';
    let node: unknown = en;
    for (const part of `${key}${plural}`.split('.')) node = (node as Record<string, unknown>)[part];
    if (typeof node !== 'string') return key;
    return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
  };
  const t = lookup as unknown as Parameters<typeof annotatedCopySummary>[1];

  const document: DocumentRecord = {
    id: 'd'.repeat(32),
    caseId: 'c'.repeat(32),
    blobId: 'b'.repeat(32),
    name: 'សេចក្តីសម្រេច.pdf',
    size: 34208,
    mimeType: 'application/pdf',
    kind: 'pdf',
    sha256: '0123456789abcdef'.repeat(4),
    intakeAt: Date.UTC(2026, 1, 3, 4, 5),
    intakeBy: 'actor',
    provenance: {
      obtainedFrom: 'Zqsource the lawyer of the accused',
      obtainedWhere: 'Phnom Penh',
      originalDate: '2025-07',
      description: '',
      language: 'km',
    },
  };
  const entry = (seq: number, targetKind: string, targetId: string): CustodyEntryView => ({
    seq,
    time: Date.UTC(2026, 1, 3, 4, seq),
    actor: 'actor',
    action: seq === 1 ? 'attached' : 'annotated',
    targetKind,
    targetId,
    caseId: document.caseId,
    hash: String(seq % 10).repeat(64),
  });

  it('names the original with its hash and provenance, leaves the source out, lists the custody entries about it', () => {
    const annotation = {
      ...base,
      note: '',
      target: { kind: 'region', page: 0, rect: { x: 0, y: 0, width: 1, height: 1 }, transcription: '' },
    } as AnnotationRecord;
    const lines = annotatedCopySummary(
      {
        document,
        annotations: [annotation],
        written: 1,
        history: [
          entry(3, 'annotation', ID),
          entry(1, 'document', document.id),
          entry(2, 'document', 'e'.repeat(32)),
          entry(4, 'case', document.caseId),
        ],
        appVersion: '0.1.0',
        now: Date.UTC(2026, 11, 3, 8, 0),
      },
      t,
    );
    const text = lines.map((line) => line.text);
    expect(text).toContain('File name: សេចក្តីសម្រេច.pdf');
    expect(text).toContain(`SHA-256: ${document.sha256}`);
    expect(text).toContain('Taken into the vault: 2026-02-03 04:05 UTC');
    expect(text).toContain('Obtained where: Phnom Penh');
    expect(text.join('\n')).not.toContain('Zqsource');
    expect(text.some((line) => line.startsWith('Who it was obtained from'))).toBe(true);
    expect(text.filter((line) => line.startsWith('#'))).toEqual([
      `#1  2026-02-03 04:01 UTC  Attached  document  ${'1'.repeat(16)}`,
      `#3  2026-02-03 04:03 UTC  Annotated  annotation  ${'3'.repeat(16)}`,
    ]);
    expect(text.some((line) => line.includes('annotatedCopy.') || line.includes('log.'))).toBe(false);
  });
});
