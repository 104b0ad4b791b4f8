import { readFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  extractOfficeText,
  MAX_INFLATED_BYTES,
  MAX_OFFICE_TEXT_CHARS,
  MAX_PART_BYTES,
  MAX_ZIP_ENTRIES,
  OfficeTextError,
  type OfficeTextFailure,
} from '../../../renderer/src/documents/office';
import { isDateFormat, serialDate } from '../../../renderer/src/documents/office/xlsx-dates';
import { ZipParts } from '../../../renderer/src/documents/office/zip-parts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

const FRENCH = "L'audience a été reportée au 17 juillet à la demande de la défense.";
const KHMER = 'សវនាការត្រូវបានពន្យារពេលដល់ថ្ងៃទី១៧ ខែកក្កដា តាមសំណើរបស់មេធាវីការពារក្តី។';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const PACKAGE_RELS = (target: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
  '</Relationships>';

/** A DOCX of `body` (the inside of w:body), with any further parts. */
function docx(body: string, more: Zippable = {}): Uint8Array {
  return zipSync({
    '_rels/.rels': strToU8(PACKAGE_RELS('word/document.xml')),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`,
    ),
    ...more,
  });
}

/** The offset of the central directory entry of `name` in a zip written by fflate. */
function centralEntry(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 46; at >= 0; at--)
    if (
      view.getUint32(at, true) === 0x02014b50 &&
      new TextDecoder().decode(zip.subarray(at + 46, at + 46 + name.length)) === name
    )
      return at;
  throw new Error(`no entry ${name}`);
}

function failure(bytes: Uint8Array): OfficeTextFailure | 'none' {
  try {
    extractOfficeText(bytes);
    return 'none';
  } catch (error) {
    if (error instanceof OfficeTextError) return error.reason;
    throw error;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('office text: files made by LibreOffice', () => {
  const lines = ["Note d'audience — Koet Saray", FRENCH, KHMER, 'Tribunal', 'Phnom Penh', 'Article', '494', ''];

  it('reads a DOCX paragraph by paragraph, table cells included', () => {
    expect(extractOfficeText(fixture('office-note.docx'))).toEqual({
      extractor: 'docx-text 1',
      pages: [{ text: lines.join('\n'), hasText: true }],
    });
  });

  it('reads the same note saved as ODT to the same text', () => {
    expect(extractOfficeText(fixture('office-note.odt'))).toEqual({
      extractor: 'odt-text 1',
      pages: [{ text: lines.join('\n'), hasText: true }],
    });
  });

  it('reads an XLSX sheet under its name, a row a line, cells tab-separated, dates by their format as ISO 8601', () => {
    expect(extractOfficeText(fixture('office-sheet.xlsx'))?.pages[0]?.text).toBe(
      ['office-sheet', 'Date\tLieu\tNote', `2025-07-17\tPhnom Penh\t${FRENCH}`, `2025-07-18\tភ្នំពេញ\t${KHMER}`].join(
        '\n',
      ),
    );
  });

  it('leaves anything else alone: not a zip, a plain zip, a presentation', () => {
    expect(extractOfficeText(fixture('photo-with-gps.jpg'))).toBeNull();
    expect(extractOfficeText(new Uint8Array(0))).toBeNull();
    expect(extractOfficeText(zipSync({ 'notes.txt': strToU8('hello') }))).toBeNull();
    const presentation = zipSync({
      '_rels/.rels': strToU8(PACKAGE_RELS('ppt/presentation.xml')),
      'ppt/presentation.xml': strToU8(
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
      ),
    });
    expect(extractOfficeText(presentation)).toBeNull();
    const spreadsheetOdf = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
      'content.xml': strToU8('<x/>'),
    });
    expect(extractOfficeText(spreadsheetOdf)).toBeNull();
  });
});

describe('office text: what a reader sees, not the markup', () => {
  it('DOCX: tabs, breaks and hyphens; no tab stops, deleted text, field codes or duplicated fallbacks', () => {
    const bytes = docx(
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' +
        '<w:r><w:t xml:space="preserve">Article </w:t></w:r><w:r><w:tab/><w:t>494</w:t><w:br/><w:t>Code</w:t></w:r>' +
        '<w:del><w:r><w:delText>supprimé</w:delText></w:r></w:del>' +
        '<w:r><w:instrText> HYPERLINK "http://example.invalid" </w:instrText></w:r>' +
        '<w:ins><w:r><w:t>pénal</w:t><w:noBreakHyphen/><w:t>1</w:t></w:r></w:ins></w:p>' +
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">' +
        '<mc:Choice Requires="wps"><w:p><w:r><w:t>boîte</w:t></w:r></w:p></mc:Choice>' +
        '<mc:Fallback><w:p><w:r><w:t>boîte</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>' +
        `<w:p><w:r><w:t>${KHMER}</w:t></w:r></w:p>`,
    );
    expect(extractOfficeText(bytes)?.pages[0]?.text).toBe(`Article \t494\nCodepénal-1\nboîte\n${KHMER}`);
  });

  it('XLSX: shared, inline, boolean and error cells in their columns; formulas never run, only cached values read', () => {
    const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const bytes = zipSync({
      '_rels/.rels': strToU8(PACKAGE_RELS('xl/workbook.xml')),
      'xl/workbook.xml': strToU8(
        `<workbook ${S} ${R}><sheets><sheet name="Témoins" sheetId="1" r:id="rId1"/><sheet name="ផែនទី" sheetId="2" r:id="rId2"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>' +
          '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
          '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.invalid/" TargetMode="External"/>' +
          '</Relationships>',
      ),
      'xl/sharedStrings.xml': strToU8(
        `<sst ${S}><si><t>Nom</t></si><si><r><t>Sok </t></r><r><t>Chea</t></r><rPh><t>ソク</t></rPh></si></sst>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<worksheet ${S}><sheetData>` +
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>Présent</t></is></c></row>' +
          '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><f>1/0</f><v>#DIV/0!</v></c><c r="C2" t="b"><v>1</v></c>' +
          '<c r="D2" t="str"><f>HYPERLINK("http://example.invalid")</f><v>lien</v></c></row>' +
          '<row r="3"><c r="A3"/></row></sheetData></worksheet>',
      ),
      'xl/worksheets/sheet2.xml': strToU8(
        `<worksheet ${S}><sheetData><row><c t="inlineStr"><is><t>${KHMER}</t></is></c></row></sheetData></worksheet>`,
      ),
      'xl/vbaProject.bin': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]),
    });
    const read = vi.spyOn(ZipParts.prototype, 'read');
    expect(extractOfficeText(bytes)?.pages[0]?.text).toBe(
      `Témoins\nNom\t\tPrésent\nSok Chea\t#DIV/0!\tTRUE\tlien\n\nផែនទី\n${KHMER}`,
    );
    // Macros are never opened.
    expect(read.mock.calls.map(([name]) => name)).not.toContain('xl/vbaProject.bin');
  });

  it('XLSX dates: serial numbers in both date systems, the 1900 leap-year bug, times; which formats are dates', () => {
    expect(serialDate(45855, false)).toBe('2025-07-17');
    expect(serialDate(45855.75, false)).toBe('2025-07-17 18:00:00');
    expect(serialDate(0.5, false)).toBe('12:00:00');
    expect(serialDate(59, false)).toBe('1900-02-28');
    expect(serialDate(60, false)).toBeNull();
    expect(serialDate(61, false)).toBe('1900-03-01');
    expect(serialDate(44393, true)).toBe('2025-07-17');
    expect(serialDate(-1, false)).toBeNull();
    expect(serialDate(3_000_000, false)).toBeNull();
    for (const code of ['yyyy\\-mm\\-dd', 'd/m/yy', '[$-409]h:mm AM/PM', 'mmm yyyy'])
      expect(isDateFormat(code)).toBe(true);
    for (const code of ['General', '0.00', '#,##0 "days"', '[Red]0.0', '0.00E+00'])
      expect(isDateFormat(code)).toBe(false);
  });

  it('ODT: runs of spaces are one, text:s is that many, notes, comments and deleted changes are left out', () => {
    const T = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';
    const O = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"';
    const bytes = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(
        `<office:document-content ${O} ${T}><office:body><office:text>\n  ` +
          '<text:tracked-changes><text:changed-region><text:deletion><text:p>effacé</text:p></text:deletion></text:changed-region></text:tracked-changes>\n' +
          '<text:h>Titre</text:h>\n<text:p>un   deux<text:s text:c="3"/>trois<text:tab/>quatre<text:line-break/>cinq' +
          '<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>note</text:p></text:note-body></text:note>' +
          '<office:annotation><text:p>commentaire</text:p></office:annotation></text:p>\n' +
          `<text:list><text:list-item><text:p>${KHMER}</text:p></text:list-item></text:list>` +
          '</office:text></office:body></office:document-content>',
      ),
    });
    expect(extractOfficeText(bytes)?.pages[0]?.text).toBe(`Titre\nun deux   trois\tquatre\ncinq\n${KHMER}`);
  });
});

