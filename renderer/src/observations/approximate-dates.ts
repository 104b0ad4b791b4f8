/**
 * Dates as sources give them: a year, a month, a day, or a range between two
 * of those ("arrested in March 2025", "held between June and August"). Each
 * approximate date covers a span of days; durations between them are ranges
 * (shortest–longest), shown as such, never rounded into false precision.
 */

/** "2025", "2025-03", "2025-03-14", or a range "2025-03/2025-04-02". */
export type ApproximateDate = string;

const PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DAY_MS = 86_400_000;

export interface DaySpan {
  /** First and last day covered, as days since 1970-01-01 (UTC). */
  earliest: number;
  latest: number;
  /** True when the date is known to the day. */
  exact: boolean;
}

function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function partSpan(text: string): DaySpan | null {
  const match = PART.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] === undefined ? null : Number(match[2]);
  const day = match[3] === undefined ? null : Number(match[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  if (month === null) return { earliest: dayNumber(year, 1, 1), latest: dayNumber(year, 12, 31), exact: false };
  if (day === null)
    return {
      earliest: dayNumber(year, month, 1),
      latest: dayNumber(year, month, daysInMonth(year, month)),
      exact: false,
    };
  if (day < 1 || day > daysInMonth(year, month)) return null;
  const at = dayNumber(year, month, day);
  return { earliest: at, latest: at, exact: true };
}

/** The days an approximate date covers, or null when it is not one. */
export function daySpan(date: ApproximateDate): DaySpan | null {
  const [from, to, ...rest] = date.split('/');
  if (rest.length > 0 || from === undefined) return null;
  const start = partSpan(from);
  if (to === undefined) return start;
  const end = partSpan(to);
  if (!start || !end || end.latest < start.earliest) return null;
  return { earliest: start.earliest, latest: end.latest, exact: false };
}

export function isApproximateDate(value: string): boolean {
  return daySpan(value) !== null;
}

export interface DayRange {
  min: number;
  max: number;
}

/**
 * Days from `from` to `to` (to minus from): the shortest and the longest the
 * sources allow. Null when either date is missing or invalid, or when `to`
 * cannot be after `from`.
 */
export function daysBetween(from: ApproximateDate, to: ApproximateDate): DayRange | null {
  const start = daySpan(from);
  const end = daySpan(to);
  if (!start || !end || end.latest < start.earliest) return null;
  return { min: Math.max(0, end.earliest - start.latest), max: end.latest - start.earliest };
}

/** Today as an exact approximate date (for "still detained"). */
export function todayDate(now = new Date()): ApproximateDate {
  return now.toISOString().slice(0, 10);
}

/**
 * Days in pre-trial detention: from arrest to release, or to the verdict, or
 * (still held) to today, whichever comes first.
 */
export function pretrialDetentionDays(
  arrest: ApproximateDate,
  endings: { release?: ApproximateDate; verdict?: ApproximateDate },
  today: ApproximateDate = todayDate(),
): DayRange | null {
  const candidates = [endings.release, endings.verdict].filter(
    (date): date is ApproximateDate => date !== undefined && isApproximateDate(date),
  );
  const ends = candidates.length > 0 ? candidates : [today];
  const ranges = ends.map((end) => daysBetween(arrest, end)).filter((range): range is DayRange => range !== null);
  if (ranges.length === 0) return null;
  return {
    min: Math.min(...ranges.map((range) => range.min)),
    max: Math.min(...ranges.map((range) => range.max)),
  };
}

/** "42" or "30–61": a range stays a range (for "{{n}} days"). */
export function formatDayCount(range: DayRange): string {
  return range.min === range.max ? String(range.min) : `${range.min}–${range.max}`;
}

/** "42 days" or "30 days–61 days": a range stays a range. */
export function formatDayRange(range: DayRange, format: (count: number) => string): string {
  return range.min === range.max ? format(range.min) : `${format(range.min)}–${format(range.max)}`;
}
