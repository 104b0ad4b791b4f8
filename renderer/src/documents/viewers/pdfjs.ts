import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/**
 * pdf.js, configured for hostile input: parsing in pdf.js's own worker
 * (loaded from the app's origin), no XFA, no scripting (the viewer layer
 * that runs PDF JavaScript is never loaded), every resource bundled under
 * /pdfjs/ so nothing is fetched from anywhere else.
 */
pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** Where the bundled resources are served (read when a document opens: importing this module needs no window). */
const assetsUrl = () => new URL('/pdfjs/', window.location.href).href;

export type PdfDocument = pdfjs.PDFDocumentProxy;

export type PdfOpenFailure = 'password' | 'invalid' | 'unknown';

/** The options every document is opened with (hostile input, nothing fetched from elsewhere). */
export function pdfDocumentOptions(bytes: Uint8Array) {
  const ASSETS = assetsUrl();
  return {
    data: bytes,
    enableXfa: false,
    cMapUrl: `${ASSETS}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${ASSETS}standard_fonts/`,
    wasmUrl: `${ASSETS}wasm/`,
    // Unused while useWorkerFetch is false: ICC colour management is off (see below).
    iccUrl: `${ASSETS}iccs/`,
    // pdf.js lets its worker fetch these resources itself only from http(s)
    // URLs. The desktop app is served from evidence-vault://, so there pdf.js
    // falls back to the main thread (the worker asks for each character map,
    // standard font and wasm decoder by message). Forcing that path everywhere
    // means the browser preview and the end-to-end tests run exactly what
    // Electron runs. Its price, in both: pdf.js turns off its wasm ICC colour
    // management, so ICC-based colours are drawn with their alternate (device)
    // colour space. docs/architecture.md says the same.
    useWorkerFetch: false,
    useSystemFonts: false,
    stopAtErrors: false,
    // 100 megapixels: bigger images in a hostile PDF are not decoded.
    maxImageSize: 100_000_000,
  };
}

/**
 * Every document gets its own pdf.js worker, so a hostile PDF never shares
 * a parser with the next one. Starting a worker costs about 200 ms, so one
 * is started ahead of need (when a documents list opens, and after each
 * document closes) and handed to the next document that opens.
 */
let spareWorker: pdfjs.PDFWorker | null = null;

export function prepareNextPdfWorker(): void {
  spareWorker ??= new pdfjs.PDFWorker();
}

/** Resolves when the spare worker is up (benchmarks wait for it, as a user would never notice). */
export async function nextPdfWorkerReady(): Promise<void> {
  prepareNextPdfWorker();
  await spareWorker?.promise;
}

function takePdfWorker(): pdfjs.PDFWorker {
  const worker = spareWorker ?? new pdfjs.PDFWorker();
  spareWorker = null;
  return worker;
}

/** pdf.js asks for a password: none was given yet ('need'), or the one given was wrong ('incorrect'). */
export interface PdfPasswordRequest {
  reason: 'need' | 'incorrect';
  /** Tries this password (any Unicode: pdf.js encodes it as the PDF's security handler requires). */
  submit: (password: string) => void;
  /** Gives up: the document fails to open as 'password'. */
  cancel: () => void;
}

/**
 * Opens a PDF in its own worker. With `onPassword`, a password-protected PDF asks for its password (again after a
 * wrong one) instead of failing; the password goes straight to pdf.js and is kept nowhere here.
 */
export function openPdf(
  bytes: Uint8Array,
  onPassword?: (request: PdfPasswordRequest) => void,
): { promise: Promise<PdfDocument>; destroy: () => Promise<void> } {
  const worker = takePdfWorker();
  const task = pdfjs.getDocument({ ...pdfDocumentOptions(bytes), worker });
  if (onPassword)
    task.onPassword = (update: (password: string | Error) => void, reason: number) => {
      let answered = false;
      const answer = (value: string | Error) => {
        if (answered) return;
        answered = true;
        update(value);
      };
      onPassword({
        reason: reason === pdfjs.PasswordResponses.INCORRECT_PASSWORD ? 'incorrect' : 'need',
        submit: answer,
        // pdf.js then fails the document with its PasswordException.
        cancel: () => answer(new Error('Password entry cancelled.')),
      });
    };
  return {
    promise: task.promise,
    destroy: async () => {
      await task.destroy();
      worker.destroy();
      prepareNextPdfWorker();
    },
  };
}

export function pdfOpenFailure(error: unknown): PdfOpenFailure {
  if (error instanceof pdfjs.PasswordException) return 'password';
  if (error instanceof pdfjs.InvalidPDFException) return 'invalid';
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') return 'password';
  if (name === 'InvalidPDFException') return 'invalid';
  return 'unknown';
}

export { pdfjs };
