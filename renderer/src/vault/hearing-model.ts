import { z } from './zod';

/**
 * A hearing as a trial monitor records it (see docs and the trial-observation
 * guide): facts first — who was there, the charges, what happened, each
 * fair-trial indicator answered per hearing or per accused — and the
 * assessment kept apart. Lists are bounded; free text is bounded.
 */

const text = z.string().trim().max(200);
const longText = z.string().max(50_000);
const itemId = z.string().min(1).max(64);
const MAX_ITEMS = 200;

/** Year, month, day, or a range of them ("2025-03/2025-04-02"): sources often give only part of a date. */
export const approximateDate = z
  .string()
  .regex(
    /^\d{4}(-\d{2}(-\d{2})?)?(\/\d{4}(-\d{2}(-\d{2})?)?)?$/,
    'An approximate date: 2025, 2025-03, 2025-03-14 or a range.',
  );
const clockTime = z.union([z.literal(''), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)]);
const yesNoUnknown = z.enum(['yes', 'no', 'partly', 'unknown']);

export const HEARING_STAGES = [
  'detention-review',
  'investigating-judge',
  'trial-session',
  'closing-arguments',
  'verdict',
  'appeal',
  'other',
] as const;

export const INDICATOR_IDS = [
  'public-hearing',
  'independence-impartiality',
  'equality-of-arms',
  'presumption-of-innocence',
  'informed-of-charges',
  'rights-explained',
  'adequate-time-facilities',
  'disclosure-of-evidence',
  'undue-delay',
  'presence-and-counsel',
  'witnesses',
  'interpreter',
  'self-incrimination',
  'juvenile-procedure',
  'legality',
  'reasoned-judgment',
  'appeal',
  'ne-bis-in-idem',
] as const;

/** Only 'respected' counts as met; 'not-observed' and 'unknown' never do. */
export const INDICATOR_ANSWERS = [
  'respected',
  'not-respected',
  'concern',
  'not-observed',
  'not-applicable',
  'unknown',
] as const;

type IndicatorId = (typeof INDICATOR_IDS)[number];
type IndicatorAnswer = (typeof INDICATOR_ANSWERS)[number];

export const chargeSchema = z.object({
  id: itemId,
  /** A provision from the vocabulary, e.g. "Criminal Code art. 494". */
  provision: text.min(1),
  offence: text,
  allegedFacts: longText,
  allegedDates: z.union([z.literal(''), approximateDate]),
  maxPenalty: text,
  requalified: z.boolean(),
  /** The conduct charged is expression, assembly or association (ICCPR 19, 21, 22). */
  concernsFreedoms: z.array(z.enum(['expression', 'assembly', 'association'])).max(3),
});

export const verdictSchema = z.object({
  chargeId: itemId,
  outcome: z.enum(['convicted', 'acquitted', 'dismissed', 'requalified', 'pending']),
  prisonMonths: z.number().int().nonnegative().max(1200).nullable(),
  suspendedMonths: z.number().int().nonnegative().max(1200).nullable(),
  fine: z.object({ amount: z.number().nonnegative().max(1e15), currency: text }).nullable(),
  otherPenalties: text,
  timeServedDays: z.number().int().nonnegative().max(100_000).nullable(),
  pronouncedPublicly: yesNoUnknown,
  writtenJudgmentObtained: yesNoUnknown,
  appealLodged: yesNoUnknown,
  appealDeadline: z.union([z.literal(''), approximateDate]),
});

