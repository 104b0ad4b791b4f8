import type { TFunction } from 'i18next';
import { formatNumber, formatSize } from '../format';
import type { ProgressSnapshot } from './progress-meter';

/** A task shorter than this shows no speed or time left: they would flicker past before they could be read. */
export const SHOW_SPEED_AFTER_MS = 3000;

/** "about 14 seconds", "about 3 minutes", "about 1.5 hours": rounded, since the speed wanders. */
function timeLeft(t: TFunction, seconds: number): string {
  if (seconds < 59.5) return t('progress.seconds', { count: Math.max(1, Math.round(seconds)) });
  if (seconds < 3570) return t('progress.minutes', { count: Math.round(seconds / 60) });
  return t('progress.hours', { count: Math.round(seconds / 360) / 10 });
}

/**
 * What a progress bar says under it: "12.5 MiB of 300 MiB" (or "1,200 of 5,000" items), and once the task has
 * run a few seconds "· 18.4 MiB/s · about 16 seconds left", numbers written as the interface language writes them.
 */
export function progressDetail(
  t: TFunction,
  locale: string,
  progress: ProgressSnapshot,
  unit: 'bytes' | 'items',
): string {
  const amount = (value: number) => (unit === 'bytes' ? formatSize(value, locale) : formatNumber(value, locale, 0));
  const { done, total, perSecond, secondsLeft, elapsedMs } = progress;
  const parts = [
    total > 0
      ? t('progress.amountOfTotal', { done: amount(Math.min(done, total)), total: amount(total) })
      : amount(done),
  ];
  if (elapsedMs >= SHOW_SPEED_AFTER_MS && perSecond !== null) {
    parts.push(t('progress.speed', { amount: amount(perSecond) }));
    if (secondsLeft !== null && done < total) parts.push(t('progress.timeLeft', { time: timeLeft(t, secondsLeft) }));
  }
  return parts.join(' · ');
}
