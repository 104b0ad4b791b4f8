import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { MoveHorizontal, RotateCw, ZoomIn, ZoomOut } from 'lucide-react';
import { IconButton } from '../../ui';

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
      <IconButton
        icon={ZoomOut}
        label={t('viewer.zoomOut')}
        onClick={() => setScale((value) => Math.max(minScale, value / ZOOM_STEP))}
      />
      <span>{Math.round(scale * 100)}%</span>
      <IconButton
        icon={ZoomIn}
        label={t('viewer.zoomIn')}
        onClick={() => setScale((value) => Math.min(maxScale, value * ZOOM_STEP))}
      />
      {onFitWidth && <IconButton icon={MoveHorizontal} label={t('viewer.fitWidth')} onClick={onFitWidth} />}
      <IconButton
        icon={RotateCw}
        label={t('viewer.rotate')}
        onClick={() => setRotation((value) => (value + 90) % 360)}
      />
    </>
  );
}
