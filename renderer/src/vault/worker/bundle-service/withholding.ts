import type { HearingRecord } from '../../api';
import type { HearingFields } from '../../hearing-model';
import type { CasePerson, CaseRecord, PersonRole } from '../../model';

/**
 * Sensitive people withheld from a bundle (docs/bundle-format.md, "Withheld
 * people"): a case's sensitive people and a hearing's sensitive defendants.
 * The bundle's copy carries such a person with a placeholder name, empty
 * notes (a defendant: no affiliations, empty counsel notes) and
 * `withheld: true`; the real name and notes are not in the bundle's bytes.
 * On import, a withheld copy never replaces a name or notes the receiver
 * holds.
 */

type Accused = HearingFields['accused'][number];

/**
 * English role names for the placeholder: it is stored data, kept for readers that do not know the `withheld`
 * mark. The app shows a withheld person by the mark, in the reader's language, never by this text.
 */
const ROLE_NAMES: Record<PersonRole, string> = {
  accused: 'Accused',
  'defence-lawyer': 'Defence lawyer',
  judge: 'Judge',
  prosecutor: 'Prosecutor',
  witness: 'Witness',
  victim: 'Victim',
  source: 'Source',
};

/** The name a withheld person travels under. */
export const withheldName = (role: PersonRole) => `${ROLE_NAMES[role]} (withheld)`;

/** More sensitive people than this in one record: only "none withheld" and "all withheld" are tried as forms. */
const MAX_FORM_PEOPLE = 8;

/** True when a person's name and notes leave the vault only if the sender chose to send them. */
const isWithheld = (person: { sensitive: boolean; id: string }, sendInFull: ReadonlySet<string>) =>
  person.sensitive && !sendInFull.has(person.id);

// ---- Case people ----

/** A case person as withheld. */
const withheldPerson = (person: CasePerson): CasePerson => ({
  id: person.id,
  role: person.role,
  sensitive: person.sensitive,
  name: withheldName(person.role),
  notes: '',
  withheld: true,
});

/** True while a person still is the placeholder a bundle brought. */
const isPersonPlaceholder = (person: CasePerson) => person.name === withheldName(person.role) && person.notes === '';

/** A person as it may be kept: the `withheld` mark dropped once a real name or notes are written over it. */
export function settleWithheldPerson(person: CasePerson): CasePerson {
  if (person.withheld !== true || isPersonPlaceholder(person)) return person;
  const { withheld: _gone, ...rest } = person;
  return rest;
}

/** A case's people as they may be kept (settleWithheldPerson on each). */
export const settleWithheldPeople = (people: readonly CasePerson[]) => people.map(settleWithheldPerson);

/** The case as it travels: every sensitive person not in `sendInFull` reduced to a placeholder. */
export function withholdSensitive(record: CaseRecord, sendInFull: readonly string[]): CaseRecord {
  const full = new Set(sendInFull);
  return {
    ...record,
    people: record.people.map((person) =>
      isWithheld(person, full) ? withheldPerson(person) : settleWithheldPerson(person),
    ),
  };
}

/** The case with the people in `ids` withheld (the others as held). */
function caseWithheldAs(stored: CaseRecord, ids: ReadonlySet<string>): CaseRecord {
  if (ids.size === 0) return stored;
  return { ...stored, people: stored.people.map((person) => (ids.has(person.id) ? withheldPerson(person) : person)) };
}

/**
 * This vault's copy of a case as the incoming copy would show it: each
 * person the incoming copy withholds is withheld here too. Compared with
 * the incoming copy, a difference is then a real change, never a name the
 * sender did not send.
 */
export const asWithheldLike = (stored: CaseRecord, incoming: CaseRecord): CaseRecord =>
  caseWithheldAs(stored, new Set(incoming.people.filter((person) => person.withheld === true).map((p) => p.id)));

/**
 * Every form in which this vault's copy of a case could have travelled: as held, and with any choice of its
 * sensitive people withheld. A copy last taken withheld (or in full) and unchanged since is recognised.
 */
