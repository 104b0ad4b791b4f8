import { expose, transfer } from 'comlink';
import { writeAnnotatedPdf, type AnnotatedCopyInput } from './write-annotated-pdf';

/** Writing a copy parses the whole PDF: off the page's thread, so a big PDF does not freeze the UI. No keys here. */
const api = {
  async write(input: AnnotatedCopyInput) {
    const result = await writeAnnotatedPdf(input);
    return result.ok ? transfer(result, [result.bytes.buffer]) : result;
  },
};

export type AnnotatedPdfWorkerApi = typeof api;

expose(api);
