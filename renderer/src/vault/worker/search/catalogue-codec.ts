import type { SearchKind } from '../../api';
import type { IndexedEntry } from './search-index';

/**
 * The search catalogue's bytes: every entry the index holds (no text), its
 * number, the Khmer skeletons, and what the search service keeps beside
 * them. Read whole at the first search after unlock (300,000 entries in a
 * vault of 50,000 documents), so it is kept small and quick to take in:
 * - by column, not by entry: fifteen arrays instead of one small array an entry;
 * - every string entries share (a case id, a document's name and id, a row id, tags) written once, in a table,
 *   and named by its place there;
 * - no id an entry's other fields give (`annotation:` and its target, `page:`, its document and page…);
 * - each number as its distance from the one before.
 * UTF-8 JSON; only ever stored sealed.
 *
 *   4-byte big-endian length of the first part ‖ { version: 4, nextNumber, count, strings: [...], columns:
 *   { number, kind, id, caseId, title, source, documentId, page, targetId, date, tags, provisions, indicators,
 *   documentKind, fingerprint }, extra, skeletonBytes } ‖ [[number, skeleton], ...] (skeletonBytes long)
 *
 * Each column holds `count` values, one an entry. The skeletons come last, apart, so that an unlock decodes
 * them only at the first Khmer query or store. `caseId`, `title`, `source`, `documentId`, `date`,
 * `documentKind` are places in `strings` (-1: none); `tags`, `provisions`, `indicators` are places of a JSON
 * array in `strings`; `page` -1 is none; `targetId` '' is none; `id` '' is the one its kind gives
 * (`derivedId`). Versions 1 to 3 are not read: the index is then built again from the records.
 */
export const CATALOGUE_VERSION = 4;

const KINDS: readonly SearchKind[] = ['case', 'document', 'page', 'annotation', 'hearing', 'event'];
const NONE = -1;

/** The id search-entries.ts gives an entry of this kind, from its other fields. */
function derivedId(kind: SearchKind, caseId: string, documentId?: string, page?: number, targetId?: string): string {
  switch (kind) {
    case 'case':
      return `case:${caseId}`;
    case 'document':
      return `document:${documentId ?? ''}`;
    case 'page':
      return `page:${documentId ?? ''}:${page ?? ''}`;
    default:
      return `${kind}:${targetId ?? ''}`;
  }
}

const NUMBER_COLUMNS = [
  'number',
  'kind',
  'caseId',
  'title',
  'source',
  'documentId',
  'page',
  'date',
  'tags',
  'provisions',
  'indicators',
  'documentKind',
] as const;
const STRING_COLUMNS = ['id', 'targetId', 'fingerprint'] as const;
type Columns = Record<(typeof NUMBER_COLUMNS)[number], number[]> & Record<(typeof STRING_COLUMNS)[number], string[]>;

export interface Catalogue {
  nextNumber: number;
  entries: [number, IndexedEntry][];
  /** Khmer skeletons by entry number. */
  skeletons: [number, string][];
  extra: unknown;
}

/** A catalogue as read: its skeletons are decoded when first asked for (they are most of its bytes). */
export type ReadCatalogue = Omit<Catalogue, 'skeletons'> & { skeletons: () => [number, string][] };

export function encodeCatalogue({ nextNumber, entries, skeletons, extra }: Catalogue): Uint8Array {
  const strings: string[] = [];
  const places = new Map<string, number>();
  const place = (value: string | undefined): number => {
    if (value === undefined) return NONE;
    let at = places.get(value);
    if (at === undefined) {
      at = strings.push(value) - 1;
      places.set(value, at);
    }
    return at;
  };
  const list = (values: readonly string[] | undefined) => (values === undefined ? NONE : place(JSON.stringify(values)));
  const columns = Object.fromEntries(
    [...NUMBER_COLUMNS, ...STRING_COLUMNS].map((name) => [name, []]),
  ) as unknown as Columns;
  let previous = 0;
  for (const [number, entry] of entries) {
    const derived = derivedId(entry.kind, entry.caseId, entry.documentId, entry.page, entry.targetId);
    columns.number.push(number - previous);
    previous = number;
    columns.kind.push(KINDS.indexOf(entry.kind));
    columns.id.push(entry.id === derived ? '' : entry.id);
    columns.caseId.push(place(entry.caseId));
    columns.title.push(place(entry.title));
    columns.source.push(place(entry.source));
    columns.documentId.push(place(entry.documentId));
    columns.page.push(entry.page ?? NONE);
    columns.targetId.push(entry.targetId ?? '');
    columns.date.push(place(entry.date));
    columns.tags.push(list(entry.tags));
    columns.provisions.push(list(entry.provisions));
    columns.indicators.push(list(entry.indicators));
    columns.documentKind.push(place(entry.documentKind));
    columns.fingerprint.push(entry.fingerprint);
  }
  // Two parts, the skeletons apart: 4-byte big-endian length of the first ‖ the first ‖ the skeletons.
  const encoder = new TextEncoder();
  const rest = encoder.encode(JSON.stringify(skeletons));
  const main = encoder.encode(
    JSON.stringify({
      version: CATALOGUE_VERSION,
      nextNumber,
      count: entries.length,
      strings,
      columns,
      extra,
      skeletonBytes: rest.byteLength,
    }),
  );
  const out = new Uint8Array(4 + main.byteLength + rest.byteLength);
  new DataView(out.buffer).setUint32(0, main.byteLength);
  out.set(main, 4);
  out.set(rest, 4 + main.byteLength);
  return out;
}

