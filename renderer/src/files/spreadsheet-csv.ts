import Papa from 'papaparse';

type Cell = string | number | null;

/**
 * CSV for spreadsheets, every cell quoted. Cells that a spreadsheet would run
 * as a formula (starting with = + - @, tab or CR) are prefixed with an
 * apostrophe: text from hostile documents must not become formulas on a
 * reviewer's machine. Numbers stay numbers.
 */
export function spreadsheetCsv(rows: readonly Record<string, Cell>[], columns?: readonly string[]): string {
  const safe = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ''),
      ]),
    ),
  );
  const options = { quotes: true, newline: '\r\n' };
  if (!columns) return Papa.unparse(safe, options);
  return Papa.unparse(
    { fields: [...columns], data: safe.map((row) => columns.map((column) => row[column] ?? '')) },
    options,
  );
}
