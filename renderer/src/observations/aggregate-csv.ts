import { spreadsheetCsv } from '../files';
import type { CaseSummary } from '../vault';
import { tallyAnswers } from '../vault';
import type { CountedHearing, HearingAggregate } from './aggregate';
import { ANSWERS, INDICATORS, tallyIndicators } from './indicators';

import type { TFunction } from 'i18next';

type Translate = TFunction;

/** Indicator × answer counts, one row per indicator (as the screen shows them). */
export function indicatorCountsCsv(aggregate: HearingAggregate, t: Translate): string {
  const columns = [
    t('csv.indicatorId'),
    t('csv.indicator'),
    t('csv.iccpr'),
    ...ANSWERS.map((answer) => t(`answer.${answer}`)),
    t('csv.applicable'),
    t('csv.respectedShare'),
  ];
  const rows = aggregate.tallies.map((tally) => {
    const meta = INDICATORS.find((entry) => entry.id === tally.indicator)!;
    return Object.fromEntries([
      [columns[0]!, tally.indicator],
      [columns[1]!, t(`indicator.${tally.indicator}`)],
      [columns[2]!, meta.iccpr],
      ...ANSWERS.map((answer) => [t(`answer.${answer}`), tally.counts[answer]]),
      [columns[columns.length - 2]!, tally.applicable],
      [columns[columns.length - 1]!, tally.metShare === null ? '' : Number(tally.metShare.toFixed(4))],
    ]) as Record<string, string | number>;
  });
  return spreadsheetCsv(rows, columns);
}

/** One row per hearing counted: where, when, counsel, and its answers by status. */
export function hearingsCsv(hearings: readonly CountedHearing[], cases: readonly CaseSummary[], t: Translate): string {
  const titles = new Map(cases.map((entry) => [entry.id, entry.title]));
  const columns = [
    t('csv.case'),
    t('csv.date'),
    t('csv.stage'),
    t('csv.court'),
    t('csv.held'),
    t('csv.accused'),
    t('csv.withoutCounsel'),
    t('csv.counselPartlyAbsent'),
    t('csv.signedOff'),
    ...ANSWERS.map((answer) => t(`answer.${answer}`)),
  ];
  const rows = hearings.map((hearing) => {
    const counts = tallyIndicators(tallyAnswers(hearing.fields)).reduce<Record<string, number>>((sum, tally) => {
      for (const answer of ANSWERS) sum[answer] = (sum[answer] ?? 0) + tally.counts[answer];
      return sum;
    }, {});
    const yes = t('csv.yes');
    const no = t('csv.no');
    return Object.fromEntries([
      [columns[0]!, titles.get(hearing.caseId) ?? hearing.caseId],
      [columns[1]!, hearing.fields.date],
      [columns[2]!, t(`stage.${hearing.fields.stage}`)],
      [columns[3]!, hearing.fields.court],
      [columns[4]!, hearing.fields.held ? yes : no],
      [columns[5]!, hearing.fields.accused],
      [columns[6]!, hearing.fields.withoutCounsel ? yes : no],
      [columns[7]!, hearing.fields.counselPartlyAbsent ? yes : no],
      [columns[8]!, hearing.draft ? no : yes],
      ...ANSWERS.map((answer) => [t(`answer.${answer}`), counts[answer] ?? 0]),
    ]) as Record<string, string | number>;
  });
  return spreadsheetCsv(rows, columns);
}
