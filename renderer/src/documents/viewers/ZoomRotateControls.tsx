import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';

const ZOOM_STEP = 1.25;

/** Zoom out / level / zoom in / rotate, shared by the viewers' toolbars. */
export function ZoomRotateControls({
  scale,
  setScale,
  setRotation,
  minScale,
  maxScale,
}: {
  scale: number;
  setScale: Dispatch<SetStateAction<number>>;
  setRotation: Dispatch<SetStateAction<number>>;
  minScale: number;
  maxScale: number;
}) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" onClick={() => setScale((value) => Math.max(minScale, value / ZOOM_STEP))}>
        {t('viewer.zoomOut')}
      </button>
      <span>{Math.round(scale * 100)}%</span>
      <button type="button" onClick={() => setScale((value) => Math.min(maxScale, value * ZOOM_STEP))}>
        {t('viewer.zoomIn')}
      </button>
      <button type="button" onClick={() => setRotation((value) => (value + 90) % 360)}>
        {t('viewer.rotate')}
      </button>
    </>
  );
}
