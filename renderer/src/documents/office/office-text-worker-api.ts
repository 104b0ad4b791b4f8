import type { DocumentText } from '../../vault';
import { extractOfficeText } from './office-text';
import { OfficeTextError, type OfficeTextFailure } from './office-text-error';

/** What the office-text worker answers: the text (null: not an office file), or why it cannot be read. */
export type OfficeTextResult = { ok: true; text: DocumentText | null } | { ok: false; reason: OfficeTextFailure };

/**
 * The office-text worker's one call (office-text.worker.ts exposes it; tests run it in their own thread). It gets
 * the document's decrypted bytes, moved to it, never a key; the bytes are wiped once read.
 */
export const officeTextWorkerApi = {
  extract(bytes: Uint8Array): OfficeTextResult {
    try {
      return { ok: true, text: extractOfficeText(bytes) };
    } catch (error) {
      return { ok: false, reason: error instanceof OfficeTextError ? error.reason : 'damaged' };
    } finally {
      bytes.fill(0);
    }
  },
};

export type OfficeTextWorkerApi = typeof officeTextWorkerApi;
