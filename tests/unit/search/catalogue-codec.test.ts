import { describe, expect, it } from 'vitest';
import {
  decodeCatalogue,
  encodeCatalogue,
  type Catalogue,
} from '../../../renderer/src/vault/worker/search/catalogue-codec';

const catalogue: Catalogue = {
  nextNumber: 10,
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
  extra: { tags: [['row-1', 'aa']] },
};

describe('search catalogue codec', () => {
  it('reads back every entry as it was, optional fields absent where they were', () => {
    const read = decodeCatalogue(encodeCatalogue(catalogue));
    const decoded = { ...read, skeletons: read.skeletons() };
    expect(decoded).toEqual(catalogue);
    for (const [at, [, entry]] of decoded.entries.entries())
      expect(Object.keys(entry).sort()).toEqual(Object.keys(catalogue.entries[at]![1]).sort());
  });

  it('writes a string entries share once, no id the other fields give, and numbers as steps', () => {
    const text = new TextDecoder().decode(encodeCatalogue(catalogue).subarray(4));
    expect(text.split('"c1"').length - 1).toBe(1);
    expect(text.split('urgent').length - 1).toBe(1);
    for (const id of ['case:c1', 'page:d1:3', 'hearing:h1']) expect(text).not.toContain(id);
    expect(text).toContain('"number":[1,1,5]');
  });

  it('keeps an id its fields would not give', () => {
    const odd: Catalogue = {
      ...catalogue,
      entries: [
        [3, { id: 'annotation:other', kind: 'annotation', caseId: 'c1', title: '', targetId: 'a1', fingerprint: 'f' }],
      ],
    };
    const read = decodeCatalogue(encodeCatalogue(odd));
    expect(read.entries).toEqual(odd.entries);
  });

  it('refuses another version, and anything it would not have written', () => {
    const bytes = encodeCatalogue(catalogue);
    const mainLength = new DataView(bytes.buffer).getUint32(0);
    const good = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + mainLength))) as {
      columns: Record<string, unknown[]>;
    };
    const encode = (value: object) => {
      const main = new TextEncoder().encode(JSON.stringify({ ...value, skeletonBytes: 2 }));
      const out = new Uint8Array(4 + main.byteLength + 2);
      new DataView(out.buffer).setUint32(0, main.byteLength);
      out.set(main, 4);
      out.set(new TextEncoder().encode('[]'), 4 + main.byteLength);
      return out;
    };
    const changed = (column: string, at: number, value: unknown) => {
      const copy = structuredClone(good);
      copy.columns[column]![at] = value;
      return encode(copy);
    };
    expect(() => decodeCatalogue(encode({ ...good, version: 3 }))).toThrow('version');
    expect(() => decodeCatalogue(changed('caseId', 0, 999))).toThrow('damaged');
    // Past nextNumber, or not after the number before.
    expect(() => decodeCatalogue(changed('number', 2, 9))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('number', 1, 0))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('kind', 0, 9))).toThrow('damaged');
    expect(() => decodeCatalogue(changed('fingerprint', 0, 7))).toThrow('damaged');
    const short = structuredClone(good);
    short.columns.title!.pop();
    expect(() => decodeCatalogue(encode(short))).toThrow('damaged');
    expect(() => decodeCatalogue(bytes.subarray(0, 20))).toThrow();
    // Damaged skeletons are found when they are read.
    const lateDamage = encode(good);
    lateDamage.set(new TextEncoder().encode('{}'), lateDamage.byteLength - 2);
    expect(() => decodeCatalogue(lateDamage).skeletons()).toThrow('damaged');
  });
});
