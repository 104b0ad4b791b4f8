import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageViewport } from 'pdfjs-dist/types/src/display/page_viewport';
import type { Rect } from '../../vault';
import { pdfjs, type PdfDocument } from './pdfjs';

export const CSS_UNITS = 96 / 72;

export interface PageSize {
  width: number;
  height: number;
}

/** Part of a mark (find match, highlight) inside one text item; offsets are UTF-16 units in the item's string. */
export interface ItemMark {
  item: number;
  start: number;
  end: number;
  className: string;
  annotationId?: string;
}

/** A region drawn on the page, in PDF user space. */
export interface PageRegion {
  id: string;
  className: string;
  rect: Rect;
  label: string;
}

type TextLayer = InstanceType<typeof pdfjs.TextLayer>;

/** Wraps the marked parts of the text layer's items in <mark> (overlaps merged); restores items marked before. */
function applyMarks(layer: TextLayer, marks: readonly ItemMark[], previouslyMarked: Set<number>): Set<number> {
  const divs = layer.textDivs;
  const strings = layer.textContentItemsStr;
  for (const index of previouslyMarked) {
    const div = divs[index];
    if (div) div.textContent = strings[index] ?? '';
  }
  const byItem = new Map<number, ItemMark[]>();
  for (const mark of marks) byItem.set(mark.item, [...(byItem.get(mark.item) ?? []), mark]);
  for (const [index, itemMarks] of byItem) {
    const div = divs[index];
    const text = strings[index];
    if (!div || text === undefined) continue;
    const cuts = [...new Set([0, text.length, ...itemMarks.flatMap((mark) => [mark.start, mark.end])])]
      .filter((cut) => cut >= 0 && cut <= text.length)
      .sort((a, b) => a - b);
    const parts: Node[] = [];
    for (let cut = 0; cut < cuts.length - 1; cut++) {
      const [from, to] = [cuts[cut]!, cuts[cut + 1]!];
      const covering = itemMarks.filter((mark) => mark.start <= from && to <= mark.end);
      if (covering.length === 0) {
        parts.push(window.document.createTextNode(text.slice(from, to)));
        continue;
      }
      const element = window.document.createElement('mark');
      element.className = covering.map((mark) => mark.className).join(' ');
      const annotationId = covering.find((mark) => mark.annotationId)?.annotationId;
      if (annotationId) element.dataset.annotationId = annotationId;
      element.textContent = text.slice(from, to);
      parts.push(element);
    }
    div.replaceChildren(...parts);
  }
  return new Set(byItem.keys());
}

/** What the viewer needs to map selections and drawings on a page to PDF coordinates. */
export interface RenderedPage {
  layer: TextLayer;
  viewport: PageViewport;
  element: HTMLElement;
}

/** One page: a placeholder of the right size until it is near the viewport, then canvas and text layer. */
export function PdfPage({
  document,
  pageNumber,
  scale,
  rotation,
  size,
  visible,
  marks,
  regions,
  onRendered,
}: {
  document: PdfDocument;
  pageNumber: number;
  scale: number;
  rotation: number;
  size: PageSize;
  visible: boolean;
  marks: readonly ItemMark[];
  regions: readonly PageRegion[];
  /** The page's text layer is ready (or gone: null). */
  onRendered: (pageNumber: number, page: RenderedPage | null) => void;
}) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const layerRef = useRef<TextLayer | null>(null);
  const markedRef = useRef<Set<number>>(new Set());
  const [rendered, setRendered] = useState(false);
  const [textRendered, setTextRendered] = useState(false);
  const [viewport, setViewport] = useState<PageViewport | null>(null);
  const pageRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let renderTask: ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['render']> | undefined;
    let textLayer: TextLayer | undefined;
    void (async () => {
      const page = await document.getPage(pageNumber);
      if (cancelled || !canvasRef.current || !textRef.current) return;
      const viewport = page.getViewport({ scale: scale * CSS_UNITS, rotation });
      setViewport(viewport);
      const canvas = canvasRef.current;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      renderTask = page.render({
        canvas,
        viewport,
        transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
      });
      // Paint first; the selectable text layer follows.
      await renderTask.promise;
      if (cancelled || !textRef.current) return;
      setRendered(true);
      textRef.current.replaceChildren();
      textLayer = new pdfjs.TextLayer({
        textContentSource: page.streamTextContent(),
        container: textRef.current,
        viewport,
      });
      await textLayer.render();
      if (cancelled) return;
      layerRef.current = textLayer;
      markedRef.current = new Set();
      setTextRendered(true);
      if (pageRef.current) onRendered(pageNumber, { layer: textLayer, viewport, element: pageRef.current });
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      renderTask?.cancel();
      textLayer?.cancel();
      if (layerRef.current) onRendered(pageNumber, null);
      layerRef.current = null;
      setRendered(false);
      setTextRendered(false);
    };
  }, [document, pageNumber, scale, rotation, visible, onRendered]);

  useEffect(() => {
    const layer = layerRef.current;
    if (!textRendered || !layer) return;
    markedRef.current = applyMarks(layer, marks, markedRef.current);
    textRef.current?.querySelector('mark.current')?.scrollIntoView({ block: 'center' });
  }, [marks, textRendered]);

  const width = size.width * scale * CSS_UNITS;
  const height = size.height * scale * CSS_UNITS;
  return (
    <div
      className="page"
      data-page-number={pageNumber}
      data-rendered={rendered ? 'true' : 'false'}
      data-text-rendered={textRendered ? 'true' : 'false'}
      role="region"
      aria-label={t('viewer.pageN', { n: pageNumber })}
      ref={(element) => {
        pageRef.current = element;
        element?.style.setProperty('--scale-factor', String(scale * CSS_UNITS));
        element?.style.setProperty('width', `${width}px`);
        element?.style.setProperty('height', `${height}px`);
      }}
    >
      {visible && (
        <>
          <canvas ref={canvasRef} className="pdf-canvas" />
          <div ref={textRef} className="textLayer" />
          {viewport &&
            regions.map((region) => {
              const [x1, y1] = viewport.convertToViewportPoint(region.rect.x, region.rect.y) as [number, number];
              const [x2, y2] = viewport.convertToViewportPoint(
                region.rect.x + region.rect.width,
                region.rect.y + region.rect.height,
              ) as [number, number];
              return (
                <div
                  key={region.id}
                  className={`region ${region.className}`}
                  data-annotation-id={region.id}
                  title={region.label}
                  ref={(element) => {
                    element?.style.setProperty('left', `${Math.min(x1, x2)}px`);
                    element?.style.setProperty('top', `${Math.min(y1, y2)}px`);
                    element?.style.setProperty('width', `${Math.abs(x2 - x1)}px`);
                    element?.style.setProperty('height', `${Math.abs(y2 - y1)}px`);
                  }}
                />
              );
            })}
        </>
      )}
    </div>
  );
}
