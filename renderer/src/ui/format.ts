/**
 * Numbers, amounts, dates and times as a reader of the interface language
 * writes them, through Intl. Pure functions: use-formats.ts binds them to the
 * language and the vault's "Buddhist Era" setting.
 */

/** Buddhist Era year = Common Era year + 543 (as Cambodian documents date them). */
export const BUDDHIST_ERA_OFFSET = 543;

export interface DateOptions {
  /** BCP 47 language of the interface, e.g. 'en' or 'km'. */
  locale: string;
  /** Show years in the Buddhist Era, followed by `eraLabel`. */
  buddhistEra: boolean;
  /** "BE" / "ព.ស.", from the catalog. */
  eraLabel: string;
}

const isKhmer = (locale: string) => locale === 'km' || locale.startsWith('km-');

/**
 * The locale Intl is asked for. Khmer gets Khmer digits (CLDR's km data writes Latin ones); Khmer numbers are
 * grouped with commas (២,០០០,០០០) as Cambodian court papers write sums, where CLDR's km data uses full stops.
 */
function numberLocale(locale: string): string {
  return isKhmer(locale) ? 'en-u-nu-khmr' : locale;
}

function dateLocale(locale: string): string {
  return isKhmer(locale) ? 'km-u-nu-khmr' : locale;
}

const KHMER_MONTHS = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'];

function khmerDigits(value: number, minimumDigits = 1): string {
  return new Intl.NumberFormat('en-u-nu-khmr', { useGrouping: false, minimumIntegerDigits: minimumDigits }).format(
    value,
  );
}

/**
 * A Khmer date as Cambodian documents write it: "១៧ កក្កដា ២០២៥", times on the 24-hour clock ("១៤:០៥"). Written
 * here rather than asked of Intl: Chromium's ICU data (and so Electron's) has no Khmer dates and falls back to
 * English month names, which Node's full ICU does not, so Intl alone would read differently in the app and in tests.
 */
export function khmerDateParts(date: Date, format: Intl.DateTimeFormatOptions): Intl.DateTimeFormatPart[] {
  const parts: Intl.DateTimeFormatPart[] = [];
  const add = (type: Intl.DateTimeFormatPartTypes, value: string) => {
    if (parts.length > 0 && type !== 'literal' && parts.at(-1)!.type !== 'literal')
      parts.push({ type: 'literal', value: ' ' });
    parts.push({ type, value });
  };
  if (format.day) add('day', khmerDigits(date.getUTCDate()));
  if (format.month) add('month', KHMER_MONTHS[date.getUTCMonth()]!);
  if (format.year) add('year', khmerDigits(date.getUTCFullYear()));
  if (format.hour) {
    add('hour', khmerDigits(date.getUTCHours(), 2));
    parts.push({ type: 'literal', value: ':' }, { type: 'minute', value: khmerDigits(date.getUTCMinutes(), 2) });
    if (format.second)
      parts.push({ type: 'literal', value: ':' }, { type: 'second', value: khmerDigits(date.getUTCSeconds(), 2) });
  }
  return parts;
}

/** The parts of a date in the interface language (dates passed here are in UTC, already shifted to local time). */
function dateParts(date: Date, format: Intl.DateTimeFormatOptions, locale: string): Intl.DateTimeFormatPart[] {
  return isKhmer(locale)
    ? khmerDateParts(date, format)
    : new Intl.DateTimeFormat(dateLocale(locale), format).formatToParts(date);
}

