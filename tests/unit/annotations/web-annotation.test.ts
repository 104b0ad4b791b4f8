/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- see Json below */
import { describe, expect, it } from 'vitest';
import { niName } from '../../../renderer/src/annotations/document-names';
import {
  languageOf,
  toAnnotationCollection,
  toWebAnnotation,
  viewrectOf,
  xywhOf,
} from '../../../renderer/src/annotations/web-annotation';
import {
  CASE_ID,
  EVERY_KIND,
  PDF_BOX,
  SCAN_BOX,
  SOURCES,
  highlight,
  imageRegion,
  khmer,
  noted,
  pdf,
  plainText,
  scanRegion,
  twoPages,
} from '../../support/annotation-fixtures';
import { annotationProblems, collectionProblems } from '../../support/web-annotation-model';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the export is read as any JSON reader reads it: untyped
type Json = Record<string, any>;

/** An export as another tool reads it: JSON text, parsed. */
const exported = (record: (typeof EVERY_KIND)[keyof typeof EVERY_KIND], language = 'en'): Json =>
  JSON.parse(JSON.stringify(toWebAnnotation(record, SOURCES.get(record.documentId), { language }))) as Json;

const collection = (records: readonly (typeof highlight)[]) =>
  JSON.parse(
    JSON.stringify(
      toAnnotationCollection(records, { caseId: CASE_ID, label: 'Case', documents: SOURCES, language: 'en' }),
    ),
  ) as Json;

describe('W3C Web Annotation export: the Data Model MUST statements', () => {
  it.each(Object.entries(EVERY_KIND))('holds for a %s', (_, record) => {
    expect(annotationProblems(exported(record))).toEqual([]);
    expect(annotationProblems(exported(record, 'km'))).toEqual([]);
  });

  it.each([0, 1, Object.keys(EVERY_KIND).length])('holds for a collection of %i', (count) => {
    const records = Object.values(EVERY_KIND).slice(0, count);
    const json = collection(records);
    expect(collectionProblems(json)).toEqual([]);
    expect(json.total).toBe(count);
  });

  it('gives an empty case a collection with total 0 and no page, and names the collection and its page', () => {
    expect(collection([])).toEqual({
      '@context': expect.any(Array),
      id: `urn:evidence-vault:case:${CASE_ID}:annotations`,
      type: 'AnnotationCollection',
      label: 'Case',
      total: 0,
    });
    const one = collection([highlight]);
    expect(one.first).toMatchObject({ id: `${one.id}:page:1`, type: 'AnnotationPage', partOf: one.id, startIndex: 0 });
    expect(one.first.items[0]['@context']).toBeUndefined();
  });

  it('has no body key when there is no body, never an empty list', () => {
    expect('body' in exported(highlight)).toBe(false);
    expect(exported(noted).body).toHaveLength(4);
  });

  it('checks what it is meant to: an export breaking the model is caught', () => {
    const broken = exported(highlight);
    broken.body = [];
    delete broken.id;
    broken.target.selector[1].value = 'page=0';
    expect(annotationProblems(broken)).toEqual([
      'annotation: id must be one IRI',
      'annotation: body must be absent rather than empty',
      expect.stringContaining('is not an RFC 3778 page'),
    ]);
    const emptyPage = collection([highlight]);
    emptyPage.first.items = [];
    expect(collectionProblems(emptyPage)).toContain('page: items must hold one or more annotations');
  });
});

