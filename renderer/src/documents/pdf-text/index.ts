/** A PDF page's text as pdf.js's text items give it, made readable (Khmer in written order, words kept apart). */
export { itemRanges, pageOffsetOf, pageTextOf, type PageText, type PageTextItem } from './page-text';
export { isKhmerInVisualOrder, readableKhmer, type ReadableKhmer } from './khmer-order';