/** 2000000 → "2,000,000" (English) or "២,០០០,០០០" (Khmer). */
export function formatNumber(value: number, locale: string, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(numberLocale(locale), { maximumFractionDigits }).format(value);
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

/** 1258291 bytes → "1.2 MiB" (English) or "១.២ MiB" (Khmer: the units keep their international symbols). */
export function formatSize(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, locale, unit === 0 ? 0 : 1)} ${SIZE_UNITS[unit]}`;
}

function yearText(year: number, options: DateOptions): string {
  const shown = options.buddhistEra ? year + BUDDHIST_ERA_OFFSET : year;
  return new Intl.NumberFormat(numberLocale(options.locale), { useGrouping: false }).format(shown);
}

/** An Intl date with its year part swapped for the era the reader chose (Intl's own Buddhist calendar puts a
 * Latin "BE" and, in Khmer, the era before the month; the catalog's label reads right in both languages). */
function withEra(date: Date, format: Intl.DateTimeFormatOptions, options: DateOptions): string {
  const parts = dateParts(date, format, options.locale);
  const text = parts
    .map((part) => (part.type === 'year' ? yearText(Number(date.getUTCFullYear()), options) : part.value))
    .join('');
  return options.buddhistEra ? `${text} ${options.eraLabel}` : text;
}

const PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function formatDatePart(text: string, options: DateOptions): string | null {
  const match = PART.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] === undefined ? null : Number(match[2]);
  const day = match[3] === undefined ? null : Number(match[3]);
  if (month === null)
    return options.buddhistEra ? `${yearText(year, options)} ${options.eraLabel}` : yearText(year, options);
  if (month < 1 || month > 12) return null;
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  if (day !== null && date.getUTCDate() !== day) return null;
  const format: Intl.DateTimeFormatOptions =
    day === null
      ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
      : { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' };
  return withEra(date, format, options);
}

/**
 * An approximate date as sources give it ("2025", "2025-03", "2025-03-14", or a range "2025-03/2025-04-02"),
 * written out: "March 14, 2025", "March 2025 – April 2, 2025". Text that is not such a date is shown as typed.
 */
export function formatApproximateDate(text: string, options: DateOptions): string {
  if (text.trim() === '') return text;
  const parts = text.split('/');
  if (parts.length > 2) return text;
  const shown = parts.map((part) => formatDatePart(part, options));
  return shown.every((part): part is string => part !== null) ? shown.join(' – ') : text;
}

/**
 * A moment (milliseconds since 1970) in the reader's time zone: day, month, year and time, to the minute or, for
 * records where the order within a minute matters (the custody log), to the second.
 */
export function formatTimestamp(time: number, options: DateOptions, withSeconds = false): string {
  const date = new Date(time);
  const local = new Date(
    Date.UTC(
      date.getFullYear(),
      date.getMonth(),
      date.getDate(),
      date.getHours(),
      date.getMinutes(),
      date.getSeconds(),
    ),
  );
  return withEra(
    local,
    {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
      timeZone: 'UTC',
    },
    options,
  );
}

/** The day of a moment (milliseconds since 1970) in the reader's time zone: day, month and year. */
export function formatDay(time: number, options: DateOptions): string {
  const date = new Date(time);
  return withEra(
    new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate())),
    { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
    options,
  );
}

/** "08:40" as the locale writes a time of day: 12 or 24 hours as its convention has it (24 in Khmer). */
export function formatTimeOfDay(text: string, locale: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return text;
  const date = new Date(Date.UTC(1970, 0, 1, Number(match[1]), Number(match[2])));
  const format: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' };
  return isKhmer(locale)
    ? khmerDateParts(date, format)
        .map((part) => part.value)
        .join('')
    : new Intl.DateTimeFormat(locale, format).format(date);
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** Khmer words for the units (Chromium's ICU has no Khmer relative times; Node's full ICU has, in the same words). */
const KHMER_UNITS: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = {
  year: 'ឆ្នាំ',
  month: 'ខែ',
  day: 'ថ្ងៃ',
  hour: 'ម៉ោង',
  minute: 'នាទី',
};

/**
 * How long ago `then` was, seen at `now` (both milliseconds since 1970), in words: "just now", "yesterday", "9 days
 * ago", "3 months ago"; in Khmer "ឥឡូវនេះ", "ម្សិលមិញ", "៩ ថ្ងៃមុន". Days are counted up to 45, then months, then
 * years. A time in the future (a clock set back) reads as now.
 */
export function formatRelativeTime(then: number, now: number, locale: string): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const days = seconds / (24 * 3600);
  const [unit, size] =
    RELATIVE_UNITS.find(([name, length]) =>
      name === 'month' ? days >= 45 : name === 'year' ? days >= 365 : seconds >= length,
    ) ?? (['second', 1] as const);
  const value = unit === 'second' ? 0 : Math.floor(seconds / size);
  if (isKhmer(locale)) {
    if (value === 0) return 'ឥឡូវនេះ';
    if (unit === 'day' && value === 1) return 'ម្សិលមិញ';
    return `${khmerDigits(value)} ${KHMER_UNITS[unit]}មុន`;
  }
  return new Intl.RelativeTimeFormat(numberLocale(locale), { numeric: 'auto' }).format(-value, unit);
}
