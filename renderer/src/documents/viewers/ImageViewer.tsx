import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ZoomRotateControls } from './ZoomRotateControls';
import { useObjectUrlRef } from './use-object-url';

/** Shows decrypted image bytes from memory (an object URL revoked on unmount). */
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

  return (
    <div className="image-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <ZoomRotateControls scale={scale} setScale={setScale} setRotation={setRotation} minScale={0.1} maxScale={8} />
      </div>
      <div className="image-stage">
        <img
          alt={alt}
          onError={onFailure}
          ref={sourceRef}
          className="zoomable"
          style={{ transform: `scale(${scale}) rotate(${rotation}deg)` }}
        />
      </div>
    </div>
  );
}
