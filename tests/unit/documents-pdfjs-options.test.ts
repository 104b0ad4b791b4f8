import { describe, expect, it, vi } from 'vitest';

// pdfjs.ts resolves its asset folder against the page's address at load time.
vi.hoisted(() => {
  vi.stubGlobal('window', { location: { href: 'evidence-vault://app/index.html' } });
});
// The options are plain data: pdf.js itself need not load in Node.
vi.mock('pdfjs-dist', () => ({ GlobalWorkerOptions: {} }));
vi.mock('pdfjs-dist/build/pdf.worker.min.mjs?url', () => ({ default: '/assets/pdf.worker.min.mjs' }));

const { pdfDocumentOptions } = await import('../../renderer/src/documents/viewers/pdfjs');

describe('pdfDocumentOptions', () => {
  const options = pdfDocumentOptions(new Uint8Array([1, 2, 3]));

  it('always fetches character maps, standard fonts and wasm through the main thread, as Electron must', () => {
    // pdf.js's own default depends on the page's scheme (worker fetch for
    // http(s) only): the browser preview and the e2e tests would otherwise
    // take a path the desktop app never takes.
    expect(options.useWorkerFetch).toBe(false);
  });

  it('serves every pdf.js resource from the app itself', () => {
    for (const url of [options.cMapUrl, options.standardFontDataUrl, options.wasmUrl, options.iccUrl])
      expect(url.startsWith('evidence-vault://app/pdfjs/')).toBe(true);
    expect(options.cMapPacked).toBe(true);
    expect(options.useSystemFonts).toBe(false);
  });

  it('keeps the hostile-input settings', () => {
    expect(options.enableXfa).toBe(false);
    expect(options.maxImageSize).toBe(100_000_000);
  });
});