export const accusedSchema = z.object({
  id: itemId,
  /** Name or pseudonym. */
  name: text.min(1),
  sensitive: z.boolean(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  age: z.number().int().min(0).max(130).nullable(),
  juvenile: z.boolean(),
  affiliations: z.array(text.min(1)).max(20),
  custody: z.enum(['detained', 'bailed', 'free', 'unknown']),
  presence: z.enum(['in-person', 'video', 'absent', 'in-absentia', 'unknown']),
  counsel: z.object({
    present: yesNoUnknown,
    kind: z.enum(['chosen', 'state-appointed', 'ngo', 'none', 'unknown']),
    consultedPrivately: yesNoUnknown,
    notes: longText,
  }),
  charges: z.array(chargeSchema).max(MAX_ITEMS),
  verdicts: z.array(verdictSchema).max(MAX_ITEMS),
  /**
   * Set on a sensitive defendant withheld from a bundle: `name` is a placeholder, affiliations and counsel notes
   * empty. An import never lets such a copy replace what this vault holds (docs/bundle-format.md, "Withheld people").
   */
  withheld: z.literal(true).optional(),
});

export const indicatorAnswerSchema = z.object({
  indicator: z.enum(INDICATOR_IDS),
  /** Null for rights answered once per hearing. */
  accusedId: itemId.nullable(),
  answer: z.enum(INDICATOR_ANSWERS),
  /** What was seen, without conclusions. */
  note: longText,
  /** Annotation or document ids that back it. */
  evidence: z.array(z.string().regex(/^[0-9a-f]{32}$/)).max(MAX_ITEMS),
});

/** Violation status (HURIDOCS list 41), for the reviewer's view of one indicator. */
export const VIOLATION_STATUSES = [
  'confirmed',
  'likely',
  'possible',
  'unlikely',
  'not-a-violation',
  'unknown',
] as const;

/** TrialWatch's overall grade: A (fair) to F (gross violations that affected the outcome or caused significant harm). */
export const TRIAL_GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

export const reviewSchema = z.object({
  reviewer: text,
  grade: z.union([z.literal(''), z.enum(TRIAL_GRADES)]),
  summary: longText,
  indicators: z
    .array(
      z.object({
        indicator: z.enum(INDICATOR_IDS),
        accusedId: itemId.nullable(),
        status: z.enum(VIOLATION_STATUSES),
        note: longText,
      }),
    )
    .max(INDICATOR_IDS.length * (MAX_ITEMS + 1)),
});
export type HearingReview = z.infer<typeof reviewSchema>;

function emptyReview(): HearingReview {
  return { reviewer: '', grade: '', summary: '', indicators: [] };
}

export const hearingFieldsSchema = z.object({
  date: approximateDate,
  scheduledStart: clockTime,
  actualStart: clockTime,
  actualEnd: clockTime,
  stage: z.enum(HEARING_STAGES),
  court: text,
  chamber: text,
  languages: z.array(text.min(1)).max(20),
  held: z.boolean(),
  adjournment: z
    .object({
      reason: longText,
      requestedBy: z.enum(['prosecution', 'defence', 'court', 'other', 'unknown']),
    })
    .nullable(),
  observers: z
    .array(
      z.object({
        id: itemId,
        pseudonym: text.min(1),
        access: z.enum(['permitted', 'restricted', 'denied']),
        notesAllowed: yesNoUnknown,
        notes: longText,
      }),
    )
    .max(20),
  accused: z.array(accusedSchema).max(MAX_ITEMS),
  participants: z.object({
    judges: text,
    prosecutors: text,
    civilParties: text,
    witnesses: longText,
    interpreter: z.object({ needed: yesNoUnknown, provided: yesNoUnknown, forWhom: text }),
    publicPresent: yesNoUnknown,
    mediaPresent: yesNoUnknown,
    diplomatsPresent: yesNoUnknown,
    securityVisible: yesNoUnknown,
  }),
  indicators: z.array(indicatorAnswerSchema).max(INDICATOR_IDS.length * (MAX_ITEMS + 1)),
  /** The monitor's summary of concerns: assessment, kept apart from the facts above. */
  monitorSummary: longText,
  /** A reviewer's assessment: a second layer over the monitor's facts. */
  review: reviewSchema.default(emptyReview),
});

export type HearingFields = z.infer<typeof hearingFieldsSchema>;

/** A blank hearing: a trial session held today, nobody recorded yet. */
export function emptyHearingFields(date: string): HearingFields {
  return {
    date,
    scheduledStart: '',
    actualStart: '',
    actualEnd: '',
    stage: 'trial-session',
    court: '',
    chamber: '',
    languages: [],
    held: true,
    adjournment: null,
    observers: [],
    accused: [],
    participants: {
      judges: '',
      prosecutors: '',
      civilParties: '',
      witnesses: '',
      interpreter: { needed: 'unknown', provided: 'unknown', forWhom: '' },
      publicPresent: 'unknown',
      mediaPresent: 'unknown',
      diplomatsPresent: 'unknown',
      securityVisible: 'unknown',
    },
    indicators: [],
    monitorSummary: '',
    review: emptyReview(),
  };
}

/** A hearing as stored: its fields under sign-off versions (versions.ts). */
export const storedHearingSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  caseId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  hearing: z.object({
    value: hearingFieldsSchema,
    state: z.enum(['draft', 'final']),
    version: z.number().int().positive(),
    history: z.array(
      z.object({
        version: z.number().int().positive(),
        finalisedAt: z.number().int().nonnegative(),
        finalisedBy: z.string().max(64),
        value: hearingFieldsSchema,
      }),
    ),
  }),
});

