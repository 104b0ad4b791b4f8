// The text of office files (DOCX, XLSX, ODT), read from their XML within limits, in a worker of its own, for search
// and annotation.
export {
  extractOfficeText,
  isOfficeText,
  mayHaveOfficeText,
  MAX_OFFICE_TEXT_CHARS,
  OFFICE_EXTRACTORS,
} from './office-text';
export { extractAndStoreOfficeText } from './store-office-text';
export { extractOfficeTextInWorker, OFFICE_TEXT_TIMEOUT_MS } from './extract-in-worker';
export { OfficeTextError, type OfficeTextFailure } from './office-text-error';
export { MAX_INFLATED_BYTES, MAX_PART_BYTES, MAX_ZIP_ENTRIES } from './zip-parts';
