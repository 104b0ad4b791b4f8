import 'pdfjs-dist/web/pdf_viewer.css';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ZoomRotateControls } from './ZoomRotateControls';
import { openPdf, pdfjs, pdfOpenFailure, type PdfDocument, type PdfOpenFailure } from './pdfjs';

const CSS_UNITS = 96 / 72;
/** Pages rendered at most at once; others are dropped as they scroll away. */
const LIVE_PAGES = 10;

interface PageSize {
  width: number;
  height: number;
}

function PdfPage({
  document,
  pageNumber,
  scale,
  rotation,
  size,
  visible,
}: {
  document: PdfDocument;
  pageNumber: number;
  scale: number;
  rotation: number;
  size: PageSize;
  visible: boolean;
}) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const [rendered, setRendered] = useState(false);
  const [textRendered, setTextRendered] = useState(false);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let renderTask: ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['render']> | undefined;
    let textLayer: InstanceType<typeof pdfjs.TextLayer> | undefined;
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
      if (!cancelled) setTextRendered(true);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      renderTask?.cancel();
      textLayer?.cancel();
      setRendered(false);
      setTextRendered(false);
    };
  }, [document, pageNumber, scale, rotation, visible]);

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

/** A PDF viewer that renders only the pages near the viewport. */
export function PdfViewer({ bytes, onFailure }: { bytes: Uint8Array; onFailure: (reason: PdfOpenFailure) => void }) {
  const { t } = useTranslation();
  const [document, setDocument] = useState<PdfDocument | null>(null);
  const [pageSizes, setPageSizes] = useState<PageSize[]>([]);
  const [visiblePages, setVisiblePages] = useState<Set<number>>(new Set([1]));
  const [scale, setScale] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [currentPage, setCurrentPage] = useState(1);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const { promise, destroy } = openPdf(bytes.slice());
    let current = true;
    promise.then(
      async (opened) => {
        const first = await opened.getPage(1);
        const viewport = first.getViewport({ scale: 1 });
        if (!current) return;
        // Pages are laid out at the first page's size until each is rendered.
        setPageSizes(
          Array.from({ length: opened.numPages }, () => ({ width: viewport.width, height: viewport.height })),
        );
        setDocument(opened);
      },
      (error: unknown) => current && onFailure(pdfOpenFailure(error)),
    );
    return () => {
      current = false;
      void destroy();
    };
  }, [bytes, onFailure]);

  useEffect(() => {
    const root = container.current;
    if (!root || !document) return;
    const observer = new IntersectionObserver(
      (entries) => {
        setVisiblePages((previous) => {
          const next = new Set(previous);
          for (const entry of entries) {
            const page = Number((entry.target as HTMLElement).dataset.pageNumber);
            if (entry.isIntersecting) next.add(page);
            else next.delete(page);
          }
          // Keep the live set bounded.
          return new Set([...next].slice(-LIVE_PAGES));
        });
        const topmost = entries
          .filter((entry) => entry.isIntersecting)
          .sort((a, b) => a.boundingClientRect.top - b.boundingClientRect.top)[0];
        if (topmost) setCurrentPage(Number((topmost.target as HTMLElement).dataset.pageNumber));
      },
      { root, rootMargin: '200px 0px' },
    );
    for (const page of root.querySelectorAll('.page')) observer.observe(page);
    return () => observer.disconnect();
  }, [document, pageSizes, scale, rotation]);

  function goTo(page: number) {
    const target = container.current?.querySelector(`[data-page-number="${page}"]`);
    target?.scrollIntoView({ block: 'start' });
    setCurrentPage(page);
  }

  if (!document) return <p>{t('common.loading')}</p>;
  const total = document.numPages;
  const rotated = rotation % 180 !== 0;
  return (
    <div className="pdf-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <button type="button" onClick={() => goTo(Math.max(1, currentPage - 1))} disabled={currentPage <= 1}>
          {t('viewer.previousPage')}
        </button>
        <label className="inline">
          {t('viewer.page')}
          <input
            type="number"
            min={1}
            max={total}
            value={currentPage}
            onChange={(event) => {
              const page = Number(event.target.value);
              if (page >= 1 && page <= total) goTo(page);
            }}
          />
          {t('viewer.ofPages', { total })}
        </label>
        <button type="button" onClick={() => goTo(Math.min(total, currentPage + 1))} disabled={currentPage >= total}>
          {t('viewer.nextPage')}
        </button>
        <ZoomRotateControls scale={scale} setScale={setScale} setRotation={setRotation} minScale={0.25} maxScale={4} />
      </div>
      <div ref={container} className="pdf-pages pdfViewer">
        {pageSizes.map((size, index) => (
          <PdfPage
            key={index + 1}
            document={document}
            pageNumber={index + 1}
            scale={scale}
            rotation={rotation}
            size={rotated ? { width: size.height, height: size.width } : size}
            visible={visiblePages.has(index + 1)}
          />
        ))}
      </div>
    </div>
  );
}