describe('office text: hostile files get a clear reason and no text', () => {
  it('a part declared larger than a part may be is refused before it is inflated', () => {
    const bytes = docx('<w:p/>');
    const at = centralEntry(bytes, 'word/document.xml');
    new DataView(bytes.buffer).setUint32(at + 24, MAX_PART_BYTES + 1, true);
    expect(failure(bytes)).toBe('too-large');
  });

  it('a zip bomb that lies about its size stops as soon as it passes the limit', () => {
    // 32 MiB of one repeated paragraph compresses to ~35 KiB; the directory claims 200 bytes.
    const paragraph = '<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>';
    const bomb = docx(paragraph.repeat(Math.ceil((2 * MAX_PART_BYTES) / paragraph.length)));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    new DataView(bomb.buffer).setUint32(centralEntry(bomb, 'word/document.xml') + 24, 200, true);
    const started = performance.now();
    expect(failure(bomb)).toBe('too-large');
    // Stopped at the part's limit, not after inflating it all.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a lie the other way (the part is smaller than declared) is a damaged file', () => {
    const bytes = docx('<w:p><w:r><w:t>texte</w:t></w:r></w:p>');
    const at = centralEntry(bytes, 'word/document.xml');
    const view = new DataView(bytes.buffer);
    view.setUint32(at + 24, view.getUint32(at + 24, true) + 10, true);
    expect(failure(bytes)).toBe('damaged');
  });

  it('parts together may not inflate to more than the total limit', () => {
    const sheets = Math.ceil(MAX_INFLATED_BYTES / (MAX_PART_BYTES - 1024)) + 1;
    const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    // Each sheet just under a part's limit (a comment makes it big and quick to parse).
    const sheet = strToU8(`<worksheet ${S}><!--${'a'.repeat(MAX_PART_BYTES - 2048)}--><sheetData/></worksheet>`);
    const files: Zippable = {
      '_rels/.rels': strToU8(PACKAGE_RELS('xl/workbook.xml')),
      'xl/workbook.xml': strToU8(
        `<workbook ${S} ${R}><sheets>${Array.from({ length: sheets }, (_, index) => `<sheet name="s${index}" r:id="r${index}"/>`).join('')}</sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          Array.from(
            { length: sheets },
            (_, index) =>
              `<Relationship Id="r${index}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="s${index}.xml"/>`,
          ).join('') +
          '</Relationships>',
      ),
    };
    for (let index = 0; index < sheets; index++) files[`xl/s${index}.xml`] = sheet;
    expect(failure(zipSync(files))).toBe('too-large');
  });

  it('an archive of more entries than any office file has is refused', () => {
    const files: Zippable = { '_rels/.rels': strToU8(PACKAGE_RELS('word/document.xml')) };
    for (let index = 0; index < MAX_ZIP_ENTRIES; index++) files[`word/media/${index}.bin`] = new Uint8Array(0);
    expect(failure(zipSync(files))).toBe('too-many-entries');
  });

  it('a DTD (entity expansion, external entities) is refused before any parsing', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      `<w:document ${W}><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>`;
    const external =
      `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
      `<w:document ${W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`;
    for (const xml of [laughs, external]) {
      const bytes = zipSync({
        '_rels/.rels': strToU8(PACKAGE_RELS('word/document.xml')),
        'word/document.xml': strToU8(xml),
      });
      expect(failure(bytes)).toBe('doctype');
    }
  });

  it('damaged archives and XML: cut short, two entries of one name, tags that do not match, encrypted parts', () => {
    const whole = fixture('office-note.docx');
    expect(failure(whole.subarray(0, whole.length - 30))).toBe('damaged');
    expect(failure(docx('<w:p><w:r><w:t>ouvert</w:p>'))).toBe('damaged');
    const twice = docx('<w:p/>', { 'word/document.xmm': strToU8('<x/>') });
    const at = centralEntry(twice, 'word/document.xmm');
    twice[at + 46 + 'word/document.xm'.length] = 'l'.charCodeAt(0);
    expect(failure(twice)).toBe('damaged');
    const encrypted = docx('<w:p/>');
    const flags = centralEntry(encrypted, 'word/document.xml') + 8;
    encrypted[flags] = encrypted[flags]! | 1;
    expect(failure(encrypted)).toBe('encrypted');
  });

  it('text that multiplies as it is read stops at the limit, not when memory runs out', () => {
    const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    // Each row's one cell sits in the last column: its line would be 16,383 tabs and the cell.
    const farCells = zipSync({
      '_rels/.rels': strToU8(PACKAGE_RELS('xl/workbook.xml')),
      'xl/workbook.xml': strToU8(
        `<workbook ${S} ${R}><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '</Relationships>',
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<worksheet ${S}><sheetData>${'<row><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'.repeat(200)}</sheetData></worksheet>`,
      ),
    });
    expect(failure(farCells)).toBe('too-large');
    // A space count of 1,000 per 23 bytes of XML.
    const T = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';
    const O = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"';
    const spaces = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(
        `<office:document-content ${O} ${T}><office:body><office:text><text:p>` +
          '<text:s text:c="1000"/>'.repeat(2100) +
          '</text:p></office:text></office:body></office:document-content>',
      ),
    });
    expect(failure(spaces)).toBe('too-large');
    // A part of empty elements: each one an object in memory.
    const empties = docx('<w:p/>'.repeat(1_000_001));
    expect(failure(empties)).toBe('too-large');
  });

  it('a text longer than a stored page may be is refused', () => {
    const run = `<w:p><w:r><w:t>${'a'.repeat(1000)}</w:t></w:r></w:p>`;
    const long = docx(run.repeat(Math.ceil(MAX_OFFICE_TEXT_CHARS / 1000) + 1));
    expect(failure(long)).toBe('too-large');
  });
});
