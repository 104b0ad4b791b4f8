import { useEffect, useState } from 'react';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../../session';
import type { DocumentRecord } from '../../vault';
import { extractAndStoreOfficeText, isOfficeText, OfficeTextError, type OfficeTextFailure } from '../office';

/** An office file's text for the viewer: as stored, or why there is none. */
export type OfficeTextView =
  | { state: 'loading' }
  | { state: 'ready'; text: string; extractor: string }
  /** Not an office file after all (a plain zip, a presentation): nothing to show. */
  | { state: 'unsupported' }
  | { state: 'failed'; reason: OfficeTextFailure }
  /** The vault could not be read. */
  | { state: 'error'; error: unknown };

/**
 * The stored text of an office file (extracted at intake), shown as the vault keeps it so that annotations anchor
 * in what search and the details see. A file without stored text (its extraction failed at intake, or it came
 * before office files were read) is read again here: its text is stored when it can be read, and the viewer says
 * why when it cannot.
 */
export function useOfficeText(document: DocumentRecord, enabled: boolean): OfficeTextView {
  const vault = useVault();
  const refresh = useRefresh();
  const key = [...queryKeys.document(document.caseId, document.id), 'text'];
  const stored = useVaultQuery(key, (client) => client.getDocumentText(document.caseId, document.id), enabled);
  const [attempt, setAttempt] = useState<{ id: string; result: OfficeTextView } | null>(null);
  const missing = enabled && stored.data === null;

  useEffect(() => {
    if (!missing) return;
    let current = true;
    extractAndStoreOfficeText(vault, document).then(
      (text) => {
        if (!current) return;
        if (text) void refresh([...queryKeys.document(document.caseId, document.id), 'text']);
        else setAttempt({ id: document.id, result: { state: 'unsupported' } });
      },
      (error: unknown) =>
        current &&
        setAttempt({
          id: document.id,
          result: { state: 'failed', reason: error instanceof OfficeTextError ? error.reason : 'damaged' },
        }),
    );
    return () => {
      current = false;
    };
  }, [missing, vault, document, refresh]);

  if (stored.data) {
    const [page] = stored.data.pages;
    return isOfficeText(stored.data) && page
      ? { state: 'ready', text: page.text, extractor: stored.data.extractor }
      : { state: 'unsupported' };
  }
  if (stored.isError) return { state: 'error', error: stored.error };
  return attempt?.id === document.id ? attempt.result : { state: 'loading' };
}
