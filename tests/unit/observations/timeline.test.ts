import { describe, expect, it } from 'vitest';
import type { HearingRecord, TimelineEventRecord } from '../../../renderer/src/vault';
import { newVersioned } from '../../../renderer/src/vault/versions';
import { buildTimeline, detentionSpells } from '../../../renderer/src/observations/timeline';
import { koetSarayHearing } from '../../fixtures/hearings';

let next = 0;
function event(kind: TimelineEventRecord['kind'], date: string, person = ''): TimelineEventRecord {
  next += 1;
  const id = next.toString(16).padStart(32, '0');
  return {
    id,
    caseId: 'c'.repeat(32),
    createdAt: next,
    updatedAt: next,
    kind,
    date,
    person,
    description: '',
    sources: [],
  };
}

const hearing: HearingRecord = {
  id: 'h'.repeat(32),
  caseId: 'c'.repeat(32),
  createdAt: 0,
  updatedAt: 0,
  hearing: newVersioned(koetSarayHearing()),
};

describe('case timeline', () => {
  it('puts hearings on the timeline by themselves, in date order with approximate dates', () => {
    const items = buildTimeline(
      [event('release', '2026'), event('arrest', '2025-03'), event('charge', '2025-03-20')],
      [hearing],
    );
    expect(items.map((item) => [item.kind, item.date, item.origin])).toEqual([
      ['arrest', '2025-03', 'event'],
      ['charge', '2025-03-20', 'event'],
      ['verdict', '2025-07-17', 'hearing'],
      ['release', '2026', 'event'],
    ]);
    expect(items[2]!.sources).toEqual([{ kind: 'hearing', id: hearing.id }]);
  });

  it('computes pre-trial detention per person, as a range when dates are approximate', () => {
    const items = buildTimeline(
      [
        event('arrest', '2025-03', 'Zqaccused Koet Saray'),
        event('arrest', '2024-01-10', 'Other Person'),
        event('bail', '2024-02-09', 'Other Person'),
      ],
      [hearing],
    );
    const spells = detentionSpells(items, '2026-01-01');
    expect(spells).toEqual([
      {
        person: 'Other Person',
        arrest: '2024-01-10',
        endedBy: 'bail',
        endDate: '2024-02-09',
        days: { min: 30, max: 30 },
      },
      // March 2025 to the verdict hearing on 17 July 2025: 108 to 138 days.
      {
        person: 'Zqaccused Koet Saray',
        arrest: '2025-03',
        endedBy: 'verdict',
        endDate: '2025-07-17',
        days: { min: 108, max: 138 },
      },
    ]);
  });

  it('counts to today for someone still held', () => {
    const spells = detentionSpells(buildTimeline([event('arrest', '2025-12-01', 'A')], []), '2025-12-31');
    expect(spells[0]).toMatchObject({ endedBy: null, endDate: null, days: { min: 30, max: 30 } });
  });
});
