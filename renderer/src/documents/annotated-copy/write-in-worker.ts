import { transfer, wrap } from 'comlink';
import type { AnnotatedPdfWorkerApi } from './annotated-pdf.worker';
import type { AnnotatedCopyInput, AnnotatedCopyResult } from './write-annotated-pdf';

/** Writes the copy in a worker of its own, started for this copy and ended after it (the original's bytes go to it). */
export async function writeAnnotatedPdfInWorker(input: AnnotatedCopyInput): Promise<AnnotatedCopyResult> {
  const worker = new Worker(new URL('./annotated-pdf.worker.ts', import.meta.url), {
    type: 'module',
    name: 'annotated-pdf',
  });
  try {
    const api = wrap<AnnotatedPdfWorkerApi>(worker);
    return await api.write(transfer(input, [input.original.buffer]));
  } finally {
    worker.terminate();
  }
}
