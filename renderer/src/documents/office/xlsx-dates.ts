import { childElements, isNamed, type XmlElement } from './xml';

/**
 * Spreadsheets store a date as a number of days (a serial number) and show it as a date through the cell's number
 * format: the text of a date cell is that date, written here as ISO 8601 so it reads (and is searched) the same in
 * every language.
 */

/** Built-in number formats that show dates or times (ECMA-376 Part 1, §18.8.30). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);
/** 9999-12-31, the last day a spreadsheet counts to. */
const LAST_SERIAL = 2_958_465;
const DAY_MS = 86_400_000;

/** Whether a custom format code shows a date or time: d, m, y, h or s outside quoted text, escapes and brackets. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare.replace(/General/gi, ''));
}

/** For each cell style (a cell's s attribute is its index): whether it shows dates. */
export function dateStyles(styles: XmlElement | null, namespaces: readonly string[]): boolean[] {
  if (!styles) return [];
  const custom = new Map<string, string>();
  const cellFormats: string[] = [];
  for (const section of childElements(styles)) {
    if (isNamed(section, namespaces, 'numFmts'))
      for (const format of childElements(section))
        custom.set(format.attributes.get('numFmtId') ?? '', format.attributes.get('formatCode') ?? '');
    if (isNamed(section, namespaces, 'cellXfs'))
      for (const xf of childElements(section)) cellFormats.push(xf.attributes.get('numFmtId') ?? '0');
  }
  return cellFormats.map((id) => {
    const code = custom.get(id);
    return code === undefined ? BUILT_IN_DATE_FORMATS.has(Number(id)) : isDateFormat(code);
  });
}

/** A serial date as ISO 8601 (a date, a date and time, or a time of day); null when it is no real day. */
export function serialDate(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > LAST_SERIAL) return null;
  // The 1900 system counts a 29 February 1900 that never was (serial 60): days before it start a day later.
  if (!date1904 && serial >= 60 && serial < 61) return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const iso = new Date(epoch + Math.round((serial * DAY_MS) / 1000) * 1000).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  if (serial < 1) return time;
  return time === '00:00:00' ? day : `${day} ${time}`;
}
