/** The text of marked-content spans that pdf.js does not give (/ActualText), read apart and matched to its items. */
export { alignActualText, type ActualTextSpan, type MarkedContentItem } from './align';
export { readPdfMarksIsolated } from './marks-in-worker';
export type { MarkEvent } from './content-marks';
export type { PdfMarks } from './read-marks';
