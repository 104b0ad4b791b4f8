import { useTranslation } from 'react-i18next';
import { queryKeys, useVaultQuery } from '../session';
import { errorMessage } from '../ui';

/** Where imported evidence came from: each bundle, who signed it, and its sender's custody log checked again. */
export function ReceivedBundles() {
  const { t, i18n } = useTranslation();
  // Read again after an import (ExchangePanel refreshes queryKeys.receivedBundles).
  const query = useVaultQuery(queryKeys.receivedBundles, (vault) => vault.listReceivedBundles());
  if (query.status === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, query.error)}
      </p>
    );
  // Nothing shows while the list is read, nor when there is nothing to list: the section appears with its first bundle.
  if (query.status === 'pending' || query.data.length === 0) return null;
  const bundles = query.data;
  return (
    <section aria-labelledby="received-heading">
      <h2 id="received-heading">{t('received.heading')}</h2>
      <table className="indicators">
        <thead>
          <tr>
            <th scope="col">{t('received.importedAt')}</th>
            <th scope="col">{t('received.signer')}</th>
            <th scope="col">{t('received.items')}</th>
            <th scope="col">{t('received.custodyLog')}</th>
            <th scope="col">{t('received.bundleId')}</th>
          </tr>
        </thead>
        <tbody>
          {bundles.map((bundle) => (
            <tr key={bundle.bundleId}>
              <td>{new Date(bundle.importedAt).toLocaleString(i18n.language)}</td>
              <td>
                {bundle.signer.name} ({t(`open.signer.${bundle.signer.status}`, { contact: bundle.signer.name })})
              </td>
              <td>{bundle.items}</td>
              <td>
                {bundle.custodyLog === null
                  ? t('received.noLog')
                  : bundle.custodyLog.ok
                    ? t('received.logOk', { entries: bundle.custodyLog.entries })
                    : t('received.logBroken', { reason: bundle.custodyLog.reason })}
              </td>
              <td className="hash">{bundle.bundleId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
