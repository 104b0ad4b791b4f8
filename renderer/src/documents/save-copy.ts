import type { TFunction } from 'i18next';
import { errorMessage } from '../ui';
import type { Platform } from '../platform';
import type { DocumentRecord, VaultClient } from '../vault';
import { documentChunks } from './intake';
import type { PanelMessage } from './panel-parts';

/**
 * Writes the original bytes of a document where the user chooses (unencrypted), then says whether the file
 * read back has the hash taken at intake. Null when the user cancelled the save dialog.
 */
export async function saveDocumentCopy(
  vault: VaultClient,
  platform: Platform,
  document: DocumentRecord,
  t: TFunction,
): Promise<PanelMessage | null> {
  const sink = await platform.beginSave(document.name, document.mimeType);
  if (!sink) return null;
  try {
    for await (const chunk of documentChunks(vault, document)) await sink.write(chunk);
    const saved = await sink.commit();
    return saved.sha256 === document.sha256 && saved.size === document.size
      ? { ok: true, text: t('documents.savedVerified', { sha256: saved.sha256 }) }
      : { ok: false, text: t('documents.savedMismatch', { sha256: saved.sha256 }) };
  } catch (caught) {
    await sink.abort();
    return { ok: false, text: errorMessage(t, caught) };
  }
}
