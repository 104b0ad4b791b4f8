import { describe, expect, it } from 'vitest';
import {
  formatApproximateDate,
  formatDay,
  formatNumber,
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
