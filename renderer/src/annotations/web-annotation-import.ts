import { ANNOTATION_COLORS, annotationFieldsSchema, rectSchema, z } from '../vault/schemas';
import type { AnnotationFields, DocumentRecord, Rect } from '../vault';
import { sha256OfName } from './document-names';
import {
  LINK_PREFIX,
  MEDIA_FRAGMENT,
  TEXT_FRAGMENT,
  type AnnotatedSource,
  type PageBox,
  type TextSegment,
} from './web-annotation';

/**
 * W3C Web Annotation (JSON-LD) import, for the documents of one case (matched by the SHA-256 of their bytes). Reads
 * what web-annotation.ts writes and what it wrote before (`urn:sha256:` names, one target per page with the page as a
 * sibling selector, regions counted from the bottom-left), and the common forms other tools write (a quote, a
 * position, a page, a viewrect or xywh fragment). What it cannot place is counted, never guessed.
 */

type Selector =
  | { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string; refinedBy?: Selector | Selector[] }
  | { type: 'TextPositionSelector'; start: number; end: number; refinedBy?: Selector | Selector[] }
  | { type: 'FragmentSelector'; value: string; conformsTo?: string; refinedBy?: Selector | Selector[] }
  | { type: 'RangeSelector'; startSelector: Selector; endSelector: Selector; refinedBy?: Selector | Selector[] }
  | { type: 'other' };

const refinedBy: z.ZodType<Selector | Selector[] | undefined> = z.lazy(() =>
  z.union([selectorSchema, z.array(selectorSchema).max(10)]).optional(),
);

const knownSelectorSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('TextQuoteSelector'),
    exact: z.string().min(1).max(50_000),
    prefix: z.string().max(1000).default(''),
    suffix: z.string().max(1000).default(''),
    refinedBy,
  }),
  z.object({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    refinedBy,
  }),
  z.object({
    type: z.literal('FragmentSelector'),
    value: z.string().max(200),
    conformsTo: z.string().max(200).optional(),
    refinedBy,
  }),
  z.object({
    type: z.literal('RangeSelector'),
    startSelector: z.lazy(() => selectorSchema),
    endSelector: z.lazy(() => selectorSchema),
    refinedBy,
  }),
]);

/** Selectors this app has no use for (CSS, XPath, SVG…) are kept as 'other', so the ones it reads still count. */
const selectorSchema: z.ZodType<Selector> = z.union([
  knownSelectorSchema,
  z
    .object({ type: z.string().max(50) })
    .refine(
      (selector) =>
        !['TextQuoteSelector', 'TextPositionSelector', 'FragmentSelector', 'RangeSelector'].includes(selector.type),
    )
    .transform(() => ({ type: 'other' as const })),
]);

const sourceSchema = z.union([
  z.string().max(600),
  z.object({ id: z.string().max(600), sameAs: z.union([z.string(), z.array(z.string())]).optional() }),
]);

const pagePartSchema = z.object({
  type: z.literal('FragmentSelector'),
  value: z.string().max(200),
  refinedBy: z.array(selectorSchema).max(10),
  'ev:rects': z.array(rectSchema).max(500).default([]),
});

const targetSchema = z.object({
  source: sourceSchema,
  selector: z.union([selectorSchema, z.array(selectorSchema).min(1).max(10)]),
  'ev:extractor': z.string().max(100).optional(),
  'ev:rects': z.array(rectSchema).max(500).optional(),
  'ev:rect': rectSchema.optional(),
  'ev:segments': z.array(pagePartSchema).min(1).max(100).optional(),
});
type Target = z.infer<typeof targetSchema>;

const bodySchema = z.object({
  type: z.string().max(50).optional(),
  purpose: z.string().max(50).optional(),
  value: z.string().max(50_000).optional(),
  source: z.union([z.string().max(300), z.object({ id: z.string().max(300) })]).optional(),
});

const annotationSchema = z.object({
  type: z.union([z.literal('Annotation'), z.array(z.string()).refine((types) => types.includes('Annotation'))]),
  'ev:color': z.enum(ANNOTATION_COLORS).optional(),
  body: z.union([bodySchema, z.array(bodySchema).max(100)]).optional(),
  // A target given as a bare IRI names a whole resource, not a place in it.
  target: z.union([
    targetSchema,
    z.string().max(2000),
    z
      .array(z.union([targetSchema, z.string().max(2000)]))
      .min(1)
      .max(100),
  ]),
});
type Annotation = z.infer<typeof annotationSchema>;

