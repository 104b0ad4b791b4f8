import { ANNOTATION_COLORS, annotationFieldsSchema, rectSchema, z } from '../vault/schemas';
import { type AnnotationFields, type AnnotationRecord, type DocumentRecord, type Rect } from '../vault';

/**
 * W3C Web Annotation (JSON-LD) export and import. Each annotation's target
 * source is the SHA-256 of the document's bytes (`urn:sha256:…`), so it can be
 * matched to the same file in any vault. A text annotation carries, per page
 * segment, a TextQuoteSelector, a TextPositionSelector (code points) and a
 * FragmentSelector for the page (RFC 3778); a region carries a
 * FragmentSelector with its rectangle (RFC 3778 `viewrect` on a PDF page,
 * Media Fragments `xywh` on an image). What the model has no term for
 * (colour, rectangles, extractor) is kept under our own `ev:` prefix, so a
 * re-import loses nothing.
 */

export const ANNOTATION_CONTEXT = ['http://www.w3.org/ns/anno.jsonld', { ev: 'urn:evidence-vault:ns#' }] as const;
const PDF_FRAGMENT = 'http://tools.ietf.org/rfc/rfc3778';
const MEDIA_FRAGMENT = 'http://www.w3.org/TR/media-frags/';

const round = (value: number) => Math.round(value * 100) / 100;

function fragmentForRect(page: number | null, rect: Rect) {
  const box = [rect.x, rect.y, rect.width, rect.height].map(round).join(',');
  return page === null
    ? { type: 'FragmentSelector', conformsTo: MEDIA_FRAGMENT, value: `xywh=${box}` }
    : { type: 'FragmentSelector', conformsTo: PDF_FRAGMENT, value: `page=${page + 1}&viewrect=${box}` };
}

export function toWebAnnotation(record: AnnotationRecord) {
  const source = `urn:sha256:${record.source}`;
  const body: Record<string, string>[] = [];
  if (record.note.trim() !== '')
    body.push({ type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: record.note });
  for (const tag of record.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: tag });
  if (record.target.kind === 'region' && record.target.transcription.trim() !== '')
    body.push({ type: 'TextualBody', purpose: 'describing', format: 'text/plain', value: record.target.transcription });
  if (record.link)
    body.push({ type: 'SpecificResource', purpose: 'linking', source: `urn:evidence-vault:${record.link}` });

  const target =
    record.target.kind === 'text'
      ? record.target.segments.map((segment) => ({
          type: 'SpecificResource',
          source,
          'ev:extractor': (record.target as { extractor: string }).extractor,
          'ev:rects': segment.rects,
          selector: [
            {
              type: 'TextQuoteSelector',
              exact: segment.quote.exact,
              prefix: segment.quote.prefix,
              suffix: segment.quote.suffix,
            },
            { type: 'TextPositionSelector', start: segment.start, end: segment.end },
            { type: 'FragmentSelector', conformsTo: PDF_FRAGMENT, value: `page=${segment.page + 1}` },
          ],
        }))
      : [{ type: 'SpecificResource', source, selector: [fragmentForRect(record.target.page, record.target.rect)] }];

  return {
    '@context': ANNOTATION_CONTEXT,
    id: `urn:evidence-vault:annotation:${record.id}`,
    type: 'Annotation',
    motivation: record.target.kind === 'text' ? 'highlighting' : 'commenting',
    created: new Date(record.createdAt).toISOString(),
    modified: new Date(record.updatedAt).toISOString(),
    creator: { type: 'Software', name: `Evidence Vault (${record.createdBy})` },
    'ev:color': record.color,
    body,
    target: target.length === 1 ? target[0]! : target,
  };
}

export function toAnnotationCollection(records: readonly AnnotationRecord[], label: string) {
  return {
    '@context': ANNOTATION_CONTEXT,
    type: 'AnnotationCollection',
    label,
    total: records.length,
    first: { type: 'AnnotationPage', items: records.map(toWebAnnotation) },
  };
}

// ── import ────────────────────────────────────────────────────────────────

const selectorSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('TextQuoteSelector'),
    exact: z.string().min(1).max(50_000),
    prefix: z.string().max(1000).default(''),
    suffix: z.string().max(1000).default(''),
  }),
  z.object({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('FragmentSelector'),
    value: z.string().max(200),
    conformsTo: z.string().max(200).optional(),
  }),
]);

const targetSchema = z.object({
  source: z.string().regex(/^urn:sha256:[0-9a-f]{64}$/),
  selector: z.union([selectorSchema, z.array(selectorSchema).min(1).max(10)]),
  'ev:extractor': z.string().max(100).optional(),
  'ev:rects': z.array(rectSchema).max(500).optional(),
});

const bodySchema = z.object({
  type: z.string().max(50),
  purpose: z.string().max(50).optional(),
  value: z.string().max(50_000).optional(),
  source: z.string().max(300).optional(),
});

