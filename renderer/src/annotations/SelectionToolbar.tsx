import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Toolbar } from 'react-aria-components';
import { NotebookPen, SquareDashed, Tag } from 'lucide-react';
import { ANNOTATION_COLORS, type AnnotationColor } from '../vault';
import './annotations.css';

/** Space between the selection and the toolbar, in CSS pixels. */
const GAP = 8;
/** Least space between the toolbar and the edges of the area it is kept in, in CSS pixels. */
const MARGIN = 8;

/** A box in viewport coordinates (a DOMRect is one). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** One axis of the placement: `wanted` moved as little as needed to put [start, start + size] inside [low, high]. */
function clampAxis(wanted: number, size: number, low: number, high: number): number {
  return Math.max(low, Math.min(wanted, high - size));
}

/**
 * Where the selection toolbar goes: below the selection, or above it when there is no room below (and more above),
 * its left edge at the selection's; then moved, as little as it takes, to lie wholly inside `area` (the reader's
 * visible page area, itself cut to the window) at least `margin` from each edge. On an axis where the toolbar is
 * bigger than the area, it is kept inside the window instead, still `margin` from its edges where it fits.
 */
export function placeSelectionToolbar(
  anchor: Box,
  size: { width: number; height: number },
  area: Box,
  viewport: { width: number; height: number },
  gap = GAP,
  margin = MARGIN,
): { left: number; top: number } {
  // The area, cut to the window.
  const bounds = {
    left: Math.max(area.left, 0),
    top: Math.max(area.top, 0),
    right: Math.min(area.right, viewport.width),
    bottom: Math.min(area.bottom, viewport.height),
  };
  // The span the toolbar may use on one axis: the area's, or the window's when it does not fit in the area.
  const range = (low: number, high: number, size: number, extent: number): [number, number] =>
    high - low - 2 * margin >= size ? [low + margin, high - margin] : [margin, extent - margin];

  const [top, bottom] = range(bounds.top, bounds.bottom, size.height, viewport.height);
  const roomBelow = bottom - (anchor.bottom + gap);
  const roomAbove = anchor.top - gap - top;
  const below = roomBelow >= size.height || roomBelow >= roomAbove;
  const wantedTop = below ? anchor.bottom + gap : anchor.top - gap - size.height;

  const [left, right] = range(bounds.left, bounds.right, size.width, viewport.width);
  return {
    left: clampAxis(anchor.left, size.width, left, right),
    top: clampAxis(wantedTop, size.height, top, bottom),
  };
}

/** The current text selection's box in the viewport, or null when nothing (or only a caret) is selected. */
export function selectionBox(): DOMRect | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const box = selection.getRangeAt(0).getBoundingClientRect();
  return box.width === 0 && box.height === 0 ? null : box;
}

/**
 * A small toolbar next to a text selection, so annotating happens where the user reads: a colour highlights the
 * selection in it; Note and Tag highlight it and open the note or the tags; Region switches to drawing a region.
 */
export function SelectionToolbar({
  anchor,
  disabled,
  onColor,
  onNote,
  onTag,
  onRegion,
}: {
  /** The selection's box in the viewport. */
  anchor: DOMRect;
  disabled: boolean;
  onColor: (color: AnnotationColor) => void;
  onNote: () => void;
  onTag: () => void;
  /** Absent where regions cannot be drawn (plain text). */
  onRegion?: () => void;
}) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [area, setArea] = useState<Box | null>(null);

  // The toolbar's own size, and the area it is kept in: the reader's page area (the pages, or the image or text)
  // where there is one, else the window.
  useLayoutEffect(() => {
    const box = element.current?.getBoundingClientRect();
    if (box && (box.width !== size.width || box.height !== size.height))
      setSize({ width: box.width, height: box.height });
    const page = element.current?.closest('.reader-page')?.getBoundingClientRect();
    if (
      page &&
      (!area ||
        page.left !== area.left ||
        page.top !== area.top ||
        page.right !== area.right ||
        page.bottom !== area.bottom)
    )
      setArea({ left: page.left, top: page.top, right: page.right, bottom: page.bottom });
  }, [anchor, size, area]);

  // Beside the selection, inside the page area (a selection scrolled out of view keeps its toolbar at the area's
  // edge, still reachable).
  const viewport = { width: window.innerWidth, height: window.innerHeight };
  const { top, left } = placeSelectionToolbar(
    anchor,
    size,
    area ?? { left: 0, top: 0, right: viewport.width, bottom: viewport.height },
    viewport,
  );

  return (
    <div
      ref={element}
      className="selection-toolbar"
      style={{ top, left }}
      // Pressing a button must not move focus or clear the selection it acts on.
      onMouseDown={(event) => event.preventDefault()}
    >
      <Toolbar aria-label={t('annotations.selectionTools')}>
        <div className="swatches" role="group" aria-label={t('annotations.highlightIn')}>
          {ANNOTATION_COLORS.map((color, index) => (
            <button
              key={color}
              type="button"
              className={`color-swatch color-${color}`}
              disabled={disabled}
              aria-label={t('annotations.highlightColor', { color: t(`annotations.colors.${color}`) })}
              title={t(`annotations.colors.${color}`)}
              aria-keyshortcuts={index === 0 ? 'Control+Shift+H' : undefined}
              onClick={() => onColor(color)}
            />
          ))}
        </div>
        <button type="button" disabled={disabled} onClick={onNote}>
          <NotebookPen aria-hidden="true" size={16} /> {t('annotations.addNote')}
        </button>
        <button type="button" disabled={disabled} onClick={onTag}>
          <Tag aria-hidden="true" size={16} /> {t('annotations.addTag')}
        </button>
        {onRegion && (
          <button type="button" onClick={onRegion}>
            <SquareDashed aria-hidden="true" size={16} /> {t('annotations.regionTool')}
          </button>
        )}
      </Toolbar>
    </div>
  );
}
