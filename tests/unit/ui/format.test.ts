import { describe, expect, it } from 'vitest';
import {
  formatApproximateDate,
  formatDay,
  formatNumber,
  formatRelativeTime,
  formatTimeOfDay,
  formatTimestamp,
} from '../../../renderer/src/ui/format';

const english = { locale: 'en', buddhistEra: false, eraLabel: 'BE' };
const englishBE = { ...english, buddhistEra: true };
const khmer = { locale: 'km', buddhistEra: false, eraLabel: 'ព.ស.' };
const khmerBE = { ...khmer, buddhistEra: true };

describe('dates and numbers as the reader writes them', () => {
  it('groups a fine in thousands, with Khmer digits in Khmer', () => {
    expect(formatNumber(2000000, 'en')).toBe('2,000,000');
    expect(formatNumber(2000000, 'km')).toBe('២,០០០,០០០');
  });

  it('writes out a day, a month, a year and a range', () => {
    expect(formatApproximateDate('2025-07-17', english)).toBe('July 17, 2025');
    expect(formatApproximateDate('2025-07', english)).toBe('July 2025');
    expect(formatApproximateDate('2025', english)).toBe('2025');
    expect(formatApproximateDate('2025-03/2025-04-02', english)).toBe('March 2025 – April 2, 2025');
    expect(formatApproximateDate('2025-07-17', khmer)).toBe('១៧ កក្កដា ២០២៥');
  });

  it('adds 543 to the year in the Buddhist Era, with the era named', () => {
    expect(formatApproximateDate('2026-07-17', englishBE)).toBe('July 17, 2569 BE');
    expect(formatApproximateDate('2026', englishBE)).toBe('2569 BE');
    expect(formatApproximateDate('2026-01', khmerBE)).toBe('មករា ២៥៦៩ ព.ស.');
    expect(formatTimestamp(Date.UTC(2026, 6, 17, 12), englishBE)).toMatch(/^July 1[78], 2569.* BE$/);
  });

  it("writes the day of a moment, and a moment to the second when asked, in the reader's time zone", () => {
    const moment = new Date(2026, 6, 17, 9, 5, 42).getTime();
    expect(formatDay(moment, english)).toBe('July 17, 2026');
    expect(formatDay(moment, khmerBE)).toContain('២៥៦៩ ព.ស.');
    expect(formatTimestamp(moment, english)).not.toContain('42');
    expect(formatTimestamp(moment, english, true)).toMatch(/9:05:42/);
    expect(formatTimestamp(moment, khmer, true)).toContain('៤២');
  });

  it('leaves what is not a date as typed', () => {
    expect(formatApproximateDate('', english)).toBe('');
    expect(formatApproximateDate('sometime in spring', english)).toBe('sometime in spring');
    expect(formatApproximateDate('2025-02-30', english)).toBe('2025-02-30');
    expect(formatApproximateDate('2025-13', englishBE)).toBe('2025-13');
  });

  it('writes a time of day by the locale', () => {
    expect(formatTimeOfDay('08:40', 'en')).toBe('8:40 AM');
    expect(formatTimeOfDay('20:05', 'en-GB')).toBe('20:05');
    expect(formatTimeOfDay('', 'en')).toBe('');
  });

  it('writes Khmer dates and times itself, the same in Chromium (no Khmer ICU data) as in Node', () => {
    expect(formatTimeOfDay('14:05', 'km')).toBe('១៤:០៥');
    expect(formatApproximateDate('2025-03/2025-04-02', khmer)).toBe('មីនា ២០២៥ – ២ មេសា ២០២៥');
  });
});

describe('how long ago, in words', () => {
  const now = Date.UTC(2025, 6, 17, 12, 0, 0);
  const ago = (seconds: number) => now - seconds * 1000;
  const day = 24 * 3600;

  it('says it in English through Intl, from now to years', () => {
    expect(formatRelativeTime(ago(20), now, 'en')).toBe('now');
    expect(formatRelativeTime(ago(5 * 60), now, 'en')).toBe('5 minutes ago');
    expect(formatRelativeTime(ago(3 * 3600), now, 'en')).toBe('3 hours ago');
    expect(formatRelativeTime(ago(day), now, 'en')).toBe('yesterday');
    expect(formatRelativeTime(ago(9 * day), now, 'en')).toBe('9 days ago');
    expect(formatRelativeTime(ago(44 * day), now, 'en')).toBe('44 days ago');
    expect(formatRelativeTime(ago(90 * day), now, 'en')).toBe('3 months ago');
    expect(formatRelativeTime(ago(800 * day), now, 'en')).toBe('2 years ago');
    // A clock set back: not "in 2 hours".
    expect(formatRelativeTime(now + 7200_000, now, 'en')).toBe('now');
  });

  it('says it in Khmer with Khmer digits', () => {
    expect(formatRelativeTime(ago(20), now, 'km')).toBe('ឥឡូវនេះ');
    expect(formatRelativeTime(ago(day), now, 'km')).toBe('ម្សិលមិញ');
    expect(formatRelativeTime(ago(9 * day), now, 'km')).toBe('៩ ថ្ងៃមុន');
    expect(formatRelativeTime(ago(3 * 3600), now, 'km')).toBe('៣ ម៉ោងមុន');
    expect(formatRelativeTime(ago(90 * day), now, 'km')).toBe('៣ ខែមុន');
  });
});
