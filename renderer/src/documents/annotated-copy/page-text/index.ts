export { LineTypesetter, hasKhmer } from './typesetter';
export { ShapedFont } from './shaped-font';
export { wrapLine } from './line-breaks';

/** The app's bundled Khmer font (Noto Sans Khmer, SIL Open Font License 1.1), as WOFF 1.0 files. */
export interface KhmerFontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}
