import { transfer, wrap } from 'comlink';
import type { PdfMarksWorkerApi } from './marks.worker';
import { readPdfMarks, type PdfMarks } from './read-marks';

/** pdf-lib reads a 160 MB PDF in a few seconds; a crafted one may take it minutes, and is then given up. */
const MARKS_TIMEOUT_MS = 30_000;
/** How often a run asks whether it is still wanted (the reader closed meanwhile). */
const CANCEL_POLL_MS = 250;

/**
 * The marked content of `pages` (0-based) of a PDF, read in a worker started for it and ended after (inline where
 * there are no workers: Node, in tests). `bytes` are taken (moved to the worker). Null when the file cannot be read
 * in time, the worker fails, or `cancelled` says so: the worker, and its copy of the document, go at once.
 */
export async function readPdfMarksIsolated(
  bytes: Uint8Array,
  pages: readonly number[],
  options: { cancelled?: () => boolean; timeoutMs?: number } = {},
): Promise<PdfMarks> {
  if (typeof Worker === 'undefined') return readPdfMarks(bytes, pages);
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const worker = new Worker(new URL('./marks.worker.ts', import.meta.url), { type: 'module', name: 'pdf-marks' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  try {
    const api = wrap<PdfMarksWorkerApi>(worker);
    const givenUp = new Promise<PdfMarks>((resolve) => {
      timer = setTimeout(() => resolve(null), options.timeoutMs ?? MARKS_TIMEOUT_MS);
      poll = setInterval(() => options.cancelled?.() && resolve(null), CANCEL_POLL_MS);
      worker.addEventListener('error', () => resolve(null));
      worker.addEventListener('messageerror', () => resolve(null));
    });
    return await Promise.race([api.readPdfMarks(transfer(owned, [owned.buffer]), [...pages]), givenUp]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
    worker.terminate();
  }
}
