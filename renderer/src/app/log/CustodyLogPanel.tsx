import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useRefresh } from '../../session';
import { AcceptRecordsAsStored } from './AcceptRecordsAsStored';
import { LogEntries } from './LogEntries';
import { Verification } from './Verification';
import './custody-log.css';

/**
 * The custody log page: the verification on top (run when the page opens, and on the button), the way out for
 * records rolled back, then every entry, newest first.
 */
export function CustodyLogPanel({ onOpenCase }: { onOpenCase?: (caseId: string) => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [rolledBack, setRolledBack] = useState(false);

  return (
    <section aria-labelledby="log-heading" className="custody-log">
      <h2 id="log-heading">{t('log.heading')}</h2>
      <p>{t('log.explain')}</p>
      <Verification onRolledBack={setRolledBack} />
      {rolledBack && <AcceptRecordsAsStored onAccepted={() => void refresh(queryKeys.custodyLog)} />}
      <LogEntries onOpenCase={onOpenCase} />
    </section>
  );
}
