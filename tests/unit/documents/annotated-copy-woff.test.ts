/** The bundled Khmer font's WOFF file, unwrapped for HarfBuzz and the subsetter. */
import { describe, expect, it } from 'vitest';
import { woffToSfnt } from '../../../renderer/src/documents/annotated-copy/page-text/woff';
import { loadBundledKhmerFonts } from '../../support/khmer-fonts';

describe('unwrapping a WOFF font', () => {
  it('gives the TrueType file inside, every table where its directory says', async () => {
    const { regular } = await loadBundledKhmerFonts();
    const sfnt = woffToSfnt(regular);
    const view = new DataView(sfnt.buffer);
    expect(view.getUint32(0)).toBe(0x00010000);
    const count = view.getUint16(4);
    const tags = Array.from({ length: count }, (_, index) => {
      const record = 12 + index * 16;
      const [offset, length] = [view.getUint32(record + 8), view.getUint32(record + 12)];
      expect(offset % 4).toBe(0);
      expect(offset + length).toBeLessThanOrEqual(sfnt.byteLength);
      return String.fromCharCode(...sfnt.subarray(record, record + 4));
    });
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'GSUB', 'GPOS', 'head']));
    // head's magic number, 0x5F0F3CF5, at offset 12 of the table: the table came out inflated and in place.
    const head = 12 + tags.indexOf('head') * 16;
    expect(view.getUint32(view.getUint32(head + 8) + 12)).toBe(0x5f0f3cf5);
  });

  it('refuses a file that is not WOFF, or cut short', async () => {
    const { regular } = await loadBundledKhmerFonts();
    expect(() => woffToSfnt(new Uint8Array(100))).toThrow('Not a WOFF 1.0 font file.');
    expect(() => woffToSfnt(regular.subarray(0, 60))).toThrow(/cut short/u);
    expect(() => woffToSfnt(regular.subarray(0, 2000))).toThrow(/past the end/u);
  });
});
