import { useFormats } from '../ui';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HearingRecord } from '../vault';
import { HearingSummary } from './HearingSummary';
import type { CaseSources } from './use-case-sources';
import { useSignerName } from './use-signer-name';

/** The versions signed off so far, each with who signed it off and when, and a way to read it as it was. */
export function HearingHistory({ record, sources }: { record: HearingRecord; sources: CaseSources | null }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const signerName = useSignerName();
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const history = record.hearing.history;
  if (history.length === 0) return null;
  const shown = history.find((entry) => entry.version === shownVersion);
  return (
    <section aria-labelledby="hearing-history-heading" className="hearing-history">
      <h3 id="hearing-history-heading">{t('hearing.history')}</h3>
      <ul>
        {history.map((entry) => (
          <li key={entry.version}>
            {t('hearing.historyEntry', {
              n: entry.version,
              date: formats.timestamp(entry.finalisedAt),
              by: signerName(entry.finalisedBy),
            })}{' '}
            <button
              type="button"
              aria-expanded={shownVersion === entry.version}
              onClick={() => setShownVersion(shownVersion === entry.version ? null : entry.version)}
            >
              {shownVersion === entry.version
                ? t('hearing.hideVersion', { n: entry.version })
                : t('hearing.showVersion', { n: entry.version })}
            </button>
          </li>
        ))}
      </ul>
      {shown && <HearingSummary fields={shown.value} headingLevel={4} sources={sources} />}
    </section>
  );
}
