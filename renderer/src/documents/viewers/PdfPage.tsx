import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pdfjs, type PdfDocument } from './pdfjs';

export const CSS_UNITS = 96 / 72;

export interface PageSize {
  width: number;
  height: number;
}

/** Part of a find match inside one text item: [item index, start, end, is the current match]. */
export type ItemMark = [number, number, number, boolean];

type TextLayer = InstanceType<typeof pdfjs.TextLayer>;

/** Wraps the marked parts of the text layer's items in <mark>; restores items marked before. */
function applyMarks(layer: TextLayer, marks: readonly ItemMark[], previouslyMarked: Set<number>): Set<number> {
  const divs = layer.textDivs;
  const strings = layer.textContentItemsStr;
  for (const index of previouslyMarked) {
    const div = divs[index];
    if (div) div.textContent = strings[index] ?? '';
  }
  const byItem = new Map<number, ItemMark[]>();
  for (const mark of marks) byItem.set(mark[0], [...(byItem.get(mark[0]) ?? []), mark]);
  for (const [index, itemMarks] of byItem) {
    const div = divs[index];
    const text = strings[index];
    if (!div || text === undefined) continue;
    const parts: Node[] = [];
    let at = 0;
    for (const [, start, end, current] of itemMarks.sort((a, b) => a[1] - b[1])) {
      if (start > at) parts.push(window.document.createTextNode(text.slice(at, start)));
      const mark = window.document.createElement('mark');
      mark.className = current ? 'find-match current' : 'find-match';
      mark.textContent = text.slice(start, end);
      parts.push(mark);
      at = end;
    }
    if (at < text.length) parts.push(window.document.createTextNode(text.slice(at)));
    div.replaceChildren(...parts);
  }
  return new Set(byItem.keys());
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
}: {
  document: PdfDocument;
  pageNumber: number;
  scale: number;
  rotation: number;
  size: PageSize;
  visible: boolean;
  marks: readonly ItemMark[];
}) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const layerRef = useRef<TextLayer | null>(null);
  const markedRef = useRef<Set<number>>(new Set());
  const [rendered, setRendered] = useState(false);
  const [textRendered, setTextRendered] = useState(false);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let renderTask: ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['render']> | undefined;
    let textLayer: TextLayer | undefined;
    void (async () => {
      const page = await document.getPage(pageNumber);
      if (cancelled || !canvasRef.current || !textRef.current) return;
      const viewport = page.getViewport({ scale: scale * CSS_UNITS, rotation });
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
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      renderTask?.cancel();
      textLayer?.cancel();
      layerRef.current = null;
      setRendered(false);
      setTextRendered(false);
    };
  }, [document, pageNumber, scale, rotation, visible]);

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
        element?.style.setProperty('--scale-factor', String(scale * CSS_UNITS));
        element?.style.setProperty('width', `${width}px`);
        element?.style.setProperty('height', `${height}px`);
      }}
    >
      {visible && (
        <>
          <canvas ref={canvasRef} className="pdf-canvas" />
          <div ref={textRef} className="textLayer" />
        </>
      )}
    </div>
  );
}
