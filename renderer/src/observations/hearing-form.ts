import { emptyHearingFields, type HearingFields } from '../vault';
import { todayDate } from './approximate-dates';

/**
 * What the hearing form edits: the fields, plus the raw text of list inputs
 * ("Khmer, English") so typing a comma does not fight the parser. The whole
 * form is what the encrypted draft keeps.
 */
export interface HearingForm {
  fields: HearingFields;
  /** Raw text of list inputs: 'languages' and 'affiliations:<accused id>'. */
  lists: Record<string, string>;
}

export type Accused = HearingFields['accused'][number];
export type Charge = Accused['charges'][number];
export type Verdict = Accused['verdicts'][number];
export type IndicatorEntry = HearingFields['indicators'][number];

export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function formFromFields(fields: HearingFields): HearingForm {
  return {
    fields,
    lists: {
      languages: fields.languages.join(', '),
      ...Object.fromEntries(
        fields.accused.map((accused) => [`affiliations:${accused.id}`, accused.affiliations.join(', ')]),
      ),
    },
  };
}

export function newHearingForm(): HearingForm {
  return formFromFields(emptyHearingFields(todayDate()));
}

/** The fields to store: list texts parsed, text trimmed where the schema trims. */
export function fieldsFromForm(form: HearingForm): HearingFields {
  const { fields, lists } = form;
  return {
    ...fields,
    languages: splitList(lists.languages ?? ''),
    accused: fields.accused.map((accused) => ({
      ...accused,
      affiliations: splitList(lists[`affiliations:${accused.id}`] ?? ''),
    })),
  };
}

/** A draft read back from the vault: kept only if it has the form's shape. */
export function isHearingForm(value: unknown): value is HearingForm {
  const candidate = value as Partial<HearingForm> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.fields === 'object' &&
    candidate.fields !== null &&
    Array.isArray(candidate.fields.accused) &&
    Array.isArray(candidate.fields.indicators) &&
    typeof candidate.lists === 'object' &&
    candidate.lists !== null
  );
}

export function newAccused(id: string): Accused {
  return {
    id,
    name: '',
    sensitive: false,
    sex: 'unknown',
    age: null,
    juvenile: false,
    affiliations: [],
    custody: 'unknown',
    presence: 'in-person',
    counsel: { present: 'unknown', kind: 'unknown', consultedPrivately: 'unknown', notes: '' },
    charges: [],
    verdicts: [],
  };
}

export function newCharge(id: string): Charge {
  return {
    id,
    provision: '',
    offence: '',
    allegedFacts: '',
    allegedDates: '',
    maxPenalty: '',
    requalified: false,
    concernsFreedoms: [],
  };
}

export function newVerdict(chargeId: string): Verdict {
  return {
    chargeId,
    outcome: 'convicted',
    prisonMonths: null,
    suspendedMonths: null,
    fine: null,
    otherPenalties: '',
    timeServedDays: null,
    pronouncedPublicly: 'unknown',
    writtenJudgmentObtained: 'unknown',
    appealLodged: 'unknown',
    appealDeadline: '',
  };
}

/** Removing an accused removes everything recorded about them. */
export function withoutAccused(fields: HearingFields, accusedId: string): HearingFields {
  return {
    ...fields,
    accused: fields.accused.filter((accused) => accused.id !== accusedId),
    indicators: fields.indicators.filter((entry) => entry.accusedId !== accusedId),
    review: {
      ...fields.review,
      indicators: fields.review.indicators.filter((entry) => entry.accusedId !== accusedId),
    },
  };
}

/** "48" months as years and months, for the two inputs a monitor types. */
export function splitMonths(months: number | null): { years: string; months: string } {
  if (months === null) return { years: '', months: '' };
  return { years: String(Math.floor(months / 12)), months: String(months % 12) };
}

export function joinMonths(years: string, months: string): number | null {
  if (years.trim() === '' && months.trim() === '') return null;
  const total = (Number(years) || 0) * 12 + (Number(months) || 0);
  return Number.isFinite(total) ? Math.max(0, Math.round(total)) : null;
}

/** A number input's value: empty means "not recorded". */
export function numberOrNull(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
