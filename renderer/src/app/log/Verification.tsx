import { useQuery } from '@tanstack/react-query';
import { ShieldAlert, ShieldCheck } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { vaultErrorCode, type LogVerification } from '../../vault';
import { errorMessage } from '../../ui';
import { queryKeys, useVault } from '../../session';

/** The verification's outcome: run when the page opens and on the button. */
export function Verification({ onRolledBack }: { onRolledBack: (rolledBack: boolean) => void }) {
  const { t } = useTranslation();
  const vault = useVault();
  // Read again each time the page opens: the log grows with every action elsewhere.
  const verification = useQuery<LogVerification>({
    queryKey: [...queryKeys.custodyLog, 'verification'],
    queryFn: () => vault.verifyLog(),
    refetchOnMount: 'always',
  });
  const verdict = verification.data;
  const failed = verification.status === 'error' ? verification.error : null;
  const rolledBack =
    (verdict?.ok === false && verdict.reason === 'record-rolled-back') ||
    (failed !== null && vaultErrorCode(failed) === 'record-rolled-back');
  useEffect(() => onRolledBack(rolledBack), [onRolledBack, rolledBack]);

  return (
    <div className="log-verification">
      <div aria-live="polite" className="log-verdict">
        {verification.isFetching && <p className="muted">{t('log.verifying')}</p>}
        {!verification.isFetching && verdict?.ok === true && (
          <p className="ok">
            <ShieldCheck aria-hidden="true" size={18} /> {t('log.ok', { count: verdict.count })}
          </p>
        )}
        {!verification.isFetching && verdict?.ok === false && verdict.reason !== 'record-rolled-back' && (
          <p className="error" role="alert">
            <ShieldAlert aria-hidden="true" size={18} />{' '}
            {t(`log.broken.${verdict.reason}`, { seq: verdict.firstBrokenSeq, count: verdict.count })}
          </p>
        )}
        {!verification.isFetching && verdict?.ok === false && (verdict.rolledBack ?? 0) > 0 && (
          <p className="error" role="alert">
            {t('log.rolledBack', { count: verdict.rolledBack })}
          </p>
        )}
        {!verification.isFetching && failed !== null && (
          <p role="alert" className="error">
            {errorMessage(t, failed)}
          </p>
        )}
      </div>
      <button type="button" onClick={() => void verification.refetch()} disabled={verification.isFetching}>
        {t('log.verify')}
      </button>
    </div>
  );
}
