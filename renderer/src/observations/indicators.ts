import { INDICATOR_ANSWERS } from '../vault';

/**
 * Fair-trial indicators, grounded in ICCPR art. 14 and Human Rights Committee
 * General Comment 32 (CCPR/C/GC/32), with the HURIDOCS list-4 code where one
 * exists (a mapping key for exports). `individual` rights are answered for
 * each accused; the others once per hearing.
 */
export const INDICATORS = [
  { id: 'public-hearing', iccpr: '14(1)', gc32: '28–29', huridocs: '350115', individual: false },
  { id: 'independence-impartiality', iccpr: '14(1)', gc32: '18–21', huridocs: '350104', individual: false },
  { id: 'equality-of-arms', iccpr: '14(1), 14(3)(e)', gc32: '13', huridocs: '350106', individual: true },
  { id: 'presumption-of-innocence', iccpr: '14(2)', gc32: '30', huridocs: '350101', individual: true },
  { id: 'informed-of-charges', iccpr: '14(3)(a)', gc32: '31', huridocs: '350107', individual: true },
  { id: 'rights-explained', iccpr: '—', gc32: '—', huridocs: null, individual: true },
  { id: 'adequate-time-facilities', iccpr: '14(3)(b)', gc32: '32–34', huridocs: '350102', individual: true },
  { id: 'disclosure-of-evidence', iccpr: '14(3)(b)', gc32: '33', huridocs: '350102', individual: true },
  { id: 'undue-delay', iccpr: '14(3)(c)', gc32: '35', huridocs: '350108', individual: true },
  { id: 'presence-and-counsel', iccpr: '14(3)(d)', gc32: '36–38', huridocs: '350109', individual: true },
  { id: 'witnesses', iccpr: '14(3)(e)', gc32: '39', huridocs: '350116', individual: true },
  { id: 'interpreter', iccpr: '14(3)(f)', gc32: '40', huridocs: '350105', individual: true },
  { id: 'self-incrimination', iccpr: '14(3)(g); 7', gc32: '6, 41', huridocs: '350118', individual: true },
  { id: 'juvenile-procedure', iccpr: '14(4)', gc32: '42–44', huridocs: null, individual: true },
  { id: 'legality', iccpr: '15', gc32: '—', huridocs: '350117', individual: true },
  { id: 'reasoned-judgment', iccpr: '14(1), 14(5)', gc32: '29, 49', huridocs: null, individual: true },
  { id: 'appeal', iccpr: '14(5)', gc32: '45–51', huridocs: null, individual: true },
  { id: 'ne-bis-in-idem', iccpr: '14(7)', gc32: '54–57', huridocs: '350110', individual: true },
] as const;

export type IndicatorId = (typeof INDICATORS)[number]['id'];

/** The answer scale (stored as the vault defines it). Only 'respected' counts as met; 'not-applicable' leaves the denominator. */
export const ANSWERS = INDICATOR_ANSWERS;
export type Answer = (typeof ANSWERS)[number];

export interface IndicatorAnswer {
  indicator: IndicatorId;
  /** Null for rights answered once per hearing. */
  accusedId: string | null;
  answer: Answer;
}

export interface IndicatorTally {
  indicator: IndicatorId;
  counts: Record<Answer, number>;
  /** Answers that could have been met: everything but 'not-applicable'. */
  applicable: number;
  /** Share met among applicable answers: 'not-observed' and 'unknown' stay in the denominator, never as met. */
  metShare: number | null;
}

function emptyCounts(): Record<Answer, number> {
  return Object.fromEntries(ANSWERS.map((answer) => [answer, 0])) as Record<Answer, number>;
}

/** Indicator × answer counts across any number of hearings' answers. */
export function tallyIndicators(answers: Iterable<Pick<IndicatorAnswer, 'indicator' | 'answer'>>): IndicatorTally[] {
  const counts = new Map<IndicatorId, Record<Answer, number>>(
    INDICATORS.map((indicator) => [indicator.id, emptyCounts()]),
  );
  for (const { indicator, answer } of answers) {
    const row = counts.get(indicator);
    if (row && ANSWERS.includes(answer)) row[answer] += 1;
  }
  return INDICATORS.map(({ id }) => {
    const row = counts.get(id)!;
    const applicable = ANSWERS.filter((answer) => answer !== 'not-applicable').reduce(
      (sum, answer) => sum + row[answer],
      0,
    );
    return { indicator: id, counts: row, applicable, metShare: applicable === 0 ? null : row.respected / applicable };
  });
}
