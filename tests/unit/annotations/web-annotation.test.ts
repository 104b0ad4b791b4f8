import { describe, expect, it } from 'vitest';
import { describeSegment } from '../../../renderer/src/annotations/anchoring';
import {
  fromWebAnnotations,
  toAnnotationCollection,
  toWebAnnotation,
} from '../../../renderer/src/annotations/web-annotation';
import { emptyProvenance, type AnnotationRecord, type DocumentRecord } from '../../../renderer/src/vault';

const SHA = 'a'.repeat(64);
const PAGE = 'The accused was charged under articles 494 and 495 of the Criminal Code for incitement.';

const document: DocumentRecord = {
  id: '1'.repeat(32),
  caseId: '2'.repeat(32),
  blobId: '3'.repeat(32),
  name: 'letter.pdf',
  size: 10,
  mimeType: 'application/pdf',
  kind: 'pdf',
  sha256: SHA,
  intakeAt: 0,
  intakeBy: 'me',
  provenance: emptyProvenance(),
};

function record(fields: Partial<AnnotationRecord>): AnnotationRecord {
  const at = PAGE.indexOf('articles 494 and 495');
  return {
    id: '4'.repeat(32),
    caseId: document.caseId,
    documentId: document.id,
    source: SHA,
    color: 'orange',
    note: 'Charges quoted in the summons',
    tags: ['Criminal Code art. 494', 'fair trial: informed of charges'],
    link: null,
    target: {
      kind: 'text',
      extractor: 'pdf.js 6.5.438',
      segments: [
        { ...describeSegment(PAGE, 2, at, at + 20), rects: [{ x: 72, y: 700, width: 120, height: 12 }] },
        { ...describeSegment('of the Criminal Code', 3, 0, 6), rects: [] },
      ],
    },
    createdAt: Date.UTC(2025, 6, 17),
    updatedAt: Date.UTC(2025, 6, 18),
    createdBy: 'monitor',
    ...fields,
  };
}

const fieldsOf = ({ documentId, color, note, tags, link, target }: AnnotationRecord) => ({
  documentId,
  color,
  note,
  tags,
  link,
  target,
});

describe('W3C Web Annotation export and import', () => {
  it('exports the fields the W3C model requires', () => {
    const exported = toWebAnnotation(record({}));
    expect(exported['@context'][0]).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(exported.type).toBe('Annotation');
    const targets = Array.isArray(exported.target) ? exported.target : [exported.target];
    expect(targets).toHaveLength(2);
    for (const target of targets) {
      expect(target.source).toBe(`urn:sha256:${SHA}`);
      expect(target.selector.map((selector) => selector.type)).toEqual([
        'TextQuoteSelector',
        'TextPositionSelector',
        'FragmentSelector',
      ]);
    }
    expect(targets[0]!.selector[0]).toMatchObject({ exact: 'articles 494 and 495' });
    expect(targets[0]!.selector[2]).toMatchObject({ value: 'page=3' });
    expect(exported.body).toContainEqual({ type: 'TextualBody', purpose: 'tagging', value: 'Criminal Code art. 494' });
  });

  it('re-imports a collection into a case holding the same document, losing nothing', () => {
    const text = record({});
    const region = record({
      id: '5'.repeat(32),
      color: 'blue',
      target: {
        kind: 'region',
        page: 0,
        rect: { x: 10.5, y: 20, width: 300, height: 80 },
        transcription: 'Court stamp',
      },
    });
    const photo = record({
      id: '6'.repeat(32),
      note: '',
      tags: [],
      target: { kind: 'region', page: null, rect: { x: 1, y: 2, width: 3, height: 4 }, transcription: '' },
    });
    const json = JSON.parse(JSON.stringify(toAnnotationCollection([text, region, photo], 'Case export'))) as unknown;
    const imported = fromWebAnnotations(json, [{ ...document, id: '9'.repeat(32) }]);
    expect(imported.unmatched).toBe(0);
    expect(imported.unreadable).toBe(0);
    expect(imported.annotations).toEqual(
      [text, region, photo].map((entry) => ({ ...fieldsOf(entry), documentId: '9'.repeat(32) })),
    );
  });

  it('counts an item the vault would refuse as unreadable instead of failing the whole import', () => {
    const good = toWebAnnotation(record({}));
    const bad = JSON.parse(JSON.stringify(toWebAnnotation(record({})))) as {
      target: { selector: { value?: string }[] }[];
    };
    bad.target[0]!.selector[2]!.value = 'page=0';
    const imported = fromWebAnnotations(JSON.parse(JSON.stringify([good, bad])), [document]);
    expect(imported.annotations).toHaveLength(1);
    expect(imported.unreadable).toBe(1);
  });

  it('counts annotations of documents the case does not hold, and refuses what is not Web Annotation', () => {
    const json = [toWebAnnotation(record({ source: 'b'.repeat(64) }))];
    expect(fromWebAnnotations(JSON.parse(JSON.stringify(json)), [document])).toMatchObject({
      annotations: [],
      unmatched: 1,
    });
    expect(() => fromWebAnnotations({ type: 'Note' }, [document])).toThrow(/Web Annotation/);
    expect(() =>
      fromWebAnnotations({ type: 'Annotation', target: { source: 'https://example.org/doc.pdf', selector: [] } }, [
        document,
      ]),
    ).toThrow();
  });
});
