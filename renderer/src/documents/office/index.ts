// The text of office files (DOCX, XLSX, ODT), read from their XML within limits, for search and annotation.
export {
  extractAndStoreOfficeText,
  extractOfficeText,
  isOfficeText,
  mayHaveOfficeText,
  MAX_OFFICE_TEXT_CHARS,
  OFFICE_EXTRACTORS,
} from './office-text';
export { OfficeTextError, type OfficeTextFailure } from './office-text-error';
export { MAX_INFLATED_BYTES, MAX_PART_BYTES, MAX_ZIP_ENTRIES } from './zip-parts';
