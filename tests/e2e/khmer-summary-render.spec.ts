import { readFileSync } from 'node:fs';
import type * as PdfJs from 'pdfjs-dist';
import { expect, test } from './fixtures';
import { writeAnnotatedPdf } from '../../renderer/src/documents/annotated-copy/write-annotated-pdf';
import { loadBundledKhmerFonts } from '../support/khmer-fonts';

/**
 * Khmer on the annotated copy's summary page looks as Chromium itself shapes it: each word of the page, rendered by
 * pdf.js, is compared pixel by pixel with the same word drawn by Chromium in the same font. Words with coeng
 * subscripts, pre-base and split vowels and stacked marks; drawn without the shaper's mark offsets they score about
 * 0.75–0.9 here, and without their subscripts 0.24–0.69 (the control below).
 */
const WORDS = ['ក្រមព្រហ្មទណ្ឌ', 'ស្រី', 'កម្ពុជា', 'ស្ត្រី', 'ប៉ុន្តែ', 'សៀវភៅ', 'ព្រះរាជាណាចក្រកម្ពុជា', 'អ្នកស្រីទោសកើត', 'ញ្ញ៉ុំគ្រប់'];
const TITLE = 'ច្បាប់ចម្លងមានសម្គាល់';

const node = (path: string) => readFileSync(new URL(`../../node_modules/${path}`, import.meta.url));
const KHMER_FONT = '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer';

test('Khmer on the summary page renders as Chromium shapes it, word for word', async ({ page, baseURL }) => {
  const original = new Uint8Array(readFileSync(new URL('../fixtures/khmer-hearing-note.pdf', import.meta.url)));
  const copy = await writeAnnotatedPdf(
    {
      original,
      annotations: [],
      summary: [{ style: 'title', text: TITLE }, ...WORDS.map((text) => ({ style: 'body' as const, text }))],
      summaryNote: '',
      author: 'Evidence Vault',
    },
    loadBundledKhmerFonts,
  );
  if (!copy.ok) throw new Error(copy.reason);

  // A page of its own on the app's origin: pdf.js, the two font files and the copy.
  const files: Record<string, [Buffer | Uint8Array | string, string]> = {
    '/__khmer-render/': ['<!doctype html><meta charset="utf-8"><title>Khmer render</title>', 'text/html'],
    '/__khmer-render/pdf.mjs': [node('pdfjs-dist/build/pdf.mjs'), 'text/javascript'],
    '/__khmer-render/pdf.worker.mjs': [node('pdfjs-dist/build/pdf.worker.mjs'), 'text/javascript'],
    '/__khmer-render/regular.woff': [node(`${KHMER_FONT}-400-normal.woff`), 'font/woff'],
    '/__khmer-render/bold.woff': [node(`${KHMER_FONT}-700-normal.woff`), 'font/woff'],
    '/__khmer-render/copy.pdf': [copy.bytes, 'application/pdf'],
  };
  await page.route('**/__khmer-render/**', (route) => {
    const [body, contentType] = files[new URL(route.request().url()).pathname]!;
    return route.fulfill({ body: Buffer.from(body), contentType });
  });
  await page.goto(`${baseURL}/__khmer-render/`);

  const words = await page.evaluate(async () => {
    // pdf.js's own build, as the route above serves it (the app's is bundled under a hashed name).
    const pdfjsUrl: string = '/__khmer-render/pdf.mjs';
    const pdfjs = (await import(pdfjsUrl)) as typeof PdfJs;
    pdfjs.GlobalWorkerOptions.workerSrc = '/__khmer-render/pdf.worker.mjs';
    for (const face of [new FontFace('KhmerRegular', 'url(regular.woff)'), new FontFace('KhmerBold', 'url(bold.woff)')])
      document.fonts.add(await face.load());
    const data = new Uint8Array(await (await fetch('copy.pdf')).arrayBuffer());
    const pdf = await pdfjs.getDocument({ data }).promise;
    const summary = await pdf.getPage(pdf.numPages);
    // Large, so that where a mark sits counts for more than how an edge pixel is smoothed.
    const viewport = summary.getViewport({ scale: 8 });
    const canvas = (width: number, height: number) => {
      const made = document.createElement('canvas');
      [made.width, made.height] = [width, height];
      const context = made.getContext('2d', { willReadFrequently: true })!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      return { made, context };
    };
    const rendered = canvas(viewport.width, viewport.height);
    await summary.render({ canvas: rendered.made, canvasContext: rendered.context, viewport }).promise;

    const items = (await summary.getTextContent()).items.flatMap((item) =>
      'str' in item && item.str !== '' ? [item] : [],
    );
    return items.map((item) => {
      const transform = item.transform as number[];
      const size = transform[0]! * viewport.scale;
      const [x, y] = viewport.convertToViewportPoint(transform[4]!, transform[5]!) as [number, number];
      const box = [
        Math.floor(x - 8),
        Math.floor(y - size * 1.3),
        Math.ceil(item.width * viewport.scale + 16),
        Math.ceil(size * 2),
      ] as const;
      const ink = (context: CanvasRenderingContext2D, left: number, top: number) =>
        Array.from(
          context.getImageData(left, top, box[2], box[3]).data.filter((_, index) => index % 4 === 0),
          (red) => red < 128,
        );
      // Chromium's own drawing of the text, on a canvas the size of the word's box.
      const drawn = (text: string) => {
        const { context } = canvas(box[2], box[3]);
        context.fillStyle = '#000';
        context.font = `${size}px ${transform[0]! > 12 ? 'KhmerBold' : 'KhmerRegular'}`;
        context.fillText(text, x - box[0], y - box[1]);
        return ink(context, 0, 0);
      };
      const overlap = (a: boolean[], b: boolean[]) =>
        a.filter((on, index) => on && b[index]).length / a.filter((on, index) => on || b[index]).length;
      const pdfInk = ink(rendered.context, box[0], box[1]);
      const chromiumInk = drawn(item.str);
      return {
        text: item.str,
        similarity: overlap(pdfInk, chromiumInk),
        withoutSubscripts: overlap(chromiumInk, drawn(item.str.replaceAll('\u17D2', ''))),
      };
    });
  });

  // pdf.js's text is the words themselves (ToUnicode, in logical order), one per line.
  expect(words.map((word) => word.text)).toEqual([TITLE, ...WORDS]);
  for (const word of words) {
    expect(word.similarity, word.text).toBeGreaterThan(0.94);
    if (word.text.includes('\u17D2')) expect(word.withoutSubscripts, word.text).toBeLessThan(0.8);
  }
});
