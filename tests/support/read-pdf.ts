/**
 * A PDF read back as a reader sees it, with pdf.js's legacy build in Node: each page's annotations (the fields the
 * annotated-copy tests check) and its text.
 */

/** The part of pdf.js's annotation data the tests read. */
export interface ReadAnnotation {
  subtype: string;
  rect: number[];
  quadPoints: ArrayLike<number> | null;
  contentsObj: { str: string };
  titleObj: { str: string };
}

/** A run of text and its box in PDF user space (baseline at `y`). */
export interface ReadTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadPage {
  annotations: ReadAnnotation[];
  items: ReadTextItem[];
  text: string;
}

export async function readPdfPages(bytes: Uint8Array): Promise<ReadPage[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: bytes.slice(), verbosity: 0 });
  const document = await task.promise;
  const pages: ReadPage[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const items = (await page.getTextContent()).items.flatMap((item) =>
      'str' in item
        ? [
            {
              str: item.str,
              x: item.transform[4] as number,
              y: item.transform[5] as number,
              width: item.width,
              height: item.height,
            },
          ]
        : [],
    );
    const text = items.map((item) => item.str).join(' ');
    pages.push({ annotations: (await page.getAnnotations()) as ReadAnnotation[], items, text });
  }
  await task.destroy();
  return pages;
}