export const caseForms = (stored: CaseRecord): CaseRecord[] =>
  choicesOf(stored.people.filter((person) => person.sensitive).map((person) => person.id)).map((ids) =>
    caseWithheldAs(stored, ids),
  );

/**
 * The case to store when an incoming copy is taken over `stored`: a
 * withheld person keeps the name, notes and mark this vault holds for the
 * same person (by id); one this vault does not know stays a placeholder.
 */
export function keepWithheldFromStored(incoming: CaseRecord, stored: CaseRecord | undefined): CaseRecord {
  if (!stored || !incoming.people.some((person) => person.withheld === true)) return incoming;
  const here = new Map(stored.people.map((person) => [person.id, person]));
  return {
    ...incoming,
    people: incoming.people.map((person) => {
      const mine = person.withheld === true ? here.get(person.id) : undefined;
      if (!mine) return person;
      const { withheld: _placeholder, ...rest } = person;
      return { ...rest, name: mine.name, notes: mine.notes, ...(mine.withheld ? { withheld: true as const } : {}) };
    }),
  };
}

/** Whether a case as it travels withholds anyone. */
export const withholdsAnyone = (record: CaseRecord) => record.people.some((person) => person.withheld === true);

// ---- Hearing defendants ----

/** A defendant as withheld: no name, affiliations or counsel notes. */
const withheldAccused = (accused: Accused): Accused => ({
  ...accused,
  name: withheldName('accused'),
  affiliations: [],
  counsel: { ...accused.counsel, notes: '' },
  withheld: true,
});

const isAccusedPlaceholder = (accused: Accused) =>
  accused.name === withheldName('accused') && accused.affiliations.length === 0 && accused.counsel.notes === '';

/** A defendant as it may be kept: the `withheld` mark dropped once a real name is written over the placeholder. */
export function settleWithheldAccused(accused: Accused): Accused {
  if (accused.withheld !== true || isAccusedPlaceholder(accused)) return accused;
  const { withheld: _gone, ...rest } = accused;
  return rest;
}

/** Every version of a hearing (current and finalised ones) with each defendant mapped. */
function mapAccused(record: HearingRecord, map: (accused: Accused, version: number | null) => Accused): HearingRecord {
  return {
    ...record,
    hearing: {
      ...record.hearing,
      value: { ...record.hearing.value, accused: record.hearing.value.accused.map((a) => map(a, null)) },
      history: record.hearing.history.map((entry) => ({
        ...entry,
        value: { ...entry.value, accused: entry.value.accused.map((a) => map(a, entry.version)) },
      })),
    },
  };
}

const allAccused = (record: HearingRecord) => [
  ...record.hearing.value.accused,
  ...record.hearing.history.flatMap((entry) => entry.value.accused),
];

/** The sensitive defendants of a hearing, once each (a defendant is in every version of it). */
export const sensitiveAccused = (record: HearingRecord): Accused[] => [
  ...new Map(
    allAccused(record)
      .filter((a) => a.sensitive)
      .map((a) => [a.id, a]),
  ).values(),
];

/** The hearing as it travels: every sensitive defendant not in `sendInFull` withheld, in every version. */
export function withholdHearing(record: HearingRecord, sendInFull: readonly string[]): HearingRecord {
  const full = new Set(sendInFull);
  return mapAccused(record, (accused) =>
    isWithheld(accused, full) ? withheldAccused(accused) : settleWithheldAccused(accused),
  );
}

const hearingWithheldAs = (stored: HearingRecord, ids: ReadonlySet<string>): HearingRecord =>
  ids.size === 0 ? stored : mapAccused(stored, (accused) => (ids.has(accused.id) ? withheldAccused(accused) : accused));

/** Whether a hearing as it travels withholds anyone. */
export const hearingWithholdsAnyone = (record: HearingRecord) => allAccused(record).some((a) => a.withheld === true);

/** This vault's copy of a hearing with each defendant the incoming copy withholds withheld too. */
export const hearingWithheldLike = (stored: HearingRecord, incoming: HearingRecord): HearingRecord =>
  hearingWithheldAs(
    stored,
    new Set(
      allAccused(incoming)
        .filter((a) => a.withheld === true)
        .map((a) => a.id),
    ),
  );