/**
 * What the monitoring view counts of one version of a hearing: when, which
 * stage, where, whether it was held, its accused and their counsel, and the
 * indicator answers (without notes or evidence), in a compact form: a
 * coordinator's vault lists thousands of them.
 */
export interface HearingTally {
  date: string;
  stage: HearingFields['stage'];
  court: string;
  held: boolean;
  /** How many accused. */
  accused: number;
  /** Some accused had no defence lawyer at this hearing. */
  withoutCounsel: boolean;
  /** Some accused's lawyer was there for only part of it (and none was missing altogether). */
  counselPartlyAbsent: boolean;
  /** Every answer, each as answerCode(indicator, answer). */
  answers: number[];
}

/**
 * An indicator answer as one number: the indicator's place in INDICATOR_IDS, then the answer's. Stored in the list
 * index: reordering either list, or inserting into it, needs a new `hearingListEntry` version (list-entries.ts).
 */
export function answerCode(indicator: IndicatorId, answer: IndicatorAnswer): number {
  return INDICATOR_IDS.indexOf(indicator) * INDICATOR_ANSWERS.length + INDICATOR_ANSWERS.indexOf(answer);
}

/** A tally's answers as indicator and answer again. */
export function tallyAnswers(
  tally: Pick<HearingTally, 'answers'>,
): { indicator: IndicatorId; answer: IndicatorAnswer }[] {
  return tally.answers.map((code) => ({
    indicator: INDICATOR_IDS[Math.floor(code / INDICATOR_ANSWERS.length)]!,
    answer: INDICATOR_ANSWERS[code % INDICATOR_ANSWERS.length]!,
  }));
}

/** A hearing as the vault-wide lists hold it (listAllHearings): its current and its latest signed-off version. */
export interface HearingListing {
  id: string;
  caseId: string;
  /** 'final': the current version is signed off; 'draft': it is being edited (perhaps after a sign-off). */
  state: 'draft' | 'final';
  current: HearingTally;
  /** The latest signed-off version, or null if none was ever signed off. */
  latestFinal: HearingTally | null;
}

function tallyOf(fields: HearingFields): HearingTally {
  const withoutCounsel = fields.accused.some(({ counsel }) => counsel.present === 'no' || counsel.kind === 'none');
  return {
    date: fields.date,
    stage: fields.stage,
    court: fields.court,
    held: fields.held,
    accused: fields.accused.length,
    withoutCounsel,
    counselPartlyAbsent: !withoutCounsel && fields.accused.some(({ counsel }) => counsel.present === 'partly'),
    answers: fields.indicators.map(({ indicator, answer }) => answerCode(indicator, answer)),
  };
}

/** The listing of a stored hearing. */
export function hearingListing(record: {
  id: string;
  caseId: string;
  hearing: { value: HearingFields; state: 'draft' | 'final'; history: readonly { value: HearingFields }[] };
}): HearingListing {
  const final = record.hearing.history.at(-1);
  return {
    id: record.id,
    caseId: record.caseId,
    state: record.hearing.state,
    current: tallyOf(record.hearing.value),
    latestFinal: final ? tallyOf(final.value) : null,
  };
}
