// Files the app writes for people to open elsewhere (plaintext, outside the vault).
export { spreadsheetCsv } from './spreadsheet-csv';
