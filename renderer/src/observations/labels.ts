import type { TFunction } from 'i18next';
import { formatDayRange } from './approximate-dates';
import type { DetentionSpell } from './timeline';

/** A right's name, with whom it concerns when it is answered per accused. */
export function indicatorName(t: TFunction, indicator: string, accusedName: string | null): string {
  return accusedName === null
    ? t(`indicator.${indicator}`)
    : t('hearing.indicatorFor', { indicator: t(`indicator.${indicator}`), name: accusedName });
}

/** "Koet Saray: 473–503 days in pre-trial detention (2024-03 to Verdict on 2025-07-17)". */
export function detentionText(
  t: TFunction,
  spell: DetentionSpell,
  formats: { date: (text: string) => string; number: (value: number) => string },
): string {
  const { date } = formats;
  return t(spell.endedBy ? 'timeline.detentionEnded' : 'timeline.detentionOngoing', {
    person: spell.person || t('timeline.wholeCase'),
    days: t('timeline.days', { n: formatDayRange(spell.days, formats.number) }),
    from: date(spell.arrest),
    to: spell.endDate ? date(spell.endDate) : '',
    ending: spell.endedBy ? t(`timeline.kind.${spell.endedBy}`) : '',
  });
}
