import type { Rect } from '../../vault';
import type { RenderedPage } from './PdfPage';

/** A place in a page's text: 0-based page, UTF-16 offset into the page text (pdf-text/page-text.ts). */
export interface TextPoint {
  page: number;
  unit: number;
}

export interface PdfTextSelection {
  from: TextPoint;
  to: TextPoint;
  /** Rectangles of the selection per 0-based page, in PDF user space. */
  rects: Map<number, Rect[]>;
}

/** The text item (pdf.js text div) a DOM position is in, and the offset inside it. */
function pointInLayer(page: RenderedPage, node: Node, offset: number): { item: number; offset: number } | null {
  const container = page.element.querySelector('.textLayer');
  if (!container || !container.contains(node)) return null;
  const divs = page.layer.textDivs;
  if (node === container) {
    // Between items: the start of the next one, or the end of the last.
    for (let child = offset; child < container.childNodes.length; child++) {
      const index = divs.indexOf(container.childNodes[child] as HTMLElement);
      if (index !== -1) return { item: index, offset: 0 };
    }
    const last = divs.length - 1;
    return last >= 0 ? { item: last, offset: page.layer.textContentItemsStr[last]?.length ?? 0 } : null;
  }
  let element: Node | null = node;
  while (element && element.parentNode !== container) element = element.parentNode;
  const index = element ? divs.indexOf(element as HTMLElement) : -1;
  if (index === -1) return null;
  const range = window.document.createRange();
  range.setStart(divs[index]!, 0);
  range.setEnd(node, offset);
  return { item: index, offset: range.toString().length };
}

/**
 * The current selection as text points and PDF rectangles, or null when it is
 * empty or not in the pages' text. `pageOffset(page, item, offset)` gives where
 * an offset in a text item's string is in that page's text (null while the page's text is not read).
 */
export function readPdfSelection(
  rendered: ReadonlyMap<number, RenderedPage>,
  pageOffset: (page: number, item: number, offset: number) => number | null,
): PdfTextSelection | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const locate = (node: Node, offset: number): TextPoint | null => {
    for (const [pageNumber, page] of rendered) {
      const point = pointInLayer(page, node, offset);
      const unit = point ? pageOffset(pageNumber - 1, point.item, point.offset) : null;
      if (unit !== null) return { page: pageNumber - 1, unit };
    }
    return null;
  };
  const from = locate(range.startContainer, range.startOffset);
  const to = locate(range.endContainer, range.endOffset);
  if (!from || !to) return null;
  const rects = new Map<number, Rect[]>();
  for (const client of range.getClientRects()) {
    if (client.width === 0 || client.height === 0) continue;
    // Only the selected text's boxes: an element wholly inside the range (a page,
    // the text layer, a whole span) also reports its own box.
    const pageBox = [...rendered.values()][0]?.element.getBoundingClientRect();
    if (pageBox && client.height > pageBox.height / 4) continue;
    for (const [pageNumber, page] of rendered) {
      const box = page.element.getBoundingClientRect();
      const centreX = client.left + client.width / 2;
      const centreY = client.top + client.height / 2;
      if (centreX < box.left || centreX > box.right || centreY < box.top || centreY > box.bottom) continue;
      const [x1, y1] = page.viewport.convertToPdfPoint(client.left - box.left, client.top - box.top) as [
        number,
        number,
      ];
      const [x2, y2] = page.viewport.convertToPdfPoint(client.right - box.left, client.bottom - box.top) as [
        number,
        number,
      ];
      const list = rects.get(pageNumber - 1) ?? [];
      list.push({ x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) });
      rects.set(pageNumber - 1, list);
    }
  }
  // Bounded like the stored record (a dense page can report thousands of boxes).
  for (const [page, list] of rects) rects.set(page, list.slice(0, 500));
  return { from, to, rects };
}

/** A rectangle dragged on a page (client coordinates) in PDF user space. */
export function clientRectToPdf(page: RenderedPage, x1: number, y1: number, x2: number, y2: number): Rect {
  const box = page.element.getBoundingClientRect();
  const [ax, ay] = page.viewport.convertToPdfPoint(x1 - box.left, y1 - box.top) as [number, number];
  const [bx, by] = page.viewport.convertToPdfPoint(x2 - box.left, y2 - box.top) as [number, number];
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}
