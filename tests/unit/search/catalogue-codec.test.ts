import { describe, expect, it } from 'vitest';
import {
  decodeCataloguePiece,
  encodeCataloguePiece,
  isCatalogueHead,
  PIECE_NUMBERS,
  type CataloguePiece,
} from '../../../renderer/src/vault/worker/search/catalogue-codec';

const catalogue: CataloguePiece = {
  entries: [
    [1, { id: 'case:c1', kind: 'case', caseId: 'c1', title: 'Koet Saray', fingerprint: 'f1', tags: ['urgent'] }],
    [
      2,
      {
        id: 'page:d1:3',
        kind: 'page',
        caseId: 'c1',
        title: 'letter.pdf',
        source: 'row-1',
        documentId: 'd1',
        page: 3,
        documentKind: 'pdf',
        fingerprint: 'f2',
      },
    ],
    [
      7,
      {
        id: 'hearing:h1',
        kind: 'hearing',
        caseId: 'c1',
        title: '2025-03-04',
        targetId: 'h1',
        date: '2025-03-04',
        provisions: ['494', '495'],
        indicators: ['counsel:no'],
        tags: ['urgent'],
        fingerprint: 'f3',
      },
    ],
  ],
  skeletons: [[2, 'មធវ']],
};
const decodeCatalogue = (bytes: Uint8Array, piece = 0) => decodeCataloguePiece(bytes, piece);
const encodeCatalogue = encodeCataloguePiece;

describe('search catalogue codec', () => {
  it('reads back every entry as it was, optional fields absent where they were', () => {
    const decoded = decodeCatalogue(encodeCatalogue(catalogue));
    expect(decoded).toEqual(catalogue);
    for (const [at, [, entry]] of decoded.entries.entries())
      expect(Object.keys(entry).sort()).toEqual(Object.keys(catalogue.entries[at]![1]).sort());
  });

  it('writes a string entries share once, no id the other fields give, and numbers as steps', () => {
    const text = new TextDecoder().decode(encodeCatalogue(catalogue));
    expect(text.split('"c1"').length - 1).toBe(1);
    expect(text.split('urgent').length - 1).toBe(1);
    for (const id of ['case:c1', 'page:d1:3', 'hearing:h1']) expect(text).not.toContain(id);
    expect(text).toContain('"number":[1,1,5]');
  });

  it('keeps an id its fields would not give', () => {
    const odd: CataloguePiece = {
      ...catalogue,
      entries: [
        [3, { id: 'annotation:other', kind: 'annotation', caseId: 'c1', title: '', targetId: 'a1', fingerprint: 'f' }],
      ],
    };
    const read = decodeCatalogue(encodeCatalogue(odd));
    expect(read.entries).toEqual(odd.entries);
  });

  it('refuses another version, another piece, and anything it would not have written', () => {
    const bytes = encodeCatalogue(catalogue);
    const good = JSON.parse(new TextDecoder().decode(bytes)) as { columns: Record<string, unknown[]> };
    const encode = (value: object) => new TextEncoder().encode(JSON.stringify(value));
    const changed = (column: string, at: number, value: unknown) => {
      const copy = structuredClone(good);
      copy.columns[column]![at] = value;
      return encode(copy);
    };
    expect(decodeCatalogue(encode(good))).toEqual(catalogue);
    expect(() => decodeCatalogue(encode({ ...good, version: 4 }))).toThrow('version');
    // Its numbers must fall in the piece it is read as.
    expect(() => decodeCatalogue(bytes, 1)).toThrow('damaged');
    expect(() => decodeCatalogue(changed('caseId', 0, 999))).toThrow('damaged');
    // Past the piece's end, or not after the number before.
    expect(() => decodeCatalogue(changed('number', 2, PIECE_NUMBERS))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('number', 1, 0))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('kind', 0, 9))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('fingerprint', 0, 7))).toThrow('damaged');
    const short = structuredClone(good);
    short.columns.title!.pop();
    expect(() => decodeCatalogue(encode(short))).toThrow('damaged');
    expect(() => decodeCatalogue(encode({ ...good, skeletons: [[PIECE_NUMBERS, 'ក']] }))).toThrow('damaged');
    expect(() => decodeCatalogue(bytes.subarray(0, 20))).toThrow();
  });

  it('takes a head only as this version writes it: one entry count a piece', () => {
    expect(isCatalogueHead({ version: 5, nextNumber: 10, counts: [3] })).toBe(true);
    expect(isCatalogueHead({ version: 5, nextNumber: PIECE_NUMBERS + 1, counts: [3, 1] })).toBe(true);
    expect(isCatalogueHead({ version: 5, nextNumber: PIECE_NUMBERS + 1, counts: [3] })).toBe(false);
    expect(isCatalogueHead({ version: 4, nextNumber: 10, counts: [3] })).toBe(false);
    expect(isCatalogueHead({ version: 5, nextNumber: 10, counts: [PIECE_NUMBERS + 1] })).toBe(false);
    expect(isCatalogueHead({ version: 5, nextNumber: 0, counts: [] })).toBe(false);
    expect(isCatalogueHead(undefined)).toBe(false);
  });
});