describe('W3C Web Annotation export: what other readers take from it', () => {
  it('names the document by RFC 6920 hash with its format, and a PDF by its pdf.js fingerprint too', () => {
    expect(exported(highlight).target.source).toEqual({
      id: niName(pdf.sha256),
      type: 'Text',
      format: 'application/pdf',
      sameAs: 'urn:x-pdf:0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    });
    expect(niName(pdf.sha256)).toMatch(/^ni:\/\/\/sha-256;[A-Za-z0-9_-]{43}$/);
    expect(exported(imageRegion).target.source).toEqual({
      id: niName(imageRegion.source),
      type: 'Image',
      format: 'image/jpeg',
    });
  });

  it('gives a PDF page as a fragment refined by the position counted from that page, the quote beside it', () => {
    const { target } = exported(highlight);
    const segment = highlight.target.kind === 'text' ? highlight.target.segments[0]! : null;
    expect(target.selector).toEqual([
      { type: 'TextQuoteSelector', ...segment!.quote },
      {
        type: 'FragmentSelector',
        conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
        value: 'page=3',
        refinedBy: { type: 'TextPositionSelector', start: segment!.start, end: segment!.end },
      },
    ]);
    expect(target['ev:rects']).toEqual(segment!.rects);
  });

  it('gives plain text an RFC 5147 char range and no page', () => {
    const { target } = exported(plainText);
    const segment = plainText.target.kind === 'text' ? plainText.target.segments[0]! : null;
    expect(target.selector).toEqual([
      { type: 'TextQuoteSelector', ...segment!.quote },
      { type: 'TextPositionSelector', start: segment!.start, end: segment!.end },
      {
        type: 'FragmentSelector',
        conformsTo: 'http://tools.ietf.org/rfc/rfc5147',
        value: `char=${segment!.start},${segment!.end}`,
      },
    ]);
    expect(JSON.stringify(target)).not.toContain('page=');
  });

  it('keeps a highlight across two pages one target: the whole quote and a range from page 3 to page 4', () => {
    const annotation = exported(twoPages);
    expect(Array.isArray(annotation.target)).toBe(false);
    const [first, second] = twoPages.target.kind === 'text' ? twoPages.target.segments : [];
    const [quote, range] = annotation.target.selector;
    expect(quote).toEqual({
      type: 'TextQuoteSelector',
      exact: `${first!.quote.exact}\n${second!.quote.exact}`,
      prefix: first!.quote.prefix,
      suffix: second!.quote.suffix,
    });
    expect(range).toEqual({
      type: 'RangeSelector',
      startSelector: expect.objectContaining({
        value: 'page=3',
        refinedBy: { type: 'TextPositionSelector', start: first!.start, end: first!.end },
      }),
      endSelector: expect.objectContaining({
        value: 'page=4',
        refinedBy: { type: 'TextPositionSelector', start: second!.end, end: second!.end },
      }),
    });
    expect(annotation.target['ev:segments']).toHaveLength(2);
  });

  it('gives a PDF region from the page top-left (RFC 3778 viewrect), converting from PDF user space', () => {
    const { target } = exported(scanRegion);
    // 841.89 − (90 + 60) = 691.89 from the top of the A4 page.
    expect(target.selector).toEqual({
      type: 'FragmentSelector',
      conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
      value: 'page=1&viewrect=380.25,691.89,150.5,60',
    });
    expect(target['ev:rect']).toEqual(scanRegion.target.kind === 'region' ? scanRegion.target.rect : null);
    // A page box not at the origin moves the rectangle by its corner.
    expect(viewrectOf({ x: 110, y: 700, width: 50, height: 12 }, PDF_BOX)).toBe('100,100,50,12');
    expect(viewrectOf({ x: 0, y: 0, width: 1, height: 1 }, SCAN_BOX)).toBe('0,840.89,1,1');
    // Without the page's box only the page is given.
    const unknownBox = JSON.parse(
      JSON.stringify(toWebAnnotation(scanRegion, { kind: 'pdf', mimeType: 'application/pdf' })),
    ) as Json;
    expect(unknownBox.target.selector.value).toBe('page=1');
  });

  it('gives an image region in whole pixels (Media Fragments), rounded outwards', () => {
    expect(exported(imageRegion).target.selector).toEqual({
      type: 'FragmentSelector',
      conformsTo: 'http://www.w3.org/TR/media-frags/',
      value: 'xywh=10,20,302,81',
    });
    expect(xywhOf({ x: 3, y: 4, width: 0, height: 0 })).toBe('xywh=3,4,1,1');
  });

  it('names the person as creator and the app as generator', () => {
    const annotation = exported(noted);
    expect(annotation.creator).toEqual({ type: 'Person', nickname: 'monitor-sokha' });
    expect(annotation.generator).toEqual({ type: 'Software', name: 'Evidence Vault' });
    expect('creator' in exported({ ...noted, createdBy: ' ' })).toBe(false);
  });

  it('gives bodies their format and language: Khmer when written in Khmer, else the exporter’s unless that is Khmer', () => {
    expect(exported(noted).body).toEqual([
      { type: 'TextualBody', purpose: 'commenting', value: noted.note, format: 'text/plain', language: 'en' },
      { type: 'TextualBody', purpose: 'tagging', value: noted.tags[0], format: 'text/plain', language: 'en' },
      { type: 'TextualBody', purpose: 'tagging', value: noted.tags[1], format: 'text/plain', language: 'en' },
      { type: 'SpecificResource', purpose: 'linking', source: `urn:evidence-vault:${noted.link}` },
    ]);
    for (const body of exported(khmer, 'en').body) expect(body.language).toBe('km');
    expect(exported(scanRegion, 'en').body).toContainEqual(
      expect.objectContaining({ purpose: 'describing', language: 'km' }),
    );
    expect(exported(noted, 'km').body[0].language).toBeUndefined();
    expect(languageOf('494', 'en')).toBeUndefined();
    expect(languageOf('Charges ការចោទ', 'en')).toBe('km');
  });
});
