import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/**
 * pdf.js, configured for hostile input: parsing in pdf.js's own worker
 * (loaded from the app's origin), no XFA, no scripting (the viewer layer
 * that runs PDF JavaScript is never loaded), every resource bundled under
 * /pdfjs/ so nothing is fetched from anywhere else.
 */
pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

const ASSETS = new URL('/pdfjs/', window.location.href).href;

export type PdfDocument = pdfjs.PDFDocumentProxy;

export type PdfOpenFailure = 'password' | 'invalid' | 'unknown';

export function openPdf(bytes: Uint8Array): { promise: Promise<PdfDocument>; destroy: () => Promise<void> } {
  const task = pdfjs.getDocument({
    data: bytes,
    enableXfa: false,
    cMapUrl: `${ASSETS}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${ASSETS}standard_fonts/`,
    wasmUrl: `${ASSETS}wasm/`,
    iccUrl: `${ASSETS}iccs/`,
    useSystemFonts: false,
    stopAtErrors: false,
    // 100 megapixels: bigger images in a hostile PDF are not decoded.
    maxImageSize: 100_000_000,
  });
  return { promise: task.promise, destroy: () => task.destroy() };
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
