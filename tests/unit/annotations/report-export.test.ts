import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { annotationRows, annotationsCsv, annotationsMarkdown } from '../../../renderer/src/annotations/report-export';
import { emptyProvenance, type AnnotationRecord, type DocumentRecord } from '../../../renderer/src/vault';

const document: DocumentRecord = {
  id: '1'.repeat(32),
  caseId: '2'.repeat(32),
  blobId: '3'.repeat(32),
  name: 'verdict [draft].pdf',
  size: 1,
  mimeType: 'application/pdf',
  kind: 'pdf',
  sha256: 'c'.repeat(64),
  intakeAt: 0,
  intakeBy: 'me',
  provenance: emptyProvenance(),
};

const annotation: AnnotationRecord = {
  id: '4'.repeat(32),
  caseId: document.caseId,
  documentId: document.id,
  source: document.sha256,
  color: 'yellow',
  note: '=HYPERLINK("http://evil.example","click")',
  tags: ['Criminal Code art. 494', 'fair trial'],
  link: null,
  target: {
    kind: 'text',
    extractor: 'pdf.js 6.5.438',
    segments: [
      { page: 11, start: 0, end: 9, quote: { exact: 'sentenced *to* 4 years', prefix: '', suffix: '' }, rects: [] },
    ],
  },
  createdAt: 0,
  updatedAt: 0,
  createdBy: 'me',
};

describe('annotation reports', () => {
  it('gives one row per annotation with document name, SHA-256 and the page as people count it', () => {
    expect(annotationRows([annotation], [document])[0]).toMatchObject({
      document: 'verdict [draft].pdf',
      sha256: 'c'.repeat(64),
      page: 12,
      quote: 'sentenced *to* 4 years',
      tags: 'Criminal Code art. 494; fair trial',
    });
  });

  it('writes CSV that parses back, with formulas defused', () => {
    const csv = annotationsCsv(annotationRows([annotation], [document]));
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true }).data[0]!;
    expect(parsed.document).toBe('verdict [draft].pdf');
    expect(parsed.note).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(parsed.page).toBe('12');
  });

  it('writes Markdown where quoted text cannot become markup', () => {
    const markdown = annotationsMarkdown('Koet Saray', annotationRows([annotation], [document]));
    expect(markdown).toContain('## verdict \\[draft\\]\\.pdf');
    expect(markdown).toContain(`SHA-256: \`${'c'.repeat(64)}\``);
    expect(markdown).toContain('**p. 12** (highlight) > sentenced \\*to\\* 4 years');
  });
});
