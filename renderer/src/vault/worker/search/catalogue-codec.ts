import type { SearchKind } from '../../api';
import type { IndexedEntry } from './search-index';

/**
 * The search catalogue's bytes: every entry the index holds (no text), its
 * number, the Khmer skeletons, and what the search service keeps beside
 * them. Read whole at the first search after unlock, so it is kept small:
 * each entry is one array of fields, and every string entries share (a
 * case id, a document's name and id, a row id, tags) is written once, in
 * a table, and named by its place there. UTF-8 JSON; only ever stored sealed.
 *
 *   4-byte big-endian length of the first part ‖ { version: 3, nextNumber, strings: [...], entries: [[number,
 *   kind, id, case, title, source, document, page, target, date, tags, provisions, indicators, documentKind,
 *   fingerprint], ...], extra, skeletonBytes } ‖ [[number, skeleton], ...] (skeletonBytes long)
 *
 * The skeletons come last, apart, so that an unlock decodes them only at the first Khmer query or store.
 *
 * `case`, `title`, `source`, `document`, `date`, `documentKind` are places in `strings` (-1: none); `tags`,
 * `provisions`, `indicators` are places of a JSON array in `strings`; `page` -1 is none; `target` '' is none.
 */
export const CATALOGUE_VERSION = 3;

const KINDS: readonly SearchKind[] = ['case', 'document', 'page', 'annotation', 'hearing', 'event'];
const NONE = -1;

type Row = [
  number: number,
  kind: number,
  id: string,
  caseId: number,
  title: number,
  source: number,
  documentId: number,
  page: number,
  targetId: string,
  date: number,
  tags: number,
  provisions: number,
  indicators: number,
  documentKind: number,
  fingerprint: string,
];

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
  const rows = entries.map(([number, entry]): Row => [
    number,
    KINDS.indexOf(entry.kind),
    entry.id,
    place(entry.caseId),
    place(entry.title),
    place(entry.source),
    place(entry.documentId),
    entry.page ?? NONE,
    entry.targetId ?? '',
    place(entry.date),
    list(entry.tags),
    list(entry.provisions),
    list(entry.indicators),
    place(entry.documentKind),
    entry.fingerprint,
  ]);
  // Two parts, the skeletons apart: 4-byte big-endian length of the first ‖ the first ‖ the skeletons.
  const encoder = new TextEncoder();
  const rest = encoder.encode(JSON.stringify(skeletons));
  const main = encoder.encode(
    JSON.stringify({
      version: CATALOGUE_VERSION,
      nextNumber,
      strings,
      entries: rows,
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
    strings?: unknown;
    entries?: unknown;
    extra?: unknown;
    skeletonBytes?: unknown;
  };
  if (parsed.version !== CATALOGUE_VERSION) throw new Error('unknown search snapshot version');
  const { nextNumber, strings, entries } = parsed;
  if (!Number.isSafeInteger(nextNumber) || !Array.isArray(strings) || !Array.isArray(entries)) throw damaged();
  const text = (at: unknown): string | undefined => {
    if (at === NONE) return undefined;
    const value: unknown = strings[at as number];
    if (typeof value !== 'string') throw damaged();
    return value;
  };
  // Lists are read once each: entries that share one share the array (never changed in place).
  const lists = new Map<unknown, string[] | undefined>();
  const list = (at: unknown): string[] | undefined => {
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
  const decoded = (entries as unknown[]).map((row): [number, IndexedEntry] => {
    if (!Array.isArray(row) || row.length !== 15) throw damaged();
    const [number, kind, id, caseId, title, source, documentId, page, targetId, date, tags, provisions, indicators] =
      row as Row;
    const [, , , , , , , , , , , , , documentKind, fingerprint] = row as Row;
    if (!Number.isSafeInteger(number) || number >= (nextNumber as number) || typeof id !== 'string') throw damaged();
    if (KINDS[kind] === undefined || typeof targetId !== 'string' || typeof fingerprint !== 'string') throw damaged();
    if (!Number.isSafeInteger(page)) throw damaged();
    const entry: IndexedEntry = {
      id,
      kind: KINDS[kind],
      caseId: text(caseId) ?? '',
      title: text(title) ?? '',
      fingerprint,
    };
    // Only the fields an entry has: one decoded is equal to the one encoded.
    if (source !== NONE) entry.source = text(source);
    if (documentId !== NONE) entry.documentId = text(documentId);
    if (page !== NONE) entry.page = page;
    if (targetId !== '') entry.targetId = targetId;
    if (date !== NONE) entry.date = text(date);
    if (tags !== NONE) entry.tags = list(tags);
    if (provisions !== NONE) entry.provisions = list(provisions);
    if (indicators !== NONE) entry.indicators = list(indicators);
    if (documentKind !== NONE) entry.documentKind = text(documentKind);
    return [number, entry];
  });
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