const damaged = () => new Error('damaged search catalogue');

/** The catalogue in `bytes`; throws on another version or on anything `encodeCatalogue` would not write. */
export function decodeCatalogue(bytes: Uint8Array): ReadCatalogue {
  if (bytes.byteLength < 4) throw damaged();
  const mainLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + mainLength > bytes.byteLength) throw damaged();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parsed = JSON.parse(decoder.decode(bytes.subarray(4, 4 + mainLength))) as {
    version?: unknown;
    nextNumber?: unknown;
    count?: unknown;
    strings?: unknown;
    columns?: Partial<Record<string, unknown>>;
    extra?: unknown;
    skeletonBytes?: unknown;
  };
  if (parsed.version !== CATALOGUE_VERSION) throw new Error('unknown search snapshot version');
  const { nextNumber, count, strings, columns } = parsed;
  if (!Number.isSafeInteger(nextNumber) || !Number.isSafeInteger(count) || !Array.isArray(strings)) throw damaged();
  if (typeof columns !== 'object' || columns === null) throw damaged();
  for (const name of [...NUMBER_COLUMNS, ...STRING_COLUMNS]) {
    const column = columns[name];
    if (!Array.isArray(column) || column.length !== count) throw damaged();
  }
  const column = columns as Columns;
  const text = (at: number): string | undefined => {
    if (at === NONE) return undefined;
    const value: unknown = strings[at];
    if (typeof value !== 'string') throw damaged();
    return value;
  };
  // Lists are read once each: entries that share one share the array (never changed in place).
  const lists = new Map<number, string[] | undefined>();
  const list = (at: number): string[] | undefined => {
    if (lists.has(at)) return lists.get(at);
    const value = text(at);
    let items: unknown;
    if (value !== undefined) {
      items = JSON.parse(value);
      if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) throw damaged();
    }
    lists.set(at, items as string[] | undefined);
    return items as string[] | undefined;
  };
  const decoded = new Array<[number, IndexedEntry]>(count as number);
  let number = 0;
  for (let at = 0; at < (count as number); at++) {
    // Increasing: two entries never share a number.
    if (!(column.number[at]! > 0)) throw damaged();
    number += column.number[at]!;
    const kind = KINDS[column.kind[at]!];
    const id = column.id[at]!;
    const page = column.page[at]!;
    const targetId = column.targetId[at]!;
    const fingerprint = column.fingerprint[at]!;
    if (!Number.isSafeInteger(number) || number <= 0 || number >= (nextNumber as number)) throw damaged();
    if (kind === undefined || typeof id !== 'string' || typeof targetId !== 'string') throw damaged();
    if (typeof fingerprint !== 'string' || !Number.isSafeInteger(page)) throw damaged();
    const entry: IndexedEntry = {
      id,
      kind,
      caseId: text(column.caseId[at]!) ?? '',
      title: text(column.title[at]!) ?? '',
      fingerprint,
    };
    // Only the fields an entry has: one decoded is equal to the one encoded.
    if (column.source[at] !== NONE) entry.source = text(column.source[at]!);
    if (column.documentId[at] !== NONE) entry.documentId = text(column.documentId[at]!);
    if (page !== NONE) entry.page = page;
    if (targetId !== '') entry.targetId = targetId;
    if (column.date[at] !== NONE) entry.date = text(column.date[at]!);
    if (column.tags[at] !== NONE) entry.tags = list(column.tags[at]!);
    if (column.provisions[at] !== NONE) entry.provisions = list(column.provisions[at]!);
    if (column.indicators[at] !== NONE) entry.indicators = list(column.indicators[at]!);
    if (column.documentKind[at] !== NONE) entry.documentKind = text(column.documentKind[at]!);
    if (id === '') entry.id = derivedId(kind, entry.caseId, entry.documentId, entry.page, entry.targetId);
    decoded[at] = [number, entry];
  }
  // Kept as bytes (a copy: the caller wipes its own) until asked for; a cut or lengthened part is told at once.
  if (4 + mainLength + (parsed.skeletonBytes as number) !== bytes.byteLength) throw damaged();
  const rest = bytes.slice(4 + mainLength);
  const skeletons = (): [number, string][] => {
    const pairs: unknown = JSON.parse(decoder.decode(rest));
    rest.fill(0);
    if (!Array.isArray(pairs)) throw damaged();
    for (const pair of pairs as unknown[])
      if (!Array.isArray(pair) || !Number.isSafeInteger(pair[0]) || typeof pair[1] !== 'string') throw damaged();
    return pairs as [number, string][];
  };
  return { nextNumber: nextNumber as number, entries: decoded, skeletons, extra: parsed.extra };
}
