import { describe, expect, it } from 'vitest';
import {
  keyGroups,
  normaliseGroup,
  pickGroups,
  recoveryKeyFileName,
} from '../../../renderer/src/app/gate/recovery-key-groups';

const KEY = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';

describe('recovery key groups', () => {
  it('splits the formatted key into its 14 groups', () => {
    expect(keyGroups(KEY)).toHaveLength(14);
    expect(keyGroups(KEY)[2]).toBe('JKMN');
  });

  it('compares typed groups the way the worker parses keys', () => {
    expect(normaliseGroup(' jk mn ')).toBe('JKMN');
    expect(normaliseGroup('yzol')).toBe('YZ01');
    expect(normaliseGroup('yzOi')).toBe('YZ01');
  });

  it('asks for distinct positions, in order, within the key', () => {
    for (let round = 0; round < 200; round++) {
      const asked = pickGroups(14, 2);
      expect(asked).toHaveLength(2);
      expect(asked[0]).toBeLessThan(asked[1]!);
      expect(asked.every((position) => position >= 0 && position < 14)).toBe(true);
    }
    expect(pickGroups(1, 2)).toEqual([0]);
  });

  it('names the saved file with a date only', () => {
    const name = recoveryKeyFileName(new Date(2026, 0, 5));
    expect(name).toBe('ev-2026-01-05.txt');
    expect(name).not.toMatch(/recovery|key|vault|evidence/i);
  });
});
