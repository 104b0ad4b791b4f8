import { transfer, wrap } from 'comlink';
import type { PdfMarksWorkerApi } from './marks.worker';
import { readPdfMarks, type PdfMarks } from './read-marks';

/** pdf-lib reads a 160 MB PDF in a few seconds; a crafted one may take it minutes, and is then given up. */
const MARKS_TIMEOUT_MS = 30_000;

/**
 * The marked content of `pages` (0-based), read from a copy of the PDF's
 * bytes in a worker started for it and ended after (inline where there are
 * no workers: Node, in tests). Null when the file cannot be read in time.
 */
export async function readPdfMarksIsolated(
  bytes: Uint8Array,
  pages: readonly number[],
  timeoutMs = MARKS_TIMEOUT_MS,
): Promise<PdfMarks> {
  const copy = bytes.slice();
  if (typeof Worker === 'undefined') return readPdfMarks(copy, pages);
  const worker = new Worker(new URL('./marks.worker.ts', import.meta.url), { type: 'module', name: 'pdf-marks' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const api = wrap<PdfMarksWorkerApi>(worker);
    const timedOut = new Promise<PdfMarks>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    return await Promise.race([api.readPdfMarks(transfer(copy, [copy.buffer]), [...pages]), timedOut]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}
