import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { createPortal } from 'react-dom';
import type { Rect } from '../../vault';
import { useTranslation } from 'react-i18next';
import { readImageMetadata, type ImageMetadata } from '../image-metadata';
import { ZoomRotateControls } from './ZoomRotateControls';
import { useObjectUrlRef } from './use-object-url';

/** What the image says about itself: EXIF and the like, GPS called out. */
function MetadataPanel({ metadata }: { metadata: ImageMetadata | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (metadata === undefined) return null;
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 6 });
  return (
    <section className="image-metadata" aria-label={t('viewer.metadata')}>
      {metadata?.gps ? (
        <p role="note" className="warning">
          {t('viewer.gpsWarning', {
            latitude: number.format(metadata.gps.latitude),
            longitude: number.format(metadata.gps.longitude),
          })}
        </p>
      ) : (
        <p>{t('viewer.noGps')}</p>
      )}
      {metadata && metadata.fields.length > 0 ? (
        <details>
          <summary>{t('viewer.metadataFields', { n: metadata.fields.length })}</summary>
          <dl className="intake-facts">
            {metadata.fields.map(([name, value]) => (
              <div key={name} className="contents">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : (
        <p>{t('viewer.noMetadata')}</p>
      )}
    </section>
  );
}

/** A region on the image, in the image's own pixels. */
export interface ImageRegion {
  id: string;
  className: string;
  rect: Rect;
  label: string;
}

const NO_REGIONS: readonly ImageRegion[] = [];

/**
 * Image types the app's engine (Chromium) does not decode: phone photos in HEIC/HEIF. They still attach, and their
 * metadata (often the GPS position) is still read and shown.
 */
const UNDECODED_TYPES = new Set(['image/heic', 'image/heif', 'image/heic-sequence']);

/**
 * Shows decrypted image bytes from memory (an object URL revoked on unmount):
 * zoom, pan (drag, scroll or keys), rotate, and regions drawn on it.
 */
export function ImageViewer({
  bytes,
  mimeType,
  alt,
  toolbar = null,
  onFailure,
  regions = NO_REGIONS,
  drawRegion = false,
  onRegion,
  focus,
}: {
  bytes: Uint8Array;
  mimeType: string;
  alt: string;
  /** The reader's toolbar: the zoom and rotate controls go there (beside the image without it). */
  toolbar?: HTMLElement | null;
  onFailure: () => void;
  regions?: readonly ImageRegion[];
  drawRegion?: boolean;
  onRegion?: (rect: Rect) => void;
  focus?: { id: string; nonce: number } | null;
}) {
  const { t } = useTranslation();
  const sourceRef = useObjectUrlRef<HTMLImageElement>(bytes, mimeType);
  const [scale, setScale] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [metadata, setMetadata] = useState<ImageMetadata | null | undefined>(undefined);
  const [undecoded, setUndecoded] = useState(false);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [drawing, setDrawing] = useState<{
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    left: number;
    top: number;
  } | null>(null);
  const canDraw = drawRegion && rotation === 0 && natural !== null;

  useEffect(() => {
    if (!focus) return;
    for (const flashed of frame.current?.querySelectorAll('.flash') ?? []) flashed.classList.remove('flash');
    const box = frame.current?.querySelector<HTMLElement>(`[data-annotation-id="${focus.id}"]`);
    box?.scrollIntoView({ block: 'center', inline: 'center' });
    box?.classList.remove('flash');
    void box?.offsetWidth;
    box?.classList.add('flash');
  }, [focus]);

  /** Client coordinates → the image's own pixels. */
  function toImage(x: number, y: number): [number, number] {
    const box = frame.current!.getBoundingClientRect();
    return [((x - box.left) / box.width) * natural!.width, ((y - box.top) / box.height) * natural!.height];
  }

  useEffect(() => {
    let current = true;
    void readImageMetadata(bytes).then((read) => current && setMetadata(read));
    return () => {
      current = false;
    };
  }, [bytes]);

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    if (canDraw) {
      event.preventDefault();
      const box = frame.current?.getBoundingClientRect();
      setDrawing({
        x1: event.clientX,
        y1: event.clientY,
        x2: event.clientX,
        y2: event.clientY,
        left: box?.left ?? 0,
        top: box?.top ?? 0,
      });
      return;
    }
    drag.current = { x: event.clientX, y: event.clientY };
  }

  function onPointerUp() {
    drag.current = null;
    if (!drawing) return;
    setDrawing(null);
    if (Math.abs(drawing.x2 - drawing.x1) < 4 || Math.abs(drawing.y2 - drawing.y1) < 4) return;
    const [ax, ay] = toImage(drawing.x1, drawing.y1);
    const [bx, by] = toImage(drawing.x2, drawing.y2);
    onRegion?.({ x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) });
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (drawing) {
      setDrawing({ ...drawing, x2: event.clientX, y2: event.clientY });
      return;
    }
    if (!drag.current) return;
    event.currentTarget.scrollBy(drag.current.x - event.clientX, drag.current.y - event.clientY);
    drag.current = { x: event.clientX, y: event.clientY };
  }

  const controls = (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
      <ZoomRotateControls scale={scale} setScale={setScale} setRotation={setRotation} minScale={0.1} maxScale={8} />
    </div>
  );
  return (
    <div className="image-viewer">
      {!undecoded && (toolbar ? createPortal(controls, toolbar) : controls)}
      {undecoded && (
        <p role="status" className="no-preview">
          {t('viewer.noPreview.image-format')}
        </p>
      )}
      {/* Once the engine has failed to decode it, the image leaves the page (its object URL revoked with it). */}
      {!undecoded && (
        <div
          className="image-stage"
          // Focusable so arrow keys scroll (pan) it.
          tabIndex={0}
          role="group"
          aria-label={t('viewer.imageStage')}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            drag.current = null;
            setDrawing(null);
          }}
        >
          <div
            ref={frame}
            className={canDraw ? 'image-frame drawing' : 'image-frame'}
            style={{ width: `${scale * 100}%`, transform: `rotate(${rotation}deg)` }}
          >
            <img
              alt={alt}
              onError={() => (UNDECODED_TYPES.has(mimeType) ? setUndecoded(true) : onFailure())}
              onLoad={(event) =>
                setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
              }
              ref={sourceRef}
              draggable={false}
              className="zoomable"
            />
            {natural &&
              regions.map((region) => (
                <div
                  key={region.id}
                  className={`region ${region.className}`}
                  data-annotation-id={region.id}
                  title={region.label}
                  style={{
                    left: `${(region.rect.x / natural.width) * 100}%`,
                    top: `${(region.rect.y / natural.height) * 100}%`,
                    width: `${(region.rect.width / natural.width) * 100}%`,
                    height: `${(region.rect.height / natural.height) * 100}%`,
                  }}
                />
              ))}
            {drawing && (
              <div
                className="region drawing-box"
                style={{
                  left: Math.min(drawing.x1, drawing.x2) - drawing.left,
                  top: Math.min(drawing.y1, drawing.y2) - drawing.top,
                  width: Math.abs(drawing.x2 - drawing.x1),
                  height: Math.abs(drawing.y2 - drawing.y1),
                }}
              />
            )}
          </div>
        </div>
      )}
      <MetadataPanel metadata={metadata} />
    </div>
  );
}
