import type { TFunction } from 'i18next';
import { StatusMessage as AppStatusMessage, type OutcomeMessage } from '../ui';
import type { DocumentRecord, VaultClient } from '../vault';

/** A one-line outcome shown above a list (the app's StatusMessage; digests in their own style). */
export type PanelMessage = OutcomeMessage;

export function StatusMessage({ message }: { message: PanelMessage | null }) {
  return <AppStatusMessage message={message} okClassName="ok hash" />;
}

/** A row's action button: short visible text, an accessible name that says which row. */
export function RowAction({
  text,
  label,
  onClick,
  danger = false,
  describedBy,
}: {
  text: string;
  label: string;
  onClick: () => void;
  danger?: boolean;
  /** The id of a line that says more (e.g. that a saved copy is not encrypted). */
  describedBy?: string;
}) {
  return (
    <button
      type="button"
      className={danger ? 'danger' : undefined}
      onClick={onClick}
      aria-label={label}
      aria-describedby={describedBy}
    >
      {text}
    </button>
  );
}

/** Re-hashes a stored document and says whether it still matches the hash taken at intake. */
export async function verifyMessage(
  vault: VaultClient,
  document: Pick<DocumentRecord, 'id' | 'caseId' | 'name'>,
  t: TFunction,
): Promise<PanelMessage> {
  const verdict = await vault.verifyDocument(document.caseId, document.id);
  return verdict.ok
    ? { ok: true, text: t('documents.verified', { name: document.name, sha256: verdict.sha256 }) }
    : { ok: false, text: t('documents.verifyFailed') };
}
