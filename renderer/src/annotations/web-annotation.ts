import type { AnnotationRecord, AnnotationTarget, DocumentKind, Rect } from '../vault';
import { niName, pdfFingerprintName } from './document-names';

/**
 * W3C Web Annotation Data Model (JSON-LD) export; web-annotation-import.ts reads it back, and exports made before
 * it. docs/annotation-export.md shows one annotation of each kind.
 *
 * - The target's source is the document named by its bytes' hash (RFC 6920 `ni:`), with its format and, for a PDF,
 *   its pdf.js fingerprint as a further name (`owl:sameAs urn:x-pdf:…`).
 * - A highlight on one PDF page: a TextQuoteSelector, and the page as a FragmentSelector (RFC 3778 `page=N`)
 *   refinedBy the TextPositionSelector, since its offsets count from that page's start. On plain text: the quote,
 *   the position and an RFC 5147 `char=a,b` fragment (no page). Across pages: one target, the quote of the whole
 *   and a RangeSelector from the first page's position to the end on the last page; `ev:segments` keeps each page's
 *   part (its quote, position and rectangles) so a re-import loses nothing.
 * - A region on a PDF page: RFC 3778 `page=N&viewrect=left,top,width,height` counted from the page's top-left (the
 *   vault keeps PDF user space, origin bottom-left, so the page's box is needed; without it only the page is
 *   given). On an image: Media Fragments `xywh=` in whole pixels, rounded outwards. `ev:rect` keeps the exact rectangle.
 * - What the model has no term for (colour, rectangles, extractor, page parts) is under our own `ev:` prefix and
 *   defined in the inline context, so a JSON-LD processor keeps every value.
 */

export const ANNOTATION_CONTEXT = [
  'http://www.w3.org/ns/anno.jsonld',
  {
    ev: 'urn:evidence-vault:ns#',
    'ev:rects': { '@id': 'ev:rects', '@container': '@list' },
    'ev:segments': { '@id': 'ev:segments', '@container': '@list' },
    x: 'ev:x',
    y: 'ev:y',
    width: 'ev:width',
    height: 'ev:height',
    sameAs: { '@id': 'http://www.w3.org/2002/07/owl#sameAs', '@type': '@id' },
  },
] as const;

export const PDF_FRAGMENT = 'http://tools.ietf.org/rfc/rfc3778';
export const TEXT_FRAGMENT = 'http://tools.ietf.org/rfc/rfc5147';
export const MEDIA_FRAGMENT = 'http://www.w3.org/TR/media-frags/';
export const ANNOTATION_ID_PREFIX = 'urn:evidence-vault:annotation:';
export const LINK_PREFIX = 'urn:evidence-vault:';
const GENERATOR = { type: 'Software', name: 'Evidence Vault' } as const;

/** One page's part of a highlight, as stored (quote, position in the page, rectangles). */
export type TextSegment = Extract<AnnotationTarget, { kind: 'text' }>['segments'][number];

/** A PDF page's box in user space, [x0, y0, x1, y1]. */
export type PageBox = readonly [number, number, number, number];

/** What the export needs of an annotated document beyond the annotation. */
export interface AnnotatedSource {
  kind: DocumentKind;
  mimeType: string;
  /** A PDF's pdf.js fingerprint, when known. */
  fingerprint?: string | undefined;
  /** A PDF's page boxes in page order, when known (regions are then given from each page's top-left). */
  pageBoxes?: readonly (PageBox | undefined)[] | undefined;
}

