import { useEffect, useRef, useState, type PointerEvent } from 'react';
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

/** Shows decrypted image bytes from memory (an object URL revoked on unmount): zoom, pan (drag, scroll or keys), rotate. */
export function ImageViewer({
  bytes,
  mimeType,
  alt,
  onFailure,
}: {
  bytes: Uint8Array;
  mimeType: string;
  alt: string;
  onFailure: () => void;
}) {
  const { t } = useTranslation();
  const sourceRef = useObjectUrlRef<HTMLImageElement>(bytes, mimeType);
  const [scale, setScale] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [metadata, setMetadata] = useState<ImageMetadata | null | undefined>(undefined);
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    let current = true;
    void readImageMetadata(bytes).then((read) => current && setMetadata(read));
    return () => {
      current = false;
    };
  }, [bytes]);

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    drag.current = { x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!drag.current) return;
    event.currentTarget.scrollBy(drag.current.x - event.clientX, drag.current.y - event.clientY);
    drag.current = { x: event.clientX, y: event.clientY };
  }

  return (
    <div className="image-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <ZoomRotateControls scale={scale} setScale={setScale} setRotation={setRotation} minScale={0.1} maxScale={8} />
      </div>
      <div
        className="image-stage"
        // Focusable so arrow keys scroll (pan) it.
        tabIndex={0}
        role="group"
        aria-label={t('viewer.imageStage')}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      >
        <img
          alt={alt}
          onError={onFailure}
          ref={sourceRef}
          draggable={false}
          className="zoomable"
          style={{ width: `${scale * 100}%`, maxWidth: 'none', transform: `rotate(${rotation}deg)` }}
        />
      </div>
      <MetadataPanel metadata={metadata} />
    </div>
  );
}
