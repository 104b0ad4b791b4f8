import 'pdfjs-dist/web/pdf_viewer.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ChevronDown, ChevronUp } from 'lucide-react';
import { IconButton } from '../../ui';
import type { Rect } from '../../vault';
import { itemRanges, pageOffsetOf, type PageText } from '../pdf-text';
import { clientRectToPdf, readPdfSelection, type PdfTextSelection } from './pdf-selection';
import { CSS_UNITS, PdfPage, type ItemMark, type PageRegion, type PageSize, type RenderedPage } from './PdfPage';
import { PdfOutline } from './PdfOutline';
import { PdfPasswordPrompt } from './PdfPasswordPrompt';
import { pdfPasswordFlow, type PdfPasswordMemory, type PdfPasswordPrompting } from '../pdf-password';
import { pdfFingerprintOf } from '../pdf-source-facts';
import { pdfXfaOf, type PdfViewerStatus, type PdfXfa } from './pdf-status';
import { PdfThumbnails } from './PdfThumbnails';
import { openPdf, pdfOpenFailure, type PdfDocument, type PdfOpenFailure } from './pdfjs';
import { PdfFindBar } from './PdfFindBar';
import { usePdfFind } from './use-pdf-find';
import { usePdfPageTexts } from './use-pdf-page-texts';
import { ZoomRotateControls } from './ZoomRotateControls';

/** Pages rendered at most at once; others are dropped as they scroll away. */
const LIVE_PAGES = 10;
/** The page texts are read once a page is drawn, or this long after the document opens if none is (a hidden pane). */
const TEXTS_AT_LATEST_MS = 1000;

/** What annotations show on the pages and hear back from them. Pages are 0-based. */
export interface PdfAnnotationLayer {
  /** Text highlights, as UTF-16 offsets into each page's text (see usePdfPageTexts). */
  highlights: readonly { id: string; className: string; page: number; start: number; end: number }[];
  regions: readonly { id: string; className: string; page: number; rect: Rect; label: string }[];
  drawRegion: boolean;
  /** Scroll to an annotation and flash it; a new nonce repeats the request. */
  focus: { id: string; page: number; nonce: number } | null;
  onSelection: (selection: PdfTextSelection | null) => void;
  onRegion: (page: number, rect: Rect) => void;
  onTexts: (texts: readonly PageText[] | null) => void;
}

/** Where the reader shows the viewer's own controls: its toolbar, its thumbnail pane and its outline pane. */
export interface PdfViewerSlots {
  toolbar: HTMLElement | null;
  thumbnails: HTMLElement | null;
  outline?: HTMLElement | null;
}

/** The pages' horizontal padding (CSS .pdf-pages), left out when fitting a page to the width. */
const PAGES_PADDING = 16;
/** Fit-width follows the pane in steps of this many pixels, so dragging a pane edge does not redraw every pixel. */
const WIDTH_STEP = 8;

const NO_MARKS: ItemMark[] = [];
const NO_SLOTS: PdfViewerSlots = { toolbar: null, thumbnails: null };
const NO_REGIONS: PageRegion[] = [];