const annotationSchema = z.object({
  type: z.literal('Annotation'),
  'ev:color': z.enum(ANNOTATION_COLORS).optional(),
  body: z.union([bodySchema, z.array(bodySchema).max(100)]).optional(),
  target: z.union([targetSchema, z.array(targetSchema).min(1).max(100)]),
});

export const annotationImportSchema = z.union([
  annotationSchema,
  z.array(annotationSchema).max(100_000),
  z.object({
    type: z.literal('AnnotationCollection'),
    first: z.object({ items: z.array(annotationSchema).max(100_000) }),
  }),
]);

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function parseRect(box: string): Rect | null {
  const numbers = box.split(',').map(Number);
  if (numbers.length !== 4 || numbers.some((value) => !Number.isFinite(value))) return null;
  const [x, y, width, height] = numbers as [number, number, number, number];
  return width >= 0 && height >= 0 ? { x, y, width, height } : null;
}

export interface ImportResult {
  annotations: AnnotationFields[];
  /** Annotations whose document (by SHA-256) is not in this case. */
  unmatched: number;
  /** Annotations whose selectors this app could not read. */
  unreadable: number;
}

/** Annotations from W3C JSON-LD, for the documents of one case (matched by SHA-256). */
export function fromWebAnnotations(json: unknown, documents: readonly DocumentRecord[]): ImportResult {
  const parsed = annotationImportSchema.safeParse(json);
  if (!parsed.success) throw new Error('Not W3C Web Annotation JSON-LD that this app can read.');
  const items = Array.isArray(parsed.data)
    ? parsed.data
    : 'first' in parsed.data
      ? parsed.data.first.items
      : [parsed.data];
  const result: ImportResult = { annotations: [], unmatched: 0, unreadable: 0 };
  for (const item of items) {
    const targets = asArray(item.target);
    const sha256 = targets[0]!.source.slice('urn:sha256:'.length);
    const document = documents.find((candidate) => candidate.sha256 === sha256);
    if (!document || targets.some((target) => target.source !== targets[0]!.source)) {
      result.unmatched += 1;
      continue;
    }
    const bodies = asArray(item.body);
    const note = bodies.find((body) => body.purpose === 'commenting')?.value ?? '';
    const tags = bodies.flatMap((body) =>
      body.purpose === 'tagging' && body.value ? [body.value.trim().slice(0, 200)] : [],
    );
    const transcription = bodies.find((body) => body.purpose === 'describing')?.value ?? '';
    const link = bodies.find((body) => body.purpose === 'linking')?.source?.replace(/^urn:evidence-vault:/, '') ?? null;
    const base = {
      documentId: document.id,
      color: item['ev:color'] ?? 'yellow',
      note,
      tags: tags.filter(Boolean),
      link,
    };

    const segments = targets.map((target) => {
      const selectors = asArray(target.selector);
      const quote = selectors.find((selector) => selector.type === 'TextQuoteSelector');
      const position = selectors.find((selector) => selector.type === 'TextPositionSelector');
      const fragment = selectors.find((selector) => selector.type === 'FragmentSelector');
      const page = fragment ? Number(/(?:^|&)page=(\d+)/.exec(fragment.value)?.[1] ?? '1') - 1 : 0;
      return { target, quote, position, fragment, page };
    });
    const first = segments[0]!;
    if (first.quote) {
      if (segments.some((segment) => !segment.quote)) {
        result.unreadable += 1;
        continue;
      }
      result.annotations.push({
        ...base,
        target: {
          kind: 'text',
          extractor: first.target['ev:extractor'] ?? 'unknown',
          segments: segments.map(({ target, quote, position, page }) => {
            const exact = (quote as { exact: string }).exact;
            const start = position?.start ?? 0;
            // Without a position the quote is found by searching: any span of the right length will do as a hint.
            const end = position && position.end > position.start ? position.end : start + [...exact].length;
            return {
              page,
              start,
              end,
              quote: {
                exact,
                prefix: (quote as { prefix: string }).prefix,
                suffix: (quote as { suffix: string }).suffix,
              },
              rects: target['ev:rects'] ?? [],
            };
          }),
        },
      });
      continue;
    }
    const box = first.fragment ? /(?:viewrect|xywh)=([^&]+)/.exec(first.fragment.value)?.[1] : undefined;
    const rect = box ? parseRect(box) : null;
    if (!rect) {
      result.unreadable += 1;
      continue;
    }
    const onPdfPage = first.fragment?.value.includes('viewrect=') ?? false;
    result.annotations.push({
      ...base,
      target: { kind: 'region', page: onPdfPage ? first.page : null, rect, transcription },
    });
  }
  // What the vault would refuse (over-long context, a page number below 1…) is counted, not imported.
  const valid = result.annotations.filter((fields) => annotationFieldsSchema.safeParse(fields).success);
  return { ...result, annotations: valid, unreadable: result.unreadable + result.annotations.length - valid.length };
}
