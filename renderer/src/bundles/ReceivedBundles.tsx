import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceivedBundle, VaultClient } from '../vault';

/** Where imported evidence came from: each bundle, who signed it, and its sender's custody log checked again. */
export function ReceivedBundles({ vault, version }: { vault: VaultClient; version: number }) {
  const { t, i18n } = useTranslation();
  const [bundles, setBundles] = useState<ReceivedBundle[] | null>(null);
  useEffect(() => {
    let current = true;
    vault.listReceivedBundles().then(
      (list) => current && setBundles(list),
      () => current && setBundles([]),
    );
    return () => {
      current = false;
    };
  }, [vault, version]);
  if (!bundles || bundles.length === 0) return null;
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
