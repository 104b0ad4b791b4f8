import { describe, expect, it } from 'vitest';
import {
  daySpan,
  daysBetween,
  formatDayRange,
  isApproximateDate,
  pretrialDetentionDays,
} from '../../../renderer/src/observations/approximate-dates';

describe('approximate dates', () => {
  it('covers a year, a month (leap years included), a day or a range', () => {
    const span = (date: string) => {
      const found = daySpan(date);
      return found && { days: found.latest - found.earliest + 1, exact: found.exact };
    };
    expect(span('2024')).toEqual({ days: 366, exact: false });
    expect(span('2024-02')).toEqual({ days: 29, exact: false });
    expect(span('2025-02')).toEqual({ days: 28, exact: false });
    expect(span('2025-03-14')).toEqual({ days: 1, exact: true });
    expect(span('2025-06/2025-08')).toEqual({ days: 92, exact: false });
  });

  it('refuses what is not a date', () => {
    for (const bad of [
      '',
      '25',
      '2025-13',
      '2025-02-30',
      '2025-3-1',
      '2025-04/2025-03',
      'March 2025',
      '2025/2026/2027',
    ])
      expect(isApproximateDate(bad), bad).toBe(false);
  });

  it('gives durations as ranges when a date is approximate', () => {
    expect(daysBetween('2025-03-14', '2025-03-20')).toEqual({ min: 6, max: 6 });
    // Arrested some day in March, tried on 20 April.
    expect(daysBetween('2025-03', '2025-04-20')).toEqual({ min: 20, max: 50 });
    expect(daysBetween('2025', '2025')).toEqual({ min: 0, max: 364 });
    expect(daysBetween('2025-04-20', '2025-03-01')).toBeNull();
    expect(daysBetween('unknown', '2025-03-01')).toBeNull();
  });

  it('counts pre-trial detention to release, verdict or today, whichever is first', () => {
    expect(pretrialDetentionDays('2025-01-01', { verdict: '2025-03-01' })).toEqual({ min: 59, max: 59 });
    expect(pretrialDetentionDays('2025-01-01', { release: '2025-02-01', verdict: '2025-03-01' })).toEqual({
      min: 31,
      max: 31,
    });
    expect(pretrialDetentionDays('2025-01', {}, '2025-02-10')).toEqual({ min: 10, max: 40 });
    expect(pretrialDetentionDays('not a date', {}, '2025-02-10')).toBeNull();
  });

  it('shows a range as a range', () => {
    const days = (count: number) => `${count} days`;
    expect(formatDayRange({ min: 42, max: 42 }, days)).toBe('42 days');
    expect(formatDayRange({ min: 30, max: 61 }, days)).toBe('30 days–61 days');
  });
});
