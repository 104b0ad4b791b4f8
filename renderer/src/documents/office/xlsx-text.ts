import { TextBudget } from './text-budget';
import { relationshipsOf } from './opc';
import { dateStyles, serialDate } from './xlsx-dates';
import { childElements, descendants, isNamed, ownText, parseXmlPart, type XmlElement } from './xml';
import type { ZipParts } from './zip-parts';

/** SpreadsheetML, transitional and strict. */
const S = [
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  'http://purl.oclc.org/ooxml/spreadsheetml/main',
];
const R = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
];
/** Columns a row is laid out to: XFD, the last column Excel has. */
const MAX_COLUMNS = 16_384;

/** The text of a rich or plain string item (<si>, <is>): its runs' text, phonetic guides (rPh) left out. */
function stringItemText(item: XmlElement): string {
  let text = '';
  const walk = (element: XmlElement) => {
    for (const child of childElements(element)) {
      if (isNamed(child, S, 'rPh')) continue;
      if (isNamed(child, S, 't')) text += ownText(child);
      else walk(child);
    }
  };
  walk(item);
  return text;
}

/** 0-based column of a cell reference such as "C7"; null when it has none. */
function columnOf(reference: string | null): number | null {
  const letters = /^([A-Z]{1,3})[0-9]+$/.exec(reference ?? '')?.[1];
  if (!letters) return null;
  let column = 0;
  for (const letter of letters) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column - 1;
}

/** What a cell shows as text: its cached value. A formula is never evaluated, only its stored result is read. */
interface SheetContext {
  shared: readonly string[];
  /** Per cell style: whether it shows dates. */
  dates: readonly boolean[];
  date1904: boolean;
}

function cellText(cell: XmlElement, { shared, dates, date1904 }: SheetContext): string {
  const type = cell.attributes.get('t') ?? 'n';
  if (type === 'inlineStr') {
    const inline = childElements(cell).find((child) => isNamed(child, S, 'is'));
    return inline ? stringItemText(inline) : '';
  }
  const valueElement = childElements(cell).find((child) => isNamed(child, S, 'v'));
  const value = valueElement ? ownText(valueElement) : '';
  if (type === 's') return shared[Number(value)] ?? '';
  if (type === 'b') return value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
  if (type === 'n' && value !== '' && dates[Number(cell.attributes.get('s') ?? '0')] === true)
    return serialDate(Number(value), date1904) ?? value;
  // n (numbers, and dates as serial numbers), str (a formula's text result), e (an error such as #DIV/0!).
  return value;
}

/**
 * The text of an XLSX workbook (mainPart: xl/workbook.xml): each worksheet under its name, one line per row,
 * cells separated by tabs in their columns. Numbers are shown as stored, dates (by their cell's format) as ISO 8601; charts,
 * comments and formulas themselves are not read, and nothing is ever calculated.
 */
export function xlsxText(zip: ZipParts, mainPart: string): string {
  const workbook = parseXmlPart(zip.readText(mainPart) ?? '');
  const relationships = relationshipsOf(zip, mainPart);
  const sharedPart = [...relationships.values()].find((relationship) => relationship.type === 'sharedStrings');
  const sharedXml = sharedPart ? zip.readText(sharedPart.target) : null;
  const shared = sharedXml === null ? [] : descendants(parseXmlPart(sharedXml), S, 'si').map(stringItemText);
  const stylesPart = [...relationships.values()].find((relationship) => relationship.type === 'styles');
  const stylesXml = stylesPart ? zip.readText(stylesPart.target) : null;
  const properties = descendants(workbook, S, 'workbookPr')[0]?.attributes.get('date1904');
  const context: SheetContext = {
    shared,
    dates: dateStyles(stylesXml === null ? null : parseXmlPart(stylesXml), S),
    date1904: properties === '1' || properties === 'true',
  };
  const sheets: string[] = [];
  const budget = new TextBudget();
  for (const sheet of descendants(workbook, S, 'sheet')) {
    const id = R.map((namespace) => sheet.attributes.get(`{${namespace}}id`)).find((value) => value) ?? '';
    const relationship = relationships.get(id);
    if (relationship?.type !== 'worksheet') continue;
    const xml = zip.readText(relationship.target);
    if (xml === null) continue;
    const rows: string[] = [];
    for (const row of descendants(parseXmlPart(xml), S, 'row')) {
      const cells: string[] = [];
      for (const cell of childElements(row).filter((child) => isNamed(child, S, 'c'))) {
        const column = Math.min(columnOf(cell.attributes.get('r') ?? null) ?? cells.length, MAX_COLUMNS);
        // Each empty cell before this one is a tab in the row's line; the cell's text is its own length.
        budget.take(Math.max(0, column - cells.length) + 1);
        while (cells.length < column) cells.push('');
        const text = cellText(cell, context);
        budget.take(text.length);
        cells[column] = text;
      }
      while (cells.length > 0 && cells.at(-1) === '') cells.pop();
      if (cells.length > 0) rows.push(cells.join('\t'));
    }
    sheets.push([sheet.attributes.get('name') ?? '', ...rows].join('\n'));
  }
  return sheets.join('\n\n');
}
