import type { SearchKind } from '../../api';
import type { IndexedEntry } from './search-index';

/**
 * The search catalogue: every entry the index holds (no text), by number,
 * with its Khmer skeleton. It is stored in pieces, one for each run of
 * `PIECE_NUMBERS` numbers, each a row of its own (search-snapshot.ts), so
 * an unlock reads only the pieces a search's hits fall in, and a store
 * after an edit writes only the pieces that changed. A piece is kept small
 * and quick to take in:
 * - by column, not by entry: fifteen arrays instead of one small array an entry;
 * - every string its entries share (a case id, a document's name and id, a row id, tags) written once, in a
 *   table, and named by its place there;
 * - no id an entry's other fields give (`annotation:` and its target, `page:`, its document and page…);
 * - each number as its distance from the one before.
 * UTF-8 JSON; only ever stored sealed.
 *
 *   { version: 5, count, strings: [...], columns: { number, kind, id, caseId, title, source, documentId, page,
 *   targetId, date, tags, provisions, indicators, documentKind, fingerprint }, skeletons: [[number, skeleton], ...] }
 *
 * Each column holds `count` values, one an entry. `caseId`, `title`, `source`, `documentId`, `date`,
 * `documentKind` are places in `strings` (-1: none); `tags`, `provisions`, `indicators` are places of a JSON
 * array in `strings`; `page` -1 is none; `targetId` '' is none; `id` '' is the one its kind gives
 * (`derivedId`). Versions 1 to 4 (the catalogue whole, in one blob) are not read: the index is then built
 * again from the records.
 */
export const CATALOGUE_VERSION = 5;

/** How many numbers a piece covers: piece k holds the entries numbered k × PIECE_NUMBERS up to the next piece. */
export const PIECE_NUMBERS = 256;

/** The piece an entry number falls in. */
export const pieceOf = (number: number): number => Math.floor(number / PIECE_NUMBERS);

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

/** One piece of the catalogue: its entries by number, increasing, and the Khmer skeletons of those that have one. */
export interface CataloguePiece {
  entries: [number, IndexedEntry][];
  skeletons: [number, string][];
}

export function encodeCataloguePiece({ entries, skeletons }: CataloguePiece): Uint8Array {
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
  return new TextEncoder().encode(
    JSON.stringify({ version: CATALOGUE_VERSION, count: entries.length, strings, columns, skeletons }),
  );
}

const damaged = () => new Error('damaged search catalogue');

/**
 * The piece in `bytes`, whose numbers must fall in piece `piece`; throws on
 * another version or on anything `encodeCataloguePiece` would not write.
 */
export function decodeCataloguePiece(bytes: Uint8Array, piece: number): CataloguePiece {
  const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as {
    version?: unknown;
    count?: unknown;
    strings?: unknown;
    columns?: Partial<Record<string, unknown>>;
    skeletons?: unknown;
  };
  if (parsed.version !== CATALOGUE_VERSION) throw new Error('unknown search snapshot version');
  const { count, strings, columns, skeletons } = parsed;
  if (!Number.isSafeInteger(count) || !Array.isArray(strings) || !Array.isArray(skeletons)) throw damaged();
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
  const from = piece * PIECE_NUMBERS;
  const inPiece = (number: unknown): number is number =>
    Number.isSafeInteger(number) && (number as number) >= from && (number as number) < from + PIECE_NUMBERS;
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
    if (!inPiece(number) || number <= 0) throw damaged();
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
  for (const pair of skeletons as unknown[])
    if (!Array.isArray(pair) || !inPiece(pair[0]) || typeof pair[1] !== 'string') throw damaged();
  return { entries: decoded, skeletons: skeletons as [number, string][] };
}

/**
 * What the search snapshot's pointer says of the catalogue: enough for a
 * search to start before any piece is read. `counts[k]` is how many entries
 * piece k holds (a piece with none has no row).
 */
export interface CatalogueHead {
  version: typeof CATALOGUE_VERSION;
  nextNumber: number;
  counts: number[];
}

/** Whether `value` is a head this version wrote (anything else: the index is built again). */
export function isCatalogueHead(value: unknown): value is CatalogueHead {
  const head = value as Partial<CatalogueHead> | undefined;
  return (
    head?.version === CATALOGUE_VERSION &&
    Number.isSafeInteger(head.nextNumber) &&
    (head.nextNumber ?? 0) >= 1 &&
    Array.isArray(head.counts) &&
    head.counts.length === Math.ceil((head.nextNumber ?? 0) / PIECE_NUMBERS) &&
    head.counts.every((count) => Number.isSafeInteger(count) && count >= 0 && count <= PIECE_NUMBERS)
  );
}
