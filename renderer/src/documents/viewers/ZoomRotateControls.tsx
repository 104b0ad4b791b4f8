import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { MoveHorizontal, RotateCw, ZoomIn, ZoomOut } from 'lucide-react';

const ZOOM_STEP = 1.25;

/** Zoom out / level / zoom in / (fit width) / rotate, shared by the viewers' toolbars: icons, named for everyone. */
export function ZoomRotateControls({
  scale,
  setScale,
  setRotation,
  minScale,
  maxScale,
  onFitWidth,
}: {
  scale: number;
  setScale: Dispatch<SetStateAction<number>>;
  setRotation: Dispatch<SetStateAction<number>>;
  minScale: number;
  maxScale: number;
  /** Back to the page as wide as the pane (the PDF reader's default). */
  onFitWidth?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={t('viewer.zoomOut')}
        title={t('viewer.zoomOut')}
        onClick={() => setScale((value) => Math.max(minScale, value / ZOOM_STEP))}
      >
        <ZoomOut aria-hidden="true" size={16} />
      </button>
      <span>{Math.round(scale * 100)}%</span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('viewer.zoomIn')}
        title={t('viewer.zoomIn')}
        onClick={() => setScale((value) => Math.min(maxScale, value * ZOOM_STEP))}
      >
        <ZoomIn aria-hidden="true" size={16} />
      </button>
      {onFitWidth && (
        <button
          type="button"
          className="icon-button"
          aria-label={t('viewer.fitWidth')}
          title={t('viewer.fitWidth')}
          onClick={onFitWidth}
        >
          <MoveHorizontal aria-hidden="true" size={16} />
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={t('viewer.rotate')}
        title={t('viewer.rotate')}
        onClick={() => setRotation((value) => (value + 90) % 360)}
      >
        <RotateCw aria-hidden="true" size={16} />
      </button>
    </>
  );
}
