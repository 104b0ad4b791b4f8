import type { VaultClient } from '../../vault';

/**
 * Where the reader keeps a PDF's password when the user asks it to ("Remember the password in this vault"): sealed
 * in the vault with the document (vault worker: documents-service.ts). The password crosses as UTF-8 bytes, which
 * are wiped once handed on; it becomes a string only to be given to pdf.js, never React state, never logged.
 */
export interface PdfPasswordMemory {
  /** The remembered password as UTF-8 bytes (the caller wipes them), or null when none is remembered. */
  recall(): Promise<Uint8Array | null>;
  /** Remembers this password, replacing any other (the bytes are handed over: wiped here, or by the vault). */
  remember(password: Uint8Array): Promise<void>;
  /** Forgets the remembered password (it no longer opens the document, or the user asked). */
  forget(): Promise<void>;
}

/**
 * The vault's memory of one document's password. `onChange` is told after it remembers or forgets one; `onError`
 * when the vault could not (the viewer goes on: the document is open, the password simply not kept).
 */
export function vaultPasswordMemory(
  vault: VaultClient,
  document: { caseId: string; id: string },
  { onChange, onError }: { onChange: () => void; onError: (error: unknown) => void },
): PdfPasswordMemory {
  return {
    recall: () => vault.rememberedDocumentPassword(document.caseId, document.id),
    async remember(password) {
      try {
        // The vault worker gets its own copy (structured clone) and wipes it; this one is wiped here.
        await vault.rememberDocumentPassword(document.caseId, document.id, password);
        onChange();
      } catch (error) {
        onError(error);
      } finally {
        password.fill(0);
      }
    },
    async forget() {
      try {
        await vault.forgetDocumentPassword(document.caseId, document.id);
        onChange();
      } catch (error) {
        onError(error);
      }
    },
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A typed password as the bytes the vault keeps. */
export const passwordBytes = (password: string): Uint8Array => encoder.encode(password);

/** Remembered bytes as the string pdf.js takes; the bytes are wiped. Null when they are not UTF-8 text. */
export function passwordText(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  } finally {
    bytes.fill(0);
  }
}
