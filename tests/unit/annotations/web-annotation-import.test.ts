import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { niName, sha256OfName } from '../../../renderer/src/annotations/document-names';
import { toAnnotationCollection, toWebAnnotation } from '../../../renderer/src/annotations/web-annotation';
import { fromWebAnnotations } from '../../../renderer/src/annotations/web-annotation-import';
import type { AnnotationRecord, DocumentRecord } from '../../../renderer/src/vault';
import {
  CASE_ID,
  DOCUMENTS,
  EVERY_KIND,
  SCAN_BOX,
  SOURCES,
  fieldsOf,
  highlight,
  otherCase,
  scan,
  scanRegion,
} from '../../support/annotation-fixtures';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const exportOf = (records: readonly AnnotationRecord[]) =>
  asJson(toAnnotationCollection(records, { caseId: CASE_ID, label: 'Case', documents: SOURCES, language: 'en' }));

/** The records' fields as they would be in the case holding `documents` (same files, matched by hash). */
function placedIn(records: readonly AnnotationRecord[], documents: readonly DocumentRecord[]) {
  return records.map((record) => {
    const source = DOCUMENTS.find((document) => document.id === record.documentId)!;
    return { ...fieldsOf(record), documentId: documents.find((document) => document.sha256 === source.sha256)!.id };
  });
}

