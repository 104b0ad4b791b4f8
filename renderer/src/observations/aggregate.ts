import { tallyAnswers, type HearingListing, type HearingTally } from '../vault';
import { tallyIndicators, type IndicatorTally } from './indicators';

/** One hearing as aggregates count it: the version chosen and where it belongs. */
export interface CountedHearing {
  id: string;
  caseId: string;
  fields: HearingTally;
  /** True when the counted version is a draft nobody has signed off. */
  draft: boolean;
}

/**
 * Which version of each hearing counts: the latest signed-off one. Drafts
 * are unreviewed, so they count only when asked for; a hearing being
 * re-edited after sign-off counts with its signed-off version.
 */
export function countedHearings(
  hearings: readonly HearingListing[],
  includeDrafts: boolean,
): { counted: CountedHearing[]; draftsLeftOut: number } {
  const counted: CountedHearing[] = [];
  let draftsLeftOut = 0;
  for (const hearing of hearings) {
    if (includeDrafts && hearing.state === 'draft')
      counted.push({ id: hearing.id, caseId: hearing.caseId, fields: hearing.current, draft: true });
    else if (hearing.latestFinal)
      counted.push({ id: hearing.id, caseId: hearing.caseId, fields: hearing.latestFinal, draft: false });
    else draftsLeftOut += 1;
  }
  return { counted, draftsLeftOut };
}

export interface HearingAggregate {
  hearings: number;
  cases: number;
  accused: number;
  adjourned: number;
  withoutCounsel: number;
  counselPartlyAbsent: number;
  tallies: IndicatorTally[];
}

/** "N hearings in M cases", counsel counts, and indicator × answer counts. */
export function aggregateHearings(hearings: readonly CountedHearing[]): HearingAggregate {
  return {
    hearings: hearings.length,
    cases: new Set(hearings.map((hearing) => hearing.caseId)).size,
    accused: hearings.reduce((sum, hearing) => sum + hearing.fields.accused, 0),
    adjourned: hearings.filter((hearing) => !hearing.fields.held).length,
    withoutCounsel: hearings.filter((hearing) => hearing.fields.withoutCounsel).length,
    counselPartlyAbsent: hearings.filter((hearing) => hearing.fields.counselPartlyAbsent).length,
    tallies: tallyIndicators(hearings.flatMap((hearing) => tallyAnswers(hearing.fields))),
  };
}
