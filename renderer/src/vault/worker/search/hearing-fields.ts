import type { HearingFields } from '../../hearing-model';
import { INDICATOR_IDS } from '../../hearing-model';

/**
 * The i18n keys that name a hearing's searched fields: the labels the
 * hearing form shows (a snippet says which field its words come from).
 */
export const HEARING_SEARCH_LABELS = [
  'hearing.path.court',
  'hearing.path.chamber',
  'hearing.path.languages',
  'hearing.adjournmentReason',
  'hearing.observerPseudonym',
  'hearing.accessNotes',
  'hearing.accusedName',
  'hearing.affiliations',
  'hearing.counselNotes',
  'hearing.provision',
  'hearing.offence',
  'hearing.allegedFacts',
  'hearing.allegedDates',
  'hearing.maxPenalty',
  'hearing.fineCurrency',
  'hearing.otherPenalties',
  'hearing.appealDeadline',
  'hearing.judges',
  'hearing.prosecutors',
  'hearing.civilParties',
  'hearing.witnesses',
  'hearing.interpreterFor',
  ...INDICATOR_IDS.map((indicator) => `indicator.${indicator}` as const),
  'hearing.monitorSummary',
  'hearing.reviewer',
  'hearing.reviewSummary',
  'hearing.reviewNote',
] as const;

export type HearingSearchLabel = (typeof HEARING_SEARCH_LABELS)[number];

/**
 * What a hearing says in words, each value under the label of its field, in
 * the form's order. Only what a person wrote: ids (of the hearing, accused,
 * charges, observers, evidence) and coded answers are left out, since a
 * snippet must read as the hearing does; coded answers are searched through
 * the filters (indicator and answer, provision, dates).
 */
export function hearingSearchFields(hearing: HearingFields): [HearingSearchLabel, string][] {
  const fields: [HearingSearchLabel, string][] = [
    ['hearing.path.court', hearing.court],
    ['hearing.path.chamber', hearing.chamber],
    ['hearing.path.languages', hearing.languages.join(', ')],
    ['hearing.adjournmentReason', hearing.adjournment?.reason ?? ''],
  ];
  for (const observer of hearing.observers)
    fields.push(['hearing.observerPseudonym', observer.pseudonym], ['hearing.accessNotes', observer.notes]);
  for (const accused of hearing.accused) {
    fields.push(
      ['hearing.accusedName', accused.name],
      ['hearing.affiliations', accused.affiliations.join(', ')],
      ['hearing.counselNotes', accused.counsel.notes],
    );
    for (const charge of accused.charges)
      fields.push(
        ['hearing.provision', charge.provision],
        ['hearing.offence', charge.offence],
        ['hearing.allegedFacts', charge.allegedFacts],
        ['hearing.allegedDates', charge.allegedDates],
        ['hearing.maxPenalty', charge.maxPenalty],
      );
    for (const verdict of accused.verdicts)
      fields.push(
        ['hearing.fineCurrency', verdict.fine?.currency ?? ''],
        ['hearing.otherPenalties', verdict.otherPenalties],
        ['hearing.appealDeadline', verdict.appealDeadline],
      );
  }
  const { participants } = hearing;
  fields.push(
    ['hearing.judges', participants.judges],
    ['hearing.prosecutors', participants.prosecutors],
    ['hearing.civilParties', participants.civilParties],
    ['hearing.witnesses', participants.witnesses],
    ['hearing.interpreterFor', participants.interpreter.forWhom],
  );
  for (const answer of hearing.indicators) fields.push([`indicator.${answer.indicator}`, answer.note]);
  fields.push(['hearing.monitorSummary', hearing.monitorSummary]);
  fields.push(['hearing.reviewer', hearing.review.reviewer], ['hearing.reviewSummary', hearing.review.summary]);
  for (const reviewed of hearing.review.indicators) fields.push(['hearing.reviewNote', reviewed.note]);
  return fields;
}
