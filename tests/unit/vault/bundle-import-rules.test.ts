import { describe, expect, it } from 'vitest';
import { caseBringers, keepsSignedOffHistory } from '../../../renderer/src/vault/worker/bundle-import-rules';

const importOf = (
  signingKey: string,
  importedAt: number,
  fields: { created?: string[]; taken?: Record<string, string> },
) => ({
  importedAt,
  signer: { signingKey },
  ...fields,
});

describe('who brought each case', () => {
  it('is the import that created it, the first one when several name it', () => {
    const bringers = caseBringers([
      importOf('bob', 20, { created: ['c1'], taken: { 'case:c1': 'case:c1' } }),
      importOf('alice', 10, { created: ['c1'], taken: { 'case:c1': 'case:c1' } }),
      importOf('carol', 30, { created: [], taken: { 'case:c2': 'case:c2' } }),
    ]);
    expect(bringers).toEqual(new Map([['c1', 'alice']]));
  });

  it('for imports recorded before `created`, the first that wrote the case, unless the log says it was made here', () => {
    const legacy = [
      importOf('mallory', 10, { taken: { 'case:mine': 'case:mine', 'case:theirs': 'case:theirs' } }),
      importOf('alice', 5, { taken: { 'event:e': 'event:e' } }),
    ];
    expect(caseBringers(legacy)).toEqual(
      new Map([
        ['mine', 'mallory'],
        ['theirs', 'mallory'],
      ]),
    );
    expect(caseBringers(legacy, new Set(['mine']))).toEqual(new Map([['theirs', 'mallory']]));
  });
});

describe('signed-off hearing history', () => {
  const version = (n: number, court = 'Phnom Penh') => ({
    version: n,
    finalisedAt: n,
    finalisedBy: 'a',
    value: { court },
  });
  const hearing = (...history: unknown[]) => ({ hearing: { history } });

  it('may only grow after the versions already signed off', () => {
    expect(keepsSignedOffHistory(hearing(version(1)), hearing(version(1), version(2)))).toBe(true);
    expect(keepsSignedOffHistory(hearing(version(1)), hearing(version(1)))).toBe(true);
    expect(keepsSignedOffHistory(hearing(), hearing(version(1)))).toBe(true);
  });

  it('never drops, reorders or rewrites one, whatever the key order', () => {
    expect(keepsSignedOffHistory(hearing(version(1), version(2)), hearing(version(1)))).toBe(false);
    expect(keepsSignedOffHistory(hearing(version(1), version(2)), hearing(version(2), version(1)))).toBe(false);
    expect(keepsSignedOffHistory(hearing(version(1)), hearing(version(1, 'Kandal')))).toBe(false);
    const reordered = { value: { court: 'Phnom Penh' }, finalisedBy: 'a', finalisedAt: 1, version: 1 };
    expect(keepsSignedOffHistory(hearing(version(1)), hearing(reordered))).toBe(true);
  });
});
