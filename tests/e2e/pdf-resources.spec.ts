import type { Locator, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, newCaseWith } from './vault-helpers';

/**
 * pdf.js's character maps and standard fonts, loaded the way the desktop app
 * loads them. pdf.js lets its worker fetch them only from http(s) URLs; under
 * evidence-vault:// the worker asks the main thread for each file instead.
 * The app forces that path everywhere (useWorkerFetch: false), so here, on
 * http://, the files must be fetched by the page's main thread, not the
 * worker. The two fixtures (tests/fixtures/make-font-pdfs.mjs) cannot be
 * drawn or read without them: a CJK font that is not embedded, encoded with a
 * predefined CMap, and Helvetica, not embedded.
 */

const CJK_PDF = 'cjk-predefined-cmap.pdf';
const HELVETICA_PDF = 'standard-font-helvetica.pdf';

interface ResourceWatch {
  /** pdf.js resources (path under /pdfjs/) and the status they were answered with. */
  finished: Map<string, number>;
  failed: string[];
}

function watchResources(page: Page): ResourceWatch {
  const watch: ResourceWatch = { finished: new Map(), failed: [] };
  const pathOf = (request: Request) => new URL(request.url()).pathname;
  page.on('requestfinished', (request) => {
    void request.response().then((response) => {
      if (pathOf(request).startsWith('/pdfjs/')) watch.finished.set(pathOf(request), response?.status() ?? 0);
    });
  });
  page.on('requestfailed', (request) => watch.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  return watch;
}

/** URLs the page's main thread asked for with fetch() or XMLHttpRequest (a worker's fetch is not seen here). */
async function recordMainThreadLoads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const loads: string[] = [];
    (window as unknown as { __mainThreadLoads: string[] }).__mainThreadLoads = loads;
    const originalFetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      loads.push(new Request(input).url);
      return originalFetch(input, init);
    };
    // What pdf.js uses on the main thread for a URL that is not http(s), e.g. under evidence-vault://.
    const originalOpen = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'open')?.value as (
      this: XMLHttpRequest,
      ...args: unknown[]
    ) => void;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      loads.push(new URL(String(args[1]), document.baseURI).href);
      originalOpen.apply(this, args);
    };
  });
}

async function mainThreadLoads(page: Page): Promise<string[]> {
  const urls = await page.evaluate(() => (window as unknown as { __mainThreadLoads: string[] }).__mainThreadLoads);
  return urls.map((url) => new URL(url).pathname);
}

/** Opens `name` and waits for page 1's canvas and text layer. */
async function openFirstPage(page: Page, name: string): Promise<Locator> {
  // From the case page: leave the reader if a document is open.
  const back = page.getByRole('button', { name: 'Back', exact: true });
  if (await back.isVisible()) await back.click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  const first = page
    .getByRole('region', { name: `Viewing ${name}` })
    .getByRole('region', { name: 'Page 1', exact: true });
  await expect(first).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await expect(first).toHaveAttribute('data-text-rendered', 'true');
  return first;
}

/** Pixels of the page's canvas that are clearly not white. */
async function inkedPixels(pageRegion: Locator): Promise<number> {
  return pageRegion.locator('canvas.pdf-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('The page canvas has no 2D context.');
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let index = 0; index < data.length; index += 4)
      if (data[index]! < 200 || data[index + 1]! < 200 || data[index + 2]! < 200) inked++;
    return inked;
  });
}

test('a CJK PDF with a predefined CMap and a PDF in a standard font render through the main-thread resource path', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await recordMainThreadLoads(page);
  const resources = watchResources(page);
  await createVault(page);
  await newCaseWith(page, 'Font resources case', [CJK_PDF, HELVETICA_PDF]);

  // CJK: the codes are read with UniJIS-UCS2-H and mapped to Unicode with Adobe-Japan1-UCS2.
  const cjk = await openFirstPage(page, CJK_PDF);
  expect(await inkedPixels(cjk)).toBeGreaterThan(200);
  await expect(cjk.locator('.textLayer')).toContainText('公判記録');
  await expect(cjk.locator('.textLayer')).toContainText('証人の陳述');

  // Helvetica, not embedded: drawn with pdf.js's LiberationSans.
  const latin = await openFirstPage(page, HELVETICA_PDF);
  expect(await inkedPixels(latin)).toBeGreaterThan(200);
  await expect(latin.locator('.textLayer')).toContainText('The witness described the arrest in detail.');

  const expected = [
    '/pdfjs/cmaps/UniJIS-UCS2-H.bcmap',
    '/pdfjs/cmaps/Adobe-Japan1-UCS2.bcmap',
    '/pdfjs/standard_fonts/LiberationSans-Regular.ttf',
  ];
  await expect.poll(() => expected.map((path) => resources.finished.get(path))).toEqual(expected.map(() => 200));
  // Fetched by the page's main thread, as under evidence-vault://, not by pdf.js's worker.
  expect(await mainThreadLoads(page)).toEqual(expect.arrayContaining(expected));
  expect([...resources.finished].filter(([, status]) => status !== 200)).toEqual([]);
  expect(resources.failed).toEqual([]);
});
