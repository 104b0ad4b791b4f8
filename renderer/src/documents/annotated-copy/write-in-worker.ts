import { transfer, wrap } from 'comlink';
import type { AnnotatedPdfWorkerApi } from './annotated-pdf.worker';
import type { AnnotatedCopyInput, AnnotatedCopyResult } from './write-annotated-pdf';

/**
 * How long a copy may take: a 400-page, 160 MB PDF with 1,000 annotations took 6 s; some crafted PDFs take pdf-lib's
 * parser minutes, and the worker is then ended rather than left running.
 */
const WRITE_TIMEOUT_MS = 120_000;

/** Writes the copy in a worker of its own, started for this copy and ended after it (the original's bytes go to it). */
export async function writeAnnotatedPdfInWorker(
  input: AnnotatedCopyInput,
  timeoutMs = WRITE_TIMEOUT_MS,
): Promise<AnnotatedCopyResult> {
  const worker = new Worker(new URL('./annotated-pdf.worker.ts', import.meta.url), {
    type: 'module',
    name: 'annotated-pdf',
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const api = wrap<AnnotatedPdfWorkerApi>(worker);
    const timedOut = new Promise<AnnotatedCopyResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
    });
    return await Promise.race([api.write(transfer(input, [input.original.buffer])), timedOut]);
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}
