import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PdfDocument } from './pdfjs';

const THUMBNAIL_WIDTH = 110;

/** A small picture of one page, drawn once it scrolls into the thumbnail pane. */
function Thumbnail({
  document,
  pageNumber,
  current,
  visible,
  aspect,
  onSelect,
}: {
  document: PdfDocument;
  pageNumber: number;
  current: boolean;
  visible: boolean;
  aspect: number;
  onSelect: (page: number) => void;
}) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    if (!visible || drawn) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | undefined;
    void (async () => {
      const page = await document.getPage(pageNumber);
      const canvas = canvasRef.current;
      if (cancelled || !canvas) return;
      const unit = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: THUMBNAIL_WIDTH / unit.width });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      task = page.render({ canvas, viewport });
      await task.promise;
      if (!cancelled) setDrawn(true);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [document, pageNumber, visible, drawn]);

  return (
    <li data-thumbnail={pageNumber}>
      <button
        type="button"
        className="thumbnail"
        aria-current={current ? 'page' : undefined}
        aria-label={t('viewer.goToPage', { n: pageNumber })}
        data-drawn={drawn ? 'true' : 'false'}
        onClick={() => onSelect(pageNumber)}
      >
        <canvas
          ref={canvasRef}
          aria-hidden="true"
          style={{ width: THUMBNAIL_WIDTH, height: Math.round(THUMBNAIL_WIDTH * aspect) }}
        />
        <span>{pageNumber}</span>
      </button>
    </li>
  );
}

/** Page thumbnails; only those scrolled into the pane are drawn. */
export function PdfThumbnails({
  document,
  aspect,
  currentPage,
  onSelect,
}: {
  document: PdfDocument;
  /** Height / width of the first page: every thumbnail is laid out at it. */
  aspect: number;
  currentPage: number;
  onSelect: (page: number) => void;
}) {
  const { t } = useTranslation();
  const pane = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState<Set<number>>(new Set());

  useEffect(() => {
    const root = pane.current;
    if (!root) return;
    const observer = new IntersectionObserver(
      (entries) =>
        setVisible((previous) => {
          const next = new Set(previous);
          for (const entry of entries) {
            const page = Number((entry.target as HTMLElement).dataset.thumbnail);
            if (entry.isIntersecting) next.add(page);
            else next.delete(page);
          }
          return next;
        }),
      { root, rootMargin: '100px 0px' },
    );
    for (const item of root.querySelectorAll('[data-thumbnail]')) observer.observe(item);
    return () => observer.disconnect();
  }, [document]);

  useEffect(() => {
    pane.current?.querySelector(`[data-thumbnail="${currentPage}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [currentPage]);

  return (
    <nav ref={pane} className="pdf-thumbnails" aria-label={t('viewer.thumbnails')}>
      <ol>
        {Array.from({ length: document.numPages }, (_, index) => (
          <Thumbnail
            key={index + 1}
            document={document}
            pageNumber={index + 1}
            current={currentPage === index + 1}
            visible={visible.has(index + 1)}
            aspect={aspect}
            onSelect={onSelect}
          />
        ))}
      </ol>
    </nav>
  );
}