/** Every form in which this vault's copy of a hearing could have travelled (see caseForms). */
export const hearingForms = (stored: HearingRecord): HearingRecord[] =>
  choicesOf(sensitiveAccused(stored).map((accused) => accused.id)).map((ids) => hearingWithheldAs(stored, ids));

/** The hearing to store when an incoming copy is taken over `stored`: withheld defendants keep what is held here. */
export function keepWithheldAccused(incoming: HearingRecord, stored: HearingRecord | undefined): HearingRecord {
  if (!stored || !allAccused(incoming).some((a) => a.withheld === true)) return incoming;
  const current = new Map(stored.hearing.value.accused.map((a) => [a.id, a]));
  const ofVersion = new Map(
    stored.hearing.history.map((entry) => [entry.version, new Map(entry.value.accused.map((a) => [a.id, a]))]),
  );
  return mapAccused(incoming, (accused, version) => {
    if (accused.withheld !== true) return accused;
    const mine = (version === null ? undefined : ofVersion.get(version)?.get(accused.id)) ?? current.get(accused.id);
    if (!mine) return accused;
    const { withheld: _placeholder, ...rest } = accused;
    return {
      ...rest,
      name: mine.name,
      affiliations: mine.affiliations,
      counsel: { ...accused.counsel, notes: mine.counsel.notes },
      ...(mine.withheld ? { withheld: true as const } : {}),
    };
  });
}

// ---- Shared ----

/** Every choice of `ids` to withhold (all of them when few, else none and all). */
function choicesOf(ids: readonly string[]): Set<string>[] {
  if (ids.length > MAX_FORM_PEOPLE) return [new Set(), new Set(ids)];
  const choices: Set<string>[] = [];
  for (let mask = 0; mask < 1 << ids.length; mask++)
    choices.push(new Set(ids.filter((_id, index) => (mask & (1 << index)) !== 0)));
  return choices;
}

/** One sensitive person of a case as the send form lists them. */
export interface SensitiveEntry {
  id: string;
  name: string;
  role: PersonRole;
  fields: readonly ('name' | 'notes')[];
  withheld: boolean;
  /** Held here only as a placeholder a bundle brought. */
  placeholder: boolean;
  /** A defendant: the dates of the hearings that name them. */
  hearings?: string[];
  /** What is searched for in the other outgoing items when withheld. */
  needles: string[];
}

/** The sensitive people of a case and its hearings, what of each would travel, and whether it is withheld. */
export function sensitivePeople(
  record: CaseRecord,
  hearings: readonly HearingRecord[],
  sendInFull: readonly string[],
): SensitiveEntry[] {
  const full = new Set(sendInFull);
  const entries: SensitiveEntry[] = record.people
    .filter((person) => person.sensitive)
    .map((person) => ({
      id: person.id,
      name: person.name,
      role: person.role,
      fields: person.notes.trim() === '' ? (['name'] as const) : (['name', 'notes'] as const),
      withheld: isWithheld(person, full),
      placeholder: person.withheld === true,
      needles: person.withheld === true ? [] : [person.name, person.notes],
    }));
  const defendants = new Map<string, SensitiveEntry>();
  for (const hearing of hearings)
    for (const accused of sensitiveAccused(hearing)) {
      const known = defendants.get(accused.id);
      if (known) {
        known.hearings!.push(hearing.hearing.value.date);
        continue;
      }
      const notes = [...accused.affiliations, accused.counsel.notes].filter((text) => text.trim() !== '');
      defendants.set(accused.id, {
        id: accused.id,
        name: accused.name,
        role: 'accused',
        fields: notes.length === 0 ? (['name'] as const) : (['name', 'notes'] as const),
        withheld: isWithheld(accused, full),
        placeholder: accused.withheld === true,
        hearings: [hearing.hearing.value.date],
        needles: accused.withheld === true ? [] : [accused.name, accused.counsel.notes],
      });
    }
  return [...entries, ...defendants.values()];
}
