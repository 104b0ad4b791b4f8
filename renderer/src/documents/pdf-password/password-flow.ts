import type { PdfPasswordRequest } from '../viewers/pdfjs';
import { passwordBytes, passwordText, type PdfPasswordMemory } from './password-memory';

/**
 * Why the prompt shows: no password was given yet ('need'), the one typed was wrong ('incorrect'), or the password
 * remembered in the vault no longer opens the document ('remembered-failed': it has been forgotten).
 */
export type PdfPasswordReason = 'need' | 'incorrect' | 'remembered-failed';

/** What the viewer shows the user: the prompt, with what its buttons do. */
export interface PdfPasswordPrompting {
  reason: PdfPasswordReason;
  /** Tries a typed password; with `remember`, it is kept in the vault once it has opened the document. */
  submit: (password: string, remember: boolean) => void;
  cancel: () => void;
}

/** One opening of one PDF's password handling (see pdfPasswordFlow). */
export interface PdfPasswordFlow {
  /** pdf.js asks for the password (openPdf's onPassword). */
  onPassword: (request: PdfPasswordRequest) => void;
  /** The document opened: says whether a password unlocked it, and remembers the typed one if the user asked. */
  opened: () => { unlocked: boolean };
  /** The document failed to open or the viewer closed: a password waiting to be remembered is wiped. */
  dispose: () => void;
}

/**
 * The password steps of opening a PDF: a password remembered in the vault is tried first, without asking; if it
 * no longer opens the document it is forgotten and the prompt says so; otherwise the prompt asks (again after a
 * wrong password). A typed password the user asked to remember is kept as bytes only until pdf.js has accepted it,
 * then handed to the vault; a wrong one is wiped at once. Nothing here is React state and nothing is logged.
 */
export function pdfPasswordFlow({
  memory,
  ask,
  isCurrent,
}: {
  memory: PdfPasswordMemory | undefined;
  ask: (prompting: PdfPasswordPrompting) => void;
  /** False once the viewer has moved on (a late answer then cancels). */
  isCurrent: () => boolean;
}): PdfPasswordFlow {
  let unlocked = false;
  let triedRemembered = false;
  let prompted = false;
  let toRemember: Uint8Array | null = null;
  const dropToRemember = () => {
    toRemember?.fill(0);
    toRemember = null;
  };
  const prompt = (request: PdfPasswordRequest, reason: PdfPasswordReason) => {
    prompted = true;
    ask({
      reason,
      submit: (password, remember) => {
        dropToRemember();
        if (remember && memory) toRemember = passwordBytes(password);
        unlocked = true;
        request.submit(password);
      },
      cancel: request.cancel,
    });
  };
  return {
    onPassword(request) {
      if (!isCurrent()) return request.cancel();
      dropToRemember(); // pdf.js asks again: the typed password was wrong
      if (memory && request.reason === 'need' && !triedRemembered) {
        triedRemembered = true;
        memory.recall().then(
          (remembered) => {
            const password = remembered && passwordText(remembered);
            if (!isCurrent()) return request.cancel();
            if (!password) return prompt(request, 'need');
            unlocked = true;
            request.submit(password);
          },
          () => (isCurrent() ? prompt(request, 'need') : request.cancel()),
        );
        return;
      }
      if (memory && request.reason === 'incorrect' && triedRemembered && !prompted) {
        // The remembered password did not open it: forgotten, and asked for.
        void memory.forget();
        return prompt(request, 'remembered-failed');
      }
      prompt(request, request.reason);
    },
    opened() {
      const remember = toRemember;
      toRemember = null;
      if (remember && memory) void memory.remember(remember);
      return { unlocked };
    },
    dispose: dropToRemember,
  };
}
