import { describe, expect, it } from 'vitest';
import { INDICATOR_IDS } from '../../../renderer/src/vault';
import { ANSWERS, INDICATORS, tallyIndicators, type Answer } from '../../../renderer/src/observations/indicators';

const answer = (value: Answer, indicator: (typeof INDICATORS)[number]['id'] = 'presence-and-counsel') => ({
  indicator,
  accusedId: 'a1',
  answer: value,
});

describe('fair-trial indicator tallies', () => {
  it('covers exactly the indicators a stored hearing can answer', () => {
    expect(INDICATORS.map((indicator) => indicator.id)).toEqual([...INDICATOR_IDS]);
  });

  it('never counts Not observed or Unknown as Respected, and leaves Not applicable out', () => {
    const tally = tallyIndicators([
      answer('respected'),
      answer('not-observed'),
      answer('unknown'),
      answer('not-applicable'),
      answer('not-respected'),
    ]).find((row) => row.indicator === 'presence-and-counsel')!;
    expect(tally.counts).toEqual({
      respected: 1,
      'not-respected': 1,
      concern: 0,
      'not-observed': 1,
      'not-applicable': 1,
      unknown: 1,
    });
    expect(tally.applicable).toBe(4);
    expect(tally.metShare).toBe(0.25);
  });

  it('has no share where nothing was applicable, and counts each indicator apart', () => {
    const tallies = tallyIndicators([
      answer('not-applicable', 'juvenile-procedure'),
      answer('respected', 'interpreter'),
    ]);
    expect(tallies.find((row) => row.indicator === 'juvenile-procedure')?.metShare).toBeNull();
    expect(tallies.find((row) => row.indicator === 'interpreter')?.metShare).toBe(1);
    expect(tallies).toHaveLength(INDICATORS.length);
  });

  it('holds every answer of every indicator exactly once in the counts (property over many random sets)', () => {
    let seed = 7;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % limit;
    };
    for (let round = 0; round < 200; round++) {
      const answers = Array.from({ length: random(60) }, () =>
        answer(ANSWERS[random(ANSWERS.length)]!, INDICATORS[random(INDICATORS.length)]!.id),
      );
      const tallies = tallyIndicators(answers);
      const total = tallies.reduce((sum, row) => sum + Object.values(row.counts).reduce((a, b) => a + b, 0), 0);
      expect(total).toBe(answers.length);
      for (const row of tallies) {
        const met = answers.filter((entry) => entry.indicator === row.indicator && entry.answer === 'respected').length;
        expect(row.counts.respected).toBe(met);
        if (row.metShare !== null) expect(row.metShare).toBeLessThanOrEqual(1);
      }
    }
  });
});
