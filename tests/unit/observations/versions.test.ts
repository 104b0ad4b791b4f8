import { describe, expect, it } from 'vitest';
import { edit, finalise, latestFinal, newVersioned } from '../../../renderer/src/vault/versions';

describe('versioning of finalised hearing records', () => {
  it('finalising keeps a snapshot; an edit afterwards starts version 2 and leaves version 1 as it was', () => {
    let record = newVersioned({ lawyerPresent: false, note: 'Lawyer absent at the opening' });
    record = edit(record, { lawyerPresent: false, note: 'Lawyer absent at the opening; arrived 10:40' });
    expect(record.version).toBe(1);
    record = finalise(record, 'monitor-1', 1000);
    expect(record.state).toBe('final');
    const signed = latestFinal(record);

    record = edit(record, { lawyerPresent: true, note: 'Corrected after reviewing the court record' });
    expect(record).toMatchObject({ state: 'draft', version: 2 });
    expect(latestFinal(record)).toEqual(signed);
    expect(record.history).toEqual([
      {
        version: 1,
        finalisedAt: 1000,
        finalisedBy: 'monitor-1',
        value: { lawyerPresent: false, note: 'Lawyer absent at the opening; arrived 10:40' },
      },
    ]);

    record = finalise(record, 'reviewer-2', 2000);
    expect(record.history.map((entry) => [entry.version, entry.finalisedBy])).toEqual([
      [1, 'monitor-1'],
      [2, 'reviewer-2'],
    ]);
  });

  it('refuses to finalise twice, and snapshots do not share state with later edits', () => {
    const value = { tags: ['art. 494'] };
    const final = finalise(newVersioned(value), 'monitor-1', 1);
    expect(() => finalise(final, 'monitor-1', 2)).toThrow(/already finalised/);
    value.tags.push('mutated later');
    expect(latestFinal(final)?.value).toEqual({ tags: ['art. 494'] });
  });
});