const itemsSchema = z.array(annotationSchema).max(100_000);

export const annotationImportSchema = z.union([
  annotationSchema,
  itemsSchema,
  z.object({
    type: z.literal('AnnotationCollection'),
    // An empty collection has no page.
    first: z.object({ items: itemsSchema }).optional(),
  }),
]);

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const idOf = (source: z.infer<typeof sourceSchema>) => (typeof source === 'string' ? source : source.id);

function parseBox(box: string): Rect | null {
  const numbers = box.split(',').map(Number);
  if (numbers.length !== 4 || numbers.some((value) => !Number.isFinite(value))) return null;
  const [x, y, width, height] = numbers as [number, number, number, number];
  return width >= 0 && height >= 0 ? { x, y, width, height } : null;
}

/** A 0-based page from an RFC 3778 fragment (`page=N`, counted from 1), or null without one. */
const pageOf = (fragment: string) => {
  const match = /(?:^|[&#])page=(\d+)/.exec(fragment);
  return match ? Number(match[1]) - 1 : null;
};

const byType = <T extends Selector['type']>(selectors: readonly Selector[], type: T) =>
  selectors.find((selector): selector is Extract<Selector, { type: T }> => selector.type === type);

/** One page's part of a text target: the page, its quote and position (inside the page's refinement or beside it). */
function segmentOf(selectors: readonly Selector[], rects: Rect[]): TextSegment | null {
  const fragment = byType(selectors, 'FragmentSelector');
  const refinements = fragment ? asArray(fragment.refinedBy) : [];
  const quote = byType(selectors, 'TextQuoteSelector') ?? byType(refinements, 'TextQuoteSelector');
  if (!quote) return null;
  let position = byType(refinements, 'TextPositionSelector') ?? byType(selectors, 'TextPositionSelector');
  const chars = fragment?.conformsTo === TEXT_FRAGMENT ? /^char=(\d+),(\d+)$/.exec(fragment.value) : null;
  if (!position && chars) position = { type: 'TextPositionSelector', start: Number(chars[1]), end: Number(chars[2]) };
  const start = position?.start ?? 0;
  // Without a position the quote is found by searching: any span of the right length will do as a hint.
  const end = position && position.end > position.start ? position.end : start + [...quote.exact].length;
  return {
    page: fragment && !chars ? (pageOf(fragment.value) ?? 0) : 0,
    start,
    end,
    quote: { exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
    rects,
  };
}

/** A text target's page parts: kept part by part (`ev:segments`), one part, or (older exports) one target per page. */
function textSegmentsOf(targets: readonly Target[]): TextSegment[] | null {
  const [first] = targets;
  if (targets.length === 1 && first?.['ev:segments'])
    return allOrNull(first['ev:segments'].map((part) => segmentOf([part, ...part.refinedBy], part['ev:rects'])));
  // A range from another tool, without its page parts, cannot be placed here.
  if (targets.some((target) => byType(asArray(target.selector), 'RangeSelector'))) return null;
  return allOrNull(targets.map((target) => segmentOf(asArray(target.selector), target['ev:rects'] ?? [])));
}

function allOrNull<T>(values: (T | null)[]): T[] | null {
  return values.every((value) => value !== null) ? values : null;
}

/**
 * A region: the exact rectangle (`ev:rect`) when given; else an image's `xywh`, or a PDF page's `viewrect`, counted
 * from the page's top-left (from the bottom-left in older exports of this app), turned back into PDF user space.
 */
function regionOf(target: Target, legacy: boolean, source: AnnotatedSource | undefined) {
  const fragment = byType(asArray(target.selector), 'FragmentSelector');
  if (!fragment) return null;
  const page =
    fragment.conformsTo === MEDIA_FRAGMENT || /(?:^|&)xywh=/.test(fragment.value) ? null : pageOf(fragment.value);
  if (target['ev:rect']) return { page, rect: target['ev:rect'] };
  if (page === null) {
    const box = /(?:^|&)xywh=(?:pixel:)?([^&]+)/.exec(fragment.value)?.[1];
    const rect = box ? parseBox(box) : null;
    return rect ? { page, rect } : null;
  }
  const box = /(?:^|&)viewrect=([^&]+)/.exec(fragment.value)?.[1];
  const rect = box ? parseBox(box) : null;
  if (!rect) return null;
  if (legacy) return { page, rect };
  const pageBox: PageBox | undefined = source?.pageBoxes?.[page];
  if (!pageBox) return null;
  return { page, rect: { ...rect, x: rect.x + pageBox[0], y: pageBox[3] - rect.y - rect.height } };
}

export interface ImportResult {
  annotations: AnnotationFields[];
  /** Annotations whose document (by SHA-256) is not in this case. */
  unmatched: number;
  /** Annotations whose selectors this app could not read. */
  unreadable: number;
}

function fieldsOf(
  item: Annotation,
  documents: readonly DocumentRecord[],
  sources: ReadonlyMap<string, AnnotatedSource>,
): AnnotationFields | 'unmatched' | 'unreadable' {
  const given = asArray(item.target);
  const names = given.map((target) => sha256OfName(typeof target === 'string' ? target : idOf(target.source)));
  const name = names[0];
  const document = name ? documents.find((candidate) => candidate.sha256 === name.sha256) : undefined;
  if (!name || !document || names.some((other) => other?.sha256 !== name.sha256)) return 'unmatched';
  // A whole document is no place an annotation of this app can have.
  const targets = given.filter((target): target is Target => typeof target !== 'string');
  if (targets.length !== given.length) return 'unreadable';
  const bodies = asArray(item.body);
  const bodyValue = (purpose: string) => bodies.find((body) => body.purpose === purpose)?.value ?? '';
  const link = bodies.find((body) => body.purpose === 'linking')?.source;
  const linkId = link === undefined ? null : typeof link === 'string' ? link : link.id;
  const base = {
    documentId: document.id,
    color: item['ev:color'] ?? 'yellow',
    note: bodyValue('commenting'),
    tags: bodies.flatMap((body) =>
      body.purpose === 'tagging' && body.value?.trim() ? [body.value.trim().slice(0, 200)] : [],
    ),
    link: linkId === null ? null : linkId.replace(LINK_PREFIX, ''),
  };
  const first = targets[0]!;
  const selectors = asArray(first.selector);
  const isText =
    first['ev:segments'] !== undefined ||
    selectors.some(
      (selector) =>
        selector.type === 'TextQuoteSelector' ||
        selector.type === 'RangeSelector' ||
        (selector.type === 'FragmentSelector' && byType(asArray(selector.refinedBy), 'TextQuoteSelector')),
    );
  if (isText) {
    const segments = textSegmentsOf(targets);
    if (!segments) return 'unreadable';
    return { ...base, target: { kind: 'text', extractor: first['ev:extractor'] ?? 'unknown', segments } };
  }
  if (targets.length !== 1) return 'unreadable';
  const region = regionOf(first, name.legacy, sources.get(document.id));
  if (!region) return 'unreadable';
  return { ...base, target: { kind: 'region', ...region, transcription: bodyValue('describing') } };
}

/**
 * Annotations from W3C JSON-LD, for the documents of one case (matched by SHA-256). `sources` gives the page boxes
 * a region that only has a top-left `viewrect` (another tool's) needs to be placed.
 */
export function fromWebAnnotations(
  json: unknown,
  documents: readonly DocumentRecord[],
  sources: ReadonlyMap<string, AnnotatedSource> = new Map(),
): ImportResult {
  const parsed = annotationImportSchema.safeParse(json);
  if (!parsed.success) throw new Error('Not W3C Web Annotation JSON-LD that this app can read.');
  const items = Array.isArray(parsed.data)
    ? parsed.data
    : 'target' in parsed.data
      ? [parsed.data]
      : (parsed.data.first?.items ?? []);
  const result: ImportResult = { annotations: [], unmatched: 0, unreadable: 0 };
  for (const item of items) {
    const fields = fieldsOf(item, documents, sources);
    if (fields === 'unmatched') result.unmatched += 1;
    // What the vault would refuse (over-long context, a page number below 1…) is counted, not imported.
    else if (fields === 'unreadable' || !annotationFieldsSchema.safeParse(fields).success) result.unreadable += 1;
    else result.annotations.push(fields);
  }
  return result;
}
