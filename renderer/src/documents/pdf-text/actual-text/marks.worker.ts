import { expose } from 'comlink';
import { readPdfMarks } from './read-marks';

/** Reading a PDF's marked content parses the whole file with pdf-lib: in a worker of its own, ended after. No keys. */
const api = { readPdfMarks };

export type PdfMarksWorkerApi = typeof api;

expose(api);
