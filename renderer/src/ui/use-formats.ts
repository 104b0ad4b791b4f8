import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from '../session';
import {
  formatApproximateDate,
  formatDay,
  formatNumber,
  formatTimeOfDay,
  formatTimestamp,
  type DateOptions,
} from './format';

/** Whether the vault's settings ask for Buddhist Era years (false until they are read). */
export function useBuddhistEra(): boolean {
  return useSettings().data?.buddhistEra ?? false;
}

/**
 * format.ts bound to the interface language and the vault's Buddhist Era setting. The same functions come back
 * until one of those changes, so they can be a memo's dependency.
 */
export function useFormats() {
  const { t, i18n } = useTranslation();
  const buddhistEra = useBuddhistEra();
  const locale = i18n.language;
  return useMemo(() => {
    const options: DateOptions = { locale, buddhistEra, eraLabel: t('format.buddhistEra') };
    const number = (value: number) => formatNumber(value, locale);
    return {
      /** An approximate date as typed ("2025-03-14", "2025-03", "2025"), written out. */
      date: (text: string) => formatApproximateDate(text, options),
      /** A moment (milliseconds since 1970), to the minute or, `withSeconds`, to the second. */
      timestamp: (time: number, withSeconds = false) => formatTimestamp(time, options, withSeconds),
      /** The day of a moment (milliseconds since 1970). */
      day: (time: number) => formatDay(time, options),
      time: (text: string) => formatTimeOfDay(text, locale),
      number,
      /** "2,000,000 riels" / "២,០០០,០០០ រៀល"; a currency without a name in the catalog keeps its code. */
      money: (amount: number, currency: string) => {
        const shown = number(amount);
        if (currency === 'KHR') return t('format.riels', { count: amount, amount: shown });
        if (currency === 'USD') return t('format.usDollars', { count: amount, amount: shown });
        return `${shown} ${currency}`;
      },
    };
  }, [t, locale, buddhistEra]);
}

export type Formats = ReturnType<typeof useFormats>;
