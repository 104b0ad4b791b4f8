import type { HearingRecord, TimelineEventKind, TimelineEventRecord, TimelineSource } from '../vault';
import { daySpan, pretrialDetentionDays, todayDate, type ApproximateDate, type DayRange } from './approximate-dates';

/** One line of a case timeline: an event the user entered, or a hearing. */
export interface TimelineItem {
  key: string;
  origin: 'event' | 'hearing';
  /** The event's or the hearing's id. */
  id: string;
  kind: TimelineEventKind;
  date: ApproximateDate;
  person: string;
  description: string;
  sources: TimelineSource[];
}

/** Sort key: earliest day first; for the same start, the more precise date first. */
function order(a: TimelineItem, b: TimelineItem): number {
  const spanA = daySpan(a.date);
  const spanB = daySpan(b.date);
  if (!spanA || !spanB) return spanA ? -1 : spanB ? 1 : a.date.localeCompare(b.date);
  return spanA.earliest - spanB.earliest || spanA.latest - spanB.latest;
}

/** Events and hearings in date order; hearings appear without anyone entering them. */
export function buildTimeline(
  events: readonly TimelineEventRecord[],
  hearings: readonly HearingRecord[],
): TimelineItem[] {
  const items: TimelineItem[] = [
    ...events.map((event) => ({
      key: `event-${event.id}`,
      origin: 'event' as const,
      id: event.id,
      kind: event.kind,
      date: event.date,
      person: event.person,
      description: event.description,
      sources: event.sources,
    })),
    ...hearings.map((record) => {
      const fields = record.hearing.value;
      const kind: TimelineEventKind = fields.stage === 'verdict' ? 'verdict' : 'hearing';
      return {
        key: `hearing-${record.id}`,
        origin: 'hearing' as const,
        id: record.id,
        kind,
        date: fields.date,
        person: fields.accused.map((accused) => accused.name).join(', '),
        description: [fields.court, fields.chamber].filter(Boolean).join(' — '),
        sources: [{ kind: 'hearing' as const, id: record.id }],
      };
    }),
  ];
  return items.sort(order);
}

export interface DetentionSpell {
  /** Whom it concerns ('' when the events name nobody). */
  person: string;
  arrest: ApproximateDate;
  /** How it ended; null when the person is still held. */
  endedBy: 'release' | 'bail' | 'verdict' | null;
  endDate: ApproximateDate | null;
  days: DayRange;
}

function concerns(item: TimelineItem, person: string): boolean {
  if (item.person === '' || person === '') return true;
  return item.person
    .split(',')
    .map((name) => name.trim().toLocaleLowerCase())
    .includes(person.trim().toLocaleLowerCase());
}

/**
 * Days each person spent in pre-trial detention: from each arrest to the
 * first release, bail or verdict that can come after it (or to today).
 * Approximate dates give ranges.
 */
export function detentionSpells(
  items: readonly TimelineItem[],
  today: ApproximateDate = todayDate(),
): DetentionSpell[] {
  const spells: DetentionSpell[] = [];
  for (const arrest of items.filter((item) => item.kind === 'arrest')) {
    const start = daySpan(arrest.date);
    if (!start) continue;
    const ending = items.find((item) => {
      if (!['release', 'bail', 'verdict'].includes(item.kind) || !concerns(item, arrest.person)) return false;
      const span = daySpan(item.date);
      return span !== null && span.latest >= start.earliest && item !== arrest;
    });
    const endedBy = (ending?.kind ?? null) as DetentionSpell['endedBy'];
    const days = pretrialDetentionDays(
      arrest.date,
      ending ? (ending.kind === 'verdict' ? { verdict: ending.date } : { release: ending.date }) : {},
      today,
    );
    if (days) spells.push({ person: arrest.person, arrest: arrest.date, endedBy, endDate: ending?.date ?? null, days });
  }
  return spells;
}