export interface ExportOptions {
  /**
   * The language of the person exporting (the UI's): given to notes and tags in a script other than Khmer, unless it
   * is Khmer itself (a Latin-script note written by a Khmer speaker may be in any language, so none is claimed).
   */
  language?: string | undefined;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The language of a note, tag or transcription: Khmer script says Khmer; otherwise the exporter's, if any. */
export function languageOf(text: string, fallback: string | undefined): string | undefined {
  if (/\p{Script=Khmer}/u.test(text)) return 'km';
  if (!/\p{L}/u.test(text)) return undefined;
  return fallback && fallback !== 'km' ? fallback : undefined;
}

function textualBody(purpose: string, value: string, options: ExportOptions) {
  const language = languageOf(value, options.language);
  return { type: 'TextualBody', purpose, value, format: 'text/plain', ...(language ? { language } : {}) };
}

/** An RFC 3778 viewrect counted from the page's top-left, or null without the page's box. */
export function viewrectOf(rect: Rect, box: PageBox | undefined): string | null {
  if (!box) return null;
  const [x0, , , y1] = box;
  return [rect.x - x0, y1 - (rect.y + rect.height), rect.width, rect.height].map(round).join(',');
}

/** A Media Fragments `xywh` value: whole pixels (the only form it allows), rounded outwards so nothing is cut. */
export function xywhOf(rect: Rect): string {
  const left = Math.max(0, Math.floor(rect.x));
  const top = Math.max(0, Math.floor(rect.y));
  // Media Fragments allow no empty region: at least one pixel.
  const right = Math.max(left + 1, Math.ceil(rect.x + rect.width));
  const bottom = Math.max(top + 1, Math.ceil(rect.y + rect.height));
  return `xywh=${left},${top},${right - left},${bottom - top}`;
}

const pageFragment = (page: number, refinedBy: object | object[]) => ({
  type: 'FragmentSelector',
  conformsTo: PDF_FRAGMENT,
  value: `page=${page + 1}`,
  refinedBy,
});

const quoteSelector = (quote: TextSegment['quote']) => ({
  type: 'TextQuoteSelector',
  exact: quote.exact,
  prefix: quote.prefix,
  suffix: quote.suffix,
});

const positionSelector = (start: number, end: number) => ({ type: 'TextPositionSelector', start, end });

function sourceOf(record: AnnotationRecord, document: AnnotatedSource | undefined) {
  const kind = document?.kind ?? (record.target.kind === 'region' && record.target.page === null ? 'image' : 'pdf');
  return {
    id: niName(record.source),
    type: kind === 'image' ? 'Image' : 'Text',
    ...(document?.mimeType ? { format: document.mimeType } : {}),
    ...(document?.fingerprint ? { sameAs: pdfFingerprintName(document.fingerprint) } : {}),
  };
}

function textSelectors(segments: readonly TextSegment[], kind: DocumentKind | undefined) {
  const [first] = segments;
  if (segments.length === 1 && first) {
    if (kind === 'text')
      return {
        selector: [
          quoteSelector(first.quote),
          positionSelector(first.start, first.end),
          { type: 'FragmentSelector', conformsTo: TEXT_FRAGMENT, value: `char=${first.start},${first.end}` },
        ],
      };
    return {
      selector: [quoteSelector(first.quote), pageFragment(first.page, positionSelector(first.start, first.end))],
    };
  }
  const last = segments[segments.length - 1]!;
  return {
    selector: [
      {
        type: 'TextQuoteSelector',
        // Each page's text ends where the next begins: a line break stands for the page break.
        exact: segments.map((segment) => segment.quote.exact).join('\n'),
        prefix: first!.quote.prefix,
        suffix: last.quote.suffix,
      },
      {
        type: 'RangeSelector',
        startSelector: pageFragment(first!.page, positionSelector(first!.start, first!.end)),
        // The end selector marks the (exclusive) end point: an empty position where the last part ends.
        endSelector: pageFragment(last.page, positionSelector(last.end, last.end)),
      },
    ],
    'ev:segments': segments.map((segment) => ({
      ...pageFragment(segment.page, [quoteSelector(segment.quote), positionSelector(segment.start, segment.end)]),
      'ev:rects': segment.rects,
    })),
  };
}

function targetOf(record: AnnotationRecord, document: AnnotatedSource | undefined) {
  const source = sourceOf(record, document);
  const { target } = record;
  if (target.kind === 'text') {
    const single = target.segments.length === 1;
    return {
      type: 'SpecificResource',
      source,
      ...textSelectors(target.segments, document?.kind),
      'ev:extractor': target.extractor,
      ...(single && target.segments[0]!.rects.length > 0 ? { 'ev:rects': target.segments[0]!.rects } : {}),
    };
  }
  if (target.page === null)
    return {
      type: 'SpecificResource',
      source,
      selector: { type: 'FragmentSelector', conformsTo: MEDIA_FRAGMENT, value: xywhOf(target.rect) },
      'ev:rect': target.rect,
    };
  const viewrect = viewrectOf(target.rect, document?.pageBoxes?.[target.page]);
  return {
    type: 'SpecificResource',
    source,
    selector: {
      type: 'FragmentSelector',
      conformsTo: PDF_FRAGMENT,
      value: `page=${target.page + 1}${viewrect === null ? '' : `&viewrect=${viewrect}`}`,
    },
    'ev:rect': target.rect,
  };
}

/** One annotation as a W3C Web Annotation, without its `@context` (a collection gives it once). */
function annotationOf(record: AnnotationRecord, document: AnnotatedSource | undefined, options: ExportOptions) {
  const body: object[] = [];
  if (record.note.trim() !== '') body.push(textualBody('commenting', record.note, options));
  for (const tag of record.tags) body.push(textualBody('tagging', tag, options));
  if (record.target.kind === 'region' && record.target.transcription.trim() !== '')
    body.push(textualBody('describing', record.target.transcription, options));
  if (record.link) body.push({ type: 'SpecificResource', purpose: 'linking', source: `${LINK_PREFIX}${record.link}` });
  return {
    id: `${ANNOTATION_ID_PREFIX}${record.id}`,
    type: 'Annotation',
    motivation: record.target.kind === 'text' || body.length === 0 ? 'highlighting' : 'commenting',
    created: new Date(record.createdAt).toISOString(),
    modified: new Date(record.updatedAt).toISOString(),
    ...(record.createdBy.trim() !== '' ? { creator: { type: 'Person', nickname: record.createdBy } } : {}),
    generator: GENERATOR,
    'ev:color': record.color,
    // The model allows an annotation without a body, but then the key must be absent (never an empty list).
    ...(body.length > 0 ? { body } : {}),
    target: targetOf(record, document),
  };
}

/** One annotation as a W3C Web Annotation document. */
export function toWebAnnotation(record: AnnotationRecord, document?: AnnotatedSource, options: ExportOptions = {}) {
  return { '@context': ANNOTATION_CONTEXT, ...annotationOf(record, document, options) };
}

/**
 * A case's annotations as an AnnotationCollection with one AnnotationPage. Both are named (the model requires one
 * IRI each); a case without annotations gives a collection with total 0 and no page (a page holds at least one).
 */
export function toAnnotationCollection(
  records: readonly AnnotationRecord[],
  {
    caseId,
    label,
    documents,
    ...options
  }: ExportOptions & {
    caseId: string;
    label: string;
    /** The case's documents' facts, by document id. */
    documents: ReadonlyMap<string, AnnotatedSource>;
  },
) {
  const id = `urn:evidence-vault:case:${caseId}:annotations`;
  return {
    '@context': ANNOTATION_CONTEXT,
    id,
    type: 'AnnotationCollection',
    label,
    total: records.length,
    ...(records.length > 0
      ? {
          first: {
            id: `${id}:page:1`,
            type: 'AnnotationPage',
            partOf: id,
            startIndex: 0,
            items: records.map((record) => annotationOf(record, documents.get(record.documentId), options)),
          },
        }
      : {}),
  };
}
