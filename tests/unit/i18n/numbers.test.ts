import { createInstance, type i18n } from 'i18next';
import { describe, expect, it } from 'vitest';
import { i18nOptions, numberFormatter, type Language } from '../../../renderer/src/i18n';
import { formatSize } from '../../../renderer/src/ui/format';

async function started(language: Language): Promise<i18n> {
  const instance = createInstance().use(numberFormatter);
  await instance.init(i18nOptions(language));
  return instance;
}

describe('numbers in messages', () => {
  it('writes a count with Khmer digits in Khmer and still chooses the plural form from the number', async () => {
    const khmer = await started('km');
    expect(khmer.t('monitoring.hearingCount', { count: 1 })).toBe('សវនាការ ១');
    expect(khmer.t('monitoring.hearingCount', { count: 1250 })).toBe('សវនាការ ១,២៥០');
    const english = await started('en');
    expect(english.t('monitoring.hearingCount', { count: 1 })).toBe('1 hearing');
    expect(english.t('monitoring.hearingCount', { count: 1250 })).toBe('1,250 hearings');
  });

  it('writes every number placeholder, not only counts, and leaves text values as they are', async () => {
    const khmer = await started('km');
    expect(khmer.t('timeline.days', { n: 42 })).toBe('៤២ ថ្ងៃ');
    expect(khmer.t('cases.count', { shown: 3, total: 12 })).toMatch(/៣.*១២/);
    expect(khmer.t('hearing.quoteIn', { quote: 'p. 12', document: 'a.pdf' })).toContain('p. 12');
  });

  it('writes file sizes with Khmer digits in Khmer', async () => {
    expect(formatSize(1258291, 'km')).toBe('១.២ MiB');
    expect(formatSize(512, 'km')).toBe('៥១២ B');
    expect(formatSize(1258291, 'en')).toBe('1.2 MiB');
    const khmer = await started('km');
    expect(khmer.t('send.estimate', { items: 3, size: formatSize(2048, 'km') })).toMatch(/៣.*២ KiB/);
  });
});
