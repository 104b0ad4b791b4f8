import 'pdfjs-dist/web/pdf_viewer.css';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PdfPage, type PageSize } from './PdfPage';
import { PdfThumbnails } from './PdfThumbnails';
import { openPdf, pdfOpenFailure, type PdfDocument, type PdfOpenFailure } from './pdfjs';
import { usePdfFind } from './use-pdf-find';
import { ZoomRotateControls } from './ZoomRotateControls';

/** Pages rendered at most at once; others are dropped as they scroll away. */
const LIVE_PAGES = 10;

/** A PDF viewer that renders only the pages near the viewport, with thumbnails and find. */
export function PdfViewer({ bytes, onFailure }: { bytes: Uint8Array; onFailure: (reason: PdfOpenFailure) => void }) {
  const { t } = useTranslation();
  const [document, setDocument] = useState<PdfDocument | null>(null);
  const [firstPageSize, setFirstPageSize] = useState<PageSize | null>(null);
  const [visiblePages, setVisiblePages] = useState<Set<number>>(new Set([1]));
  const [scale, setScale] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [currentPage, setCurrentPage] = useState(1);
  const [showThumbnails, setShowThumbnails] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const find = usePdfFind(document);

  useEffect(() => {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const { promise, destroy } = openPdf(bytes.slice());
    let current = true;
    promise.then(
      async (opened) => {
        // Page 1 sizes every placeholder until each page is drawn; pdf.js
        // keeps this page, so drawing it does not fetch it again.
        const viewport = (await opened.getPage(1)).getViewport({ scale: 1 });
        if (!current) return;
        setFirstPageSize({ width: viewport.width, height: viewport.height });
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
      },
      { root, rootMargin: '200px 0px' },
    );
    const pages = Array.from(root.querySelectorAll<HTMLElement>('.page'));
    for (const page of pages) observer.observe(page);
    // The current page is the last one whose top is above the upper third of the view.
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const line = root.scrollTop + root.clientHeight / 3;
        let low = 0;
        let high = pages.length - 1;
        while (low < high) {
          const middle = Math.ceil((low + high) / 2);
          if (pages[middle]!.offsetTop <= line) low = middle;
          else high = middle - 1;
        }
        setCurrentPage(low + 1);
      });
    };
    root.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      root.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [document, scale, rotation]);

  const scrollToPage = useCallback((page: number) => {
    container.current?.querySelector(`[data-page-number="${page}"]`)?.scrollIntoView({ block: 'start' });
  }, []);

  const goTo = useCallback(
    (page: number) => {
      scrollToPage(page);
      setCurrentPage(page);
    },
    [scrollToPage],
  );

  // Bring the current match's page into view; the page marks and centres the match itself.
  const matchPage = find.currentMatch?.page;
  const matchIndex = find.currentIndex;
  useEffect(() => {
    if (matchPage !== undefined) scrollToPage(matchPage);
  }, [matchPage, matchIndex, scrollToPage]);

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      findInput.current?.focus();
      findInput.current?.select();
    }
  }

  if (!document || !firstPageSize) return <p>{t('common.loading')}</p>;
  const total = document.numPages;
  const rotated = rotation % 180 !== 0;
  const pageSize = rotated ? { width: firstPageSize.height, height: firstPageSize.width } : firstPageSize;
  const findStatus = find.scanning
    ? t('viewer.findScanning', { done: find.scanning.done, total: find.scanning.total })
    : find.query.trim() === ''
      ? ''
      : find.matches.length === 0
        ? t('viewer.findNone')
        : t('viewer.findCount', { n: find.currentIndex + 1, total: find.matches.length });
  return (
    <div className="pdf-viewer" onKeyDown={onKeyDown}>
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <button type="button" aria-pressed={showThumbnails} onClick={() => setShowThumbnails((shown) => !shown)}>
          {t('viewer.thumbnails')}
        </button>
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
      <div className="viewer-toolbar" role="search">
        <label className="inline">
          {t('viewer.find')}
          <input
            ref={findInput}
            type="search"
            autoComplete="off"
            value={find.query}
            onChange={(event) => find.setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                find.step(event.shiftKey ? -1 : 1);
              }
            }}
          />
        </label>
        <button type="button" onClick={() => find.step(-1)} disabled={find.matches.length === 0}>
          {t('viewer.findPrevious')}
        </button>
        <button type="button" onClick={() => find.step(1)} disabled={find.matches.length === 0}>
          {t('viewer.findNext')}
        </button>
        <span role="status">{findStatus}</span>
      </div>
      <div className="pdf-body">
        {showThumbnails && (
          <PdfThumbnails
            document={document}
            aspect={pageSize.height / pageSize.width}
            currentPage={currentPage}
            onSelect={goTo}
          />
        )}
        <div ref={container} className="pdf-pages pdfViewer">
          {Array.from({ length: total }, (_, index) => (
            <PdfPage
              key={index + 1}
              document={document}
              pageNumber={index + 1}
              scale={scale}
              rotation={rotation}
              size={pageSize}
              visible={visiblePages.has(index + 1)}
              marks={find.marksFor(index + 1)}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
