import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../../session';
import { errorMessage } from '../../ui';
import type { DocumentRecord } from '../../vault';

/**
 * In a PDF's details: whether its password is remembered in the vault, and "Forget the password". Says nothing for
 * a PDF whose password is not remembered (most are not password-protected at all).
 */
export function RememberedPassword({ document }: { document: DocumentRecord }) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const key = [...queryKeys.document(document.caseId, document.id), 'password'];
  const remembered = useVaultQuery(
    key,
    (client) => client.hasRememberedDocumentPassword(document.caseId, document.id),
    document.kind === 'pdf',
  );
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (remembered.data !== true) return null;

  async function forget() {
    setFailure(null);
    setBusy(true);
    try {
      await vault.forgetDocumentPassword(document.caseId, document.id);
      await refresh(key);
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="remembered-password">
      <p>{t('viewer.password.remembered')}</p>
      <button type="button" onClick={() => void forget()} disabled={busy}>
        {t('viewer.password.forget')}
      </button>
      {failure !== null && (
        <p role="alert" className="error">
          {errorMessage(t, failure)}
        </p>
      )}
    </div>
  );
}