describe('W3C Web Annotation import', () => {
  const every = Object.values(EVERY_KIND);

  it('round-trips every kind of annotation to the same place in the same case', () => {
    const imported = fromWebAnnotations(exportOf(every), DOCUMENTS);
    expect(imported).toEqual({ annotations: placedIn(every, DOCUMENTS), unmatched: 0, unreadable: 0 });
  });

  it('round-trips every kind of annotation to the same place in another case holding the same files', () => {
    const documents = otherCase(DOCUMENTS);
    const imported = fromWebAnnotations(exportOf(every), documents);
    expect(imported).toEqual({ annotations: placedIn(every, documents), unmatched: 0, unreadable: 0 });
  });

  it('reads a single annotation and an empty collection', () => {
    expect(
      fromWebAnnotations(asJson(toWebAnnotation(highlight, SOURCES.get(highlight.documentId))), DOCUMENTS).annotations,
    ).toEqual([fieldsOf(highlight)]);
    expect(fromWebAnnotations(exportOf([]), DOCUMENTS)).toEqual({ annotations: [], unmatched: 0, unreadable: 0 });
  });

  it('reads an export made before W3C conformance (urn:sha256 names, a target per page, bottom-left viewrect)', () => {
    const [pdfDocument, image] = [DOCUMENTS[0]!, DOCUMENTS[2]!];
    const documents = [
      { ...pdfDocument, sha256: 'c'.repeat(64) },
      { ...image, sha256: 'd'.repeat(64) },
    ];
    const imported = fromWebAnnotations(fixture('annotations-export-v1.jsonld'), documents);
    expect(imported.unmatched).toBe(0);
    expect(imported.unreadable).toBe(0);
    const [text, twoPages, region, photo] = imported.annotations;
    expect(text).toMatchObject({
      documentId: pdfDocument.id,
      note: '',
      target: {
        kind: 'text',
        extractor: 'pdf.js 5.4.54',
        segments: [
          {
            page: 0,
            start: 30,
            end: 50,
            quote: { exact: 'articles 494 and 495' },
            rects: [{ x: 72.5, y: 700.25, width: 120, height: 12 }],
          },
        ],
      },
    });
    expect(twoPages).toMatchObject({
      color: 'orange',
      note: 'ការចោទប្រកាន់',
      tags: ['Criminal Code art. 494', 'fair trial'],
      link: 'f'.repeat(32),
      target: {
        kind: 'text',
        segments: [
          { page: 2, quote: { exact: 'citement.' } },
          { page: 3, start: 0, end: 6, quote: { exact: 'of the' } },
        ],
      },
    });
    // Before, viewrect was written in PDF user space (bottom-left): it is read as such, not mirrored.
    expect(region).toMatchObject({
      note: 'Court stamp, bottom right',
      target: {
        kind: 'region',
        page: 1,
        rect: { x: 380.25, y: 90, width: 150.5, height: 60 },
        transcription: 'សាលាដំបូងខេត្ត',
      },
    });
    expect(photo).toMatchObject({
      documentId: image.id,
      tags: ['signature'],
      target: { kind: 'region', page: null, rect: { x: 10.5, y: 20.25, width: 300.75, height: 80 } },
    });
  });

  it('places a region another tool gives only as a top-left viewrect, with the page box this case stored', () => {
    const foreign = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'https://example.org/anno/1',
      type: 'Annotation',
      target: {
        source: niName(scan.sha256),
        selector: {
          type: 'FragmentSelector',
          conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
          value: 'page=1&viewrect=380.25,691.89,150.5,60',
        },
      },
    };
    const placed = fromWebAnnotations(foreign, DOCUMENTS, SOURCES).annotations[0]!;
    expect(placed.target).toMatchObject({ kind: 'region', page: 0, rect: { x: 380.25, width: 150.5, height: 60 } });
    expect(placed.target.kind === 'region' && placed.target.rect.y).toBeCloseTo(90, 6);
    expect(SCAN_BOX[3]).toBeGreaterThan(0);
    // Without the page's box it cannot be placed: counted, not guessed.
    expect(fromWebAnnotations(foreign, DOCUMENTS)).toMatchObject({ annotations: [], unreadable: 1 });
  });

  it('reads another tool’s quote with a page and position, and counts a range it cannot place', () => {
    const quoted = {
      type: 'Annotation',
      body: { type: 'TextualBody', value: 'From elsewhere', purpose: 'commenting' },
      target: {
        source: { id: niName(highlight.source) },
        selector: [
          { type: 'TextQuoteSelector', exact: 'articles 494' },
          { type: 'CssSelector', value: '#page3' },
          {
            type: 'FragmentSelector',
            conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
            value: 'page=3',
            refinedBy: { type: 'TextPositionSelector', start: 30, end: 42 },
          },
        ],
      },
    };
    expect(fromWebAnnotations(quoted, DOCUMENTS).annotations[0]).toMatchObject({
      note: 'From elsewhere',
      target: {
        kind: 'text',
        extractor: 'unknown',
        segments: [{ page: 2, start: 30, end: 42, quote: { exact: 'articles 494', prefix: '' } }],
      },
    });
    const range = {
      type: 'Annotation',
      target: {
        source: niName(highlight.source),
        selector: {
          type: 'RangeSelector',
          startSelector: { type: 'XPathSelector', value: '/p[1]' },
          endSelector: { type: 'XPathSelector', value: '/p[2]' },
        },
      },
    };
    expect(fromWebAnnotations(range, DOCUMENTS)).toMatchObject({ annotations: [], unreadable: 1 });
  });

  it('counts what the vault would refuse and documents the case does not hold, and refuses what is not Web Annotation', () => {
    const bad = asJson(toWebAnnotation(highlight, SOURCES.get(highlight.documentId))) as {
      target: { selector: { value?: string }[] };
    };
    bad.target.selector[1]!.value = 'page=0';
    const elsewhere = asJson(toWebAnnotation({ ...scanRegion, source: 'e'.repeat(64) }));
    const imported = fromWebAnnotations([asJson(toWebAnnotation(highlight)), bad, elsewhere], DOCUMENTS);
    expect(imported).toMatchObject({ unreadable: 1, unmatched: 1 });
    expect(imported.annotations).toHaveLength(1);
    expect(() => fromWebAnnotations({ type: 'Note' }, DOCUMENTS)).toThrow(/Web Annotation/);
    expect(
      fromWebAnnotations(
        {
          type: 'Annotation',
          target: { source: 'https://example.org/doc.pdf', selector: { type: 'TextQuoteSelector', exact: 'x' } },
        },
        DOCUMENTS,
      ),
    ).toMatchObject({ unmatched: 1 });
    // A target that is a bare IRI names a whole resource: another one is unmatched, a document held is no place.
    expect(
      fromWebAnnotations(
        [
          { type: 'Annotation', target: 'https://example.org/page' },
          { type: 'Annotation', target: niName(highlight.source) },
        ],
        DOCUMENTS,
      ),
    ).toEqual({ annotations: [], unmatched: 1, unreadable: 1 });
  });
});

describe('document names', () => {
  it('are RFC 6920 sha-256 names that give back the hash, and older urn:sha256 names still read', () => {
    const hex = '7f83b1657ff1fc53b92dc18148a1d65dfc2d4b1fa3d677284addd200126d9069';
    // SHA-256 of "Hello World!", base64url without padding (node: createHash('sha256').digest('base64url')).
    expect(niName(hex)).toBe('ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk');
    expect(sha256OfName(niName(hex))).toEqual({ sha256: hex, legacy: false });
    expect(sha256OfName('ni://example.org/sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk')).toEqual({
      sha256: hex,
      legacy: false,
    });
    expect(sha256OfName(`urn:sha256:${hex}`)).toEqual({ sha256: hex, legacy: true });
    expect(sha256OfName('ni:///sha-256;short')).toBeNull();
    expect(sha256OfName('urn:x-pdf:0f1e')).toBeNull();
  });
});
