import type { DocumentRecord, DocumentText } from '../../vault';
import { docxText } from './docx-text';
import { mainPartOf } from './opc';
import { odtText, ODT_MIME_TYPES } from './odt-text';
import { OfficeTextError } from './office-text-error';
import { xlsxText } from './xlsx-text';
import { parseXmlPart } from './xml';
import { ZipParts } from './zip-parts';

/** The longest text kept (documentTextSchema's limit for one page: an office file's text is one page). */
import { MAX_OFFICE_TEXT_CHARS } from './text-budget';

export { MAX_OFFICE_TEXT_CHARS };

/**
 * What extracted the text, as stored with it and with the annotations anchored in it. The number is this code's
 * own: it changes when the same file would give a different text.
 */
export const OFFICE_EXTRACTORS = { docx: 'docx-text 1', odt: 'odt-text 1', xlsx: 'xlsx-text 1' } as const;

/** Types the vault's sniffing gives files that may be DOCX, XLSX or ODT (a zip it could not tell apart). */
const OFFICE_MIME_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ...ODT_MIME_TYPES,
  'application/zip',
]);

/** Whether a document of this (sniffed) type may be an office file whose text is read. */
export function mayHaveOfficeText(document: Pick<DocumentRecord, 'kind' | 'mimeType'>): boolean {
  return document.kind === 'other' && OFFICE_MIME_TYPES.has(document.mimeType);
}

/** Whether stored text is an office file's (shown in the text viewer). */
export function isOfficeText(text: DocumentText): boolean {
  return (Object.values(OFFICE_EXTRACTORS) as string[]).includes(text.extractor);
}

function readOfficeText(zip: ZipParts): { extractor: string; text: string } | null {
  // OpenDocument: the "mimetype" entry names the kind of document.
  if (zip.has('mimetype')) {
    const mimeType = zip.readText('mimetype')?.trim() ?? '';
    if (!ODT_MIME_TYPES.includes(mimeType)) return null;
    const content = zip.readText('content.xml');
    if (content === null) throw new OfficeTextError('damaged');
    return { extractor: OFFICE_EXTRACTORS.odt, text: odtText(parseXmlPart(content)) };
  }
  // OOXML: the package's relationships name its main part, whose root says what it is.
  const mainPart = mainPartOf(zip);
  if (mainPart === null) return null;
  const xml = zip.readText(mainPart);
  if (xml === null) throw new OfficeTextError('damaged');
  const root = parseXmlPart(xml);
  if (root.name === 'document') return { extractor: OFFICE_EXTRACTORS.docx, text: docxText(root) };
  if (root.name === 'workbook') return { extractor: OFFICE_EXTRACTORS.xlsx, text: xlsxText(zip, mainPart) };
  // A presentation, a drawing, …: not read.
  return null;
}

/**
 * The text of a DOCX, ODT or XLSX file as one page; null for any other zip (or anything else). Throws an
 * OfficeTextError when the file is one of those but its text cannot be read safely: a zip bomb, too many entries,
 * a DTD, a damaged archive. Macros are never read (only the document's XML parts are opened), no formula is
 * evaluated and nothing is fetched.
 */
export function extractOfficeText(bytes: Uint8Array): DocumentText | null {
  // Not a zip at all: no local file header where a zip starts.
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return null;
  let read: { extractor: string; text: string } | null;
  try {
    read = readOfficeText(new ZipParts(bytes));
  } catch (error) {
    // Anything else thrown by crafted content (a nesting too deep for the walk) is a damaged file, too.
    throw error instanceof OfficeTextError ? error : new OfficeTextError('damaged');
  }
  if (read === null) return null;
  if (read.text.length > MAX_OFFICE_TEXT_CHARS) throw new OfficeTextError('too-large');
  return { extractor: read.extractor, pages: [{ text: read.text, hasText: read.text.trim().length > 0 }] };
}
