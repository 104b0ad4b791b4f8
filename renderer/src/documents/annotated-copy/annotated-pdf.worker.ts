import { expose, transfer } from 'comlink';
import khmerBoldUrl from '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff?url';
import khmerRegularUrl from '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff?url';
import type { KhmerFontFiles } from './page-text';
import { writeAnnotatedPdf, type AnnotatedCopyInput } from './write-annotated-pdf';

/** The Khmer font files the interface bundles (its WOFF 1.0 versions), fetched when a summary has Khmer text. */
async function loadKhmerFonts(): Promise<KhmerFontFiles> {
  const load = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The Khmer font did not load (${response.status}).`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [regular, bold] = await Promise.all([load(khmerRegularUrl), load(khmerBoldUrl)]);
  return { regular, bold };
}

/** Writing a copy parses the whole PDF: off the page's thread, so a big PDF does not freeze the UI. No keys here. */
const api = {
  async write(input: AnnotatedCopyInput) {
    const result = await writeAnnotatedPdf(input, loadKhmerFonts);
    return result.ok ? transfer(result, [result.bytes.buffer]) : result;
  },
};

export type AnnotatedPdfWorkerApi = typeof api;

expose(api);
