import { readFileSync } from 'node:fs';
import type { KhmerFontFiles } from '../../renderer/src/documents/annotated-copy/page-text';

const file = (weight: number) =>
  new Uint8Array(
    readFileSync(
      new URL(
        `../../node_modules/@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-${weight}-normal.woff`,
        import.meta.url,
      ),
    ),
  );

/** The Khmer font files the app bundles, as the annotated-copy worker fetches them. */
export const loadBundledKhmerFonts = (): Promise<KhmerFontFiles> =>
  Promise.resolve({ regular: file(400), bold: file(700) });
