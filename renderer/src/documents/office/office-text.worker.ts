import { expose } from 'comlink';
import { officeTextWorkerApi } from './office-text-worker-api';

/**
 * Reading an office file unzips and parses its XML: off the page's thread, so a file near the limits does not
 * freeze the window. One worker per file, ended after it (extract-in-worker.ts). No keys here.
 */
expose(officeTextWorkerApi);
