/**
 * Why an office file's text could not be read (the file itself is kept, as any file is):
 * - too-large: a part, the parts together, or the text passes its limit (zip bombs end here);
 * - too-many-entries: the archive lists more entries than any office file needs;
 * - encrypted: a part is encrypted;
 * - doctype: an XML part declares a DTD (OOXML and ODF never do; entity tricks need one);
 * - damaged: not a readable zip, or a part is not well-formed XML;
 * - timeout: reading it in its worker took longer than OFFICE_TEXT_TIMEOUT_MS (extract-in-worker.ts).
 */
export type OfficeTextFailure = 'too-large' | 'too-many-entries' | 'encrypted' | 'doctype' | 'damaged' | 'timeout';

export class OfficeTextError extends Error {
  constructor(readonly reason: OfficeTextFailure) {
    super(`Office text not extracted: ${reason}`);
    this.name = 'OfficeTextError';
  }
}
