import type { TFunction } from 'i18next';
import type { DocumentRecord, VaultClient } from '../vault';

/** A one-line outcome shown above a list: a status when it went well, an alert otherwise. */
export interface PanelMessage {
  ok: boolean;
  text: string;
}

export function StatusMessage({ message }: { message: PanelMessage | null }) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok hash' : 'error'}>
      {message.text}
    </p>
  );
}

/** A row's action button: short visible text, an accessible name that says which row. */
export function RowAction({
  text,
  label,
  onClick,
  danger = false,
}: {
  text: string;
  label: string;
  onClick: () => void;
  danger?: boolean;
}) {
  return (
    <button type="button" className={danger ? 'danger' : undefined} onClick={onClick} aria-label={label}>
      {text}
    </button>
  );
}

/** Re-hashes a stored document and says whether it still matches the hash taken at intake. */
export async function verifyMessage(vault: VaultClient, document: DocumentRecord, t: TFunction): Promise<PanelMessage> {
  const verdict = await vault.verifyDocument(document.caseId, document.id);
  return verdict.ok
    ? { ok: true, text: t('documents.verified', { name: document.name, sha256: verdict.sha256 }) }
    : { ok: false, text: t('documents.verifyFailed') };
}