/** A PDF viewer that renders only the pages near the viewport, with thumbnails, find and annotations. */
export function PdfViewer({
  bytes,
  onFailure,
  annotations,
  initialFind,
  slots = NO_SLOTS,
  onStatus,
  passwordMemory,
}: {
  bytes: Uint8Array;
  /** Where a password may be remembered at the user's request, and is recalled from; without it, it is always asked. */
  passwordMemory?: PdfPasswordMemory;
  /** Where the toolbar and thumbnails go; without them only the pages show. */
  slots?: PdfViewerSlots;
  onFailure: (reason: PdfOpenFailure) => void;
  /** Told when the document asks for its password and when it opens (with or without one, an XFA form or not). */
  onStatus?: (status: PdfViewerStatus) => void;
  annotations?: PdfAnnotationLayer;
  /** Start with these words in the find box, their match on this (1-based) page current. */
  initialFind?: { query: string; page: number };
}) {
  const { t } = useTranslation();
  const [document, setDocument] = useState<PdfDocument | null>(null);
  /** pdf.js waiting for a password: the request (never the password, which goes from its field to pdf.js). */
  const [passwordRequest, setPasswordRequest] = useState<{ prompting: PdfPasswordPrompting; attempt: number } | null>(
    null,
  );
  /** Read when a document opens (not a dependency: a new memory object must not reopen the document). */
  const memory = useRef(passwordMemory);
  useEffect(() => {
    memory.current = passwordMemory;
  });
  const [xfa, setXfa] = useState<PdfXfa>('none');
  /** The password form had focus: once the document opens, focus goes to its pages. */
  const focusPages = useRef(false);
  const reportStatus = useRef(onStatus);
  useEffect(() => {
    reportStatus.current = onStatus;
  });
  const [firstPageSize, setFirstPageSize] = useState<PageSize | null>(null);
  const [visiblePages, setVisiblePages] = useState<Set<number>>(new Set([1]));
  /** Zoom relative to fit-width: 1 is the page as wide as the pane. */
  const [zoom, setZoom] = useState(1);
  const [paneWidth, setPaneWidth] = useState(0);
  const [rotation, setRotation] = useState(0);
  const [currentPage, setCurrentPage] = useState(1);
  const container = useRef<HTMLDivElement>(null);
  const findInput = useRef<HTMLInputElement>(null);
  /** The document whose page texts may be read now: once one of its pages is drawn, or a moment after it opens.
   * Reading every page's text sooner keeps pdf.js's worker from drawing the first page. */
  const [textsOf, setTextsOf] = useState<PdfDocument | null>(null);
  const openDocument = useRef<PdfDocument | null>(null);
  useEffect(() => {
    openDocument.current = document;
    if (!document) return;
    const timer = window.setTimeout(() => setTextsOf(document), TEXTS_AT_LATEST_MS);
    return () => clearTimeout(timer);
  }, [document]);
  const pageTexts = usePdfPageTexts(document, textsOf === document);
  const find = usePdfFind(pageTexts.texts, initialFind);
  const rendered = useRef(new Map<number, RenderedPage>());
  const [drawing, setDrawing] = useState<{ page: number; x1: number; y1: number; x2: number; y2: number } | null>(null);

  const onRendered = useCallback((pageNumber: number, page: RenderedPage | null) => {
    if (page) {
      rendered.current.set(pageNumber, page);
      setTextsOf(openDocument.current);
    } else rendered.current.delete(pageNumber);
  }, []);

  const onTexts = annotations?.onTexts;
  useEffect(() => onTexts?.(pageTexts.texts), [onTexts, pageTexts.texts]);

  // Selections in the text layers, reported as page text offsets.
  const onSelection = annotations?.onSelection;
  const texts = pageTexts.texts;
  useEffect(() => {
    if (!onSelection) return;
    let timer = 0;
    const report = () => {
      clearTimeout(timer);
      timer = window.setTimeout(
        () =>
          onSelection(
            readPdfSelection(rendered.current, (page, item, offset) => {
              const text = texts?.[page];
              return text ? pageOffsetOf(text, item, offset) : null;
            }),
          ),
        120,
      );
    };
    window.document.addEventListener('selectionchange', report);
    // The page texts may arrive after the user selected: read the selection again then.
    report();
    return () => {
      window.document.removeEventListener('selectionchange', report);
      clearTimeout(timer);
    };
  }, [onSelection, texts]);

  // Highlights and find matches per 1-based page, as stable arrays: a page re-marks its text only when they change.
  const highlights = annotations?.highlights;
  const findMarks = find.marksByPage;
  const marksByPage = useMemo(() => {
    const byPage = new Map<number, ItemMark[]>();
    for (const highlight of highlights ?? []) {
      const page = texts?.[highlight.page];
      if (!page) continue;
      const marks = byPage.get(highlight.page + 1) ?? [];
      for (const [item, start, end] of itemRanges(highlight, page))
        marks.push({ item, start, end, className: highlight.className, annotationId: highlight.id });
      byPage.set(highlight.page + 1, marks);
    }
    for (const [page, marks] of findMarks) byPage.set(page, [...(byPage.get(page) ?? []), ...marks]);
    return byPage;
  }, [highlights, texts, findMarks]);

  const regionsSource = annotations?.regions;
  const regionsByPage = useMemo(() => {
    const byPage = new Map<number, PageRegion[]>();
    for (const region of regionsSource ?? [])
      byPage.set(region.page + 1, [...(byPage.get(region.page + 1) ?? []), region]);
    return byPage;
  }, [regionsSource]);

  useEffect(() => {
    let current = true;
    let attempts = 0;
    // pdf.js takes ownership of the buffer it is given: hand it a copy. A password-protected PDF asks for its
    // password (a remembered one first, then the prompt, again after a wrong one) until it opens or the user cancels.
    const passwords = pdfPasswordFlow({
      memory: memory.current,
      isCurrent: () => current,
      ask: (prompting) => {
        setPasswordRequest({ prompting, attempt: ++attempts });
        reportStatus.current?.({ state: 'locked' });
      },
    });
    const { promise, destroy } = openPdf(bytes.slice(), passwords.onPassword);
    promise
      .then(
        async (opened) => {
          // Page 1 sizes every placeholder until each page is drawn; pdf.js
          // keeps this page, so drawing it does not fetch it again. Its XFA
          // facts are asked at the same time: one wait on pdf.js's worker, not two.
          const [firstPage, openedXfa] = await Promise.all([opened.getPage(1), pdfXfaOf(opened)]);
          const viewport = firstPage.getViewport({ scale: 1 });
          if (!current) return;
          const { unlocked } = passwords.opened();
          setPasswordRequest(null);
          setXfa(openedXfa);
          setFirstPageSize({ width: viewport.width, height: viewport.height });
          setDocument(opened);
          reportStatus.current?.({
            state: 'open',
            unlocked,
            xfa: openedXfa,
            fingerprint: pdfFingerprintOf(opened),
          });
          focusPages.current = attempts > 0;
        },
        (error: unknown) => {
          passwords.dispose();
          if (!current) return;
          setPasswordRequest(null);
          onFailure(pdfOpenFailure(error));
        },
      )
      // The reader closed while page 1 was read: pdf.js refuses it ("Transport destroyed"), and nobody is waiting.
      .catch((error: unknown) => current && onFailure(pdfOpenFailure(error)));
    return () => {
      current = false;
      passwords.dispose();
      void destroy();
    };
  }, [bytes, onFailure]);

  useEffect(() => {
    if (!document || !focusPages.current) return;
    focusPages.current = false;
    container.current?.focus({ preventScroll: true });
  }, [document, firstPageSize]);

  // The pane's width, for fit-width (the pages' scrollbar gutter is kept, so showing it does not change the width).
  // Read before the first paint: pages are drawn only once it is known, not once at another size and again.
  useLayoutEffect(() => {
    const root = container.current;
    if (!root || !document) return;
    const measure = () => setPaneWidth(Math.floor(root.clientWidth / WIDTH_STEP) * WIDTH_STEP);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    return () => observer.disconnect();
  }, [document, firstPageSize]);

  const rotated = rotation % 180 !== 0;
  const pageSize =
    firstPageSize && (rotated ? { width: firstPageSize.height, height: firstPageSize.width } : firstPageSize);
  const fitScale = pageSize && paneWidth > 0 ? (paneWidth - PAGES_PADDING) / (pageSize.width * CSS_UNITS) : 1;
  const scale = Math.max(0.05, fitScale * zoom);
  /** The pages are laid out (and watched) only once the pane's width is known. */
  const laidOut = paneWidth > 0;

  // Which pages are near the view, and which is current. Watched again once the pages are laid out (the pane's
  // width known): the fit-width scale may then be the one it was before, 1.
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
  }, [document, scale, rotation, laidOut]);

  // Scrolls the pages only: scrollIntoView would scroll every scrollable ancestor, the app frame too.
  /** Returns false if the page is not laid out yet (the document is still loading). */
  const scrollToPage = useCallback((page: number): boolean => {
    const root = container.current;
    const element = root?.querySelector<HTMLElement>(`[data-page-number="${page}"]`);
    if (!root || !element) return false;
    root.scrollTop = element.offsetTop - PAGES_PADDING / 2;
    return true;
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

  // Bring a requested annotation into view and flash it. Asked for as soon as the reader opens, its page may not
  // be laid out yet (the scroll is tried again until it is: a page renders only once scrolled into view) or still
  // rendering (the annotation is looked for until it shows).
  const focus = annotations?.focus;
  useEffect(() => {
    if (!focus) return;
    for (const flashed of container.current?.querySelectorAll('.flash') ?? []) flashed.classList.remove('flash');
    let scrolled = scrollToPage(focus.page + 1);
    let tries = 0;
    const timer = window.setInterval(() => {
      scrolled ||= scrollToPage(focus.page + 1);
      const element = container.current?.querySelector<HTMLElement>(`[data-annotation-id="${focus.id}"]`);
      if (element || ++tries > 200) window.clearInterval(timer);
      if (!element) return;
      element.scrollIntoView({ block: 'center' });
      for (const part of container.current?.querySelectorAll(`[data-annotation-id="${focus.id}"]`) ?? []) {
        part.classList.remove('flash');
        void (part as HTMLElement).offsetWidth; // restart the animation
        part.classList.add('flash');
      }
    }, 50);
    return () => window.clearInterval(timer);
  }, [focus, scrollToPage]);

  function pageNumberAt(target: EventTarget): number | null {
    const page = (target as HTMLElement).closest<HTMLElement>('.page');
    return page ? Number(page.dataset.pageNumber) : null;
  }

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      findInput.current?.focus();
      findInput.current?.select();
    }
  }

  if (passwordRequest)
    return (
      <PdfPasswordPrompt
        key={passwordRequest.attempt}
        reason={passwordRequest.prompting.reason}
        canRemember={passwordMemory !== undefined}
        onSubmit={passwordRequest.prompting.submit}
        onCancel={passwordRequest.prompting.cancel}
      />
    );
  if (!document || !pageSize) return <p>{t('common.loading')}</p>;
  const total = document.numPages;
  const tools = (
    // Portalled into the reader's toolbar, one row with its other controls; keys still bubble to .pdf-viewer.
    <div className="pdf-tools">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <IconButton
          icon={ChevronUp}
          label={t('viewer.previousPage')}
          onClick={() => goTo(Math.max(1, currentPage - 1))}
          disabled={currentPage <= 1}
        />
        <label className="page-field">
          <span className="visually-hidden">{t('viewer.page')}</span>
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
          <span className="page-total">{t('viewer.ofPages', { total })}</span>
        </label>
        <IconButton
          icon={ChevronDown}
          label={t('viewer.nextPage')}
          onClick={() => goTo(Math.min(total, currentPage + 1))}
          disabled={currentPage >= total}
        />
        <ZoomRotateControls
          scale={scale}
          setScale={setZoom}
          setRotation={setRotation}
          minScale={0.25}
          maxScale={4}
          onFitWidth={() => setZoom(1)}
        />
      </div>
      <PdfFindBar find={find} input={findInput} pagesRead={pageTexts.read} pagesTotal={total} />
    </div>
  );
  return (
    <div className="pdf-viewer" onKeyDown={onKeyDown}>
      {slots.toolbar && createPortal(tools, slots.toolbar)}
      {slots.thumbnails &&
        createPortal(
          <PdfThumbnails
            document={document}
            aspect={pageSize.height / pageSize.width}
            currentPage={currentPage}
            onSelect={goTo}
          />,
          slots.thumbnails,
        )}
      {slots.outline && createPortal(<PdfOutline document={document} onSelect={goTo} />, slots.outline)}
      {xfa !== 'none' && (
        // Not dismissable: the pages below may not be the document's content at all.
        <p role="note" className="pdf-notice">
          {t(`viewer.xfa.${xfa}`)}
        </p>
      )}
      <div className="pdf-body">
        <div
          ref={container}
          className={annotations?.drawRegion ? 'pdf-pages pdfViewer drawing' : 'pdf-pages pdfViewer'}
          // Focusable, so the pages scroll with the keyboard; the reader puts focus here on open.
          tabIndex={0}
          role="group"
          aria-label={t('viewer.pages')}
          onPointerDown={(event) => {
            if (!annotations?.drawRegion) return;
            const page = pageNumberAt(event.target);
            if (page === null) return;
            event.preventDefault();
            event.currentTarget.setPointerCapture(event.pointerId);
            setDrawing({ page, x1: event.clientX, y1: event.clientY, x2: event.clientX, y2: event.clientY });
          }}
          onPointerMove={(event) => drawing && setDrawing({ ...drawing, x2: event.clientX, y2: event.clientY })}
          onPointerUp={() => {
            const page = drawing ? rendered.current.get(drawing.page) : undefined;
            if (drawing && page && Math.abs(drawing.x2 - drawing.x1) > 4 && Math.abs(drawing.y2 - drawing.y1) > 4)
              annotations?.onRegion(
                drawing.page - 1,
                clientRectToPdf(page, drawing.x1, drawing.y1, drawing.x2, drawing.y2),
              );
            setDrawing(null);
          }}
        >
          {/* Laid out once the pane's width is known (read before the first paint), not at another size first. */}
          {laidOut &&
            Array.from({ length: total }, (_, index) => {
              const pageNumber = index + 1;
              return (
                <PdfPage
                  key={pageNumber}
                  document={document}
                  pageNumber={pageNumber}
                  scale={scale}
                  rotation={rotation}
                  size={pageSize}
                  visible={visiblePages.has(pageNumber)}
                  marks={marksByPage.get(pageNumber) ?? NO_MARKS}
                  regions={regionsByPage.get(pageNumber) ?? NO_REGIONS}
                  onRendered={onRendered}
                />
              );
            })}
          {drawing && (
            <div
              className="region drawing-box"
              ref={(element) => {
                const box = container.current?.getBoundingClientRect();
                if (!element || !box || !container.current) return;
                element.style.setProperty(
                  'left',
                  `${Math.min(drawing.x1, drawing.x2) - box.left + container.current.scrollLeft}px`,
                );
                element.style.setProperty(
                  'top',
                  `${Math.min(drawing.y1, drawing.y2) - box.top + container.current.scrollTop}px`,
                );
                element.style.setProperty('width', `${Math.abs(drawing.x2 - drawing.x1)}px`);
                element.style.setProperty('height', `${Math.abs(drawing.y2 - drawing.y1)}px`);
              }}
            />
          )}
        </div>
      </div>
    </div>
  );
}
