import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Toolbar } from 'react-aria-components';
import { NotebookPen, SquareDashed, Tag } from 'lucide-react';
import { ANNOTATION_COLORS, type AnnotationColor } from '../vault';
import './annotations.css';

/** Space between the selection and the toolbar, in CSS pixels. */
const GAP = 8;

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

  useLayoutEffect(() => {
    const box = element.current?.getBoundingClientRect();
    if (box && (box.width !== size.width || box.height !== size.height))
      setSize({ width: box.width, height: box.height });
  }, [anchor, size]);

  // Below the selection, or above it when there is no room below; kept inside the window (a selection scrolled
  // out of view keeps its toolbar at the window's edge, still reachable).
  const below = anchor.bottom + GAP + size.height <= window.innerHeight;
  const wanted = below ? anchor.bottom + GAP : anchor.top - GAP - size.height;
  const top = Math.min(Math.max(GAP, wanted), window.innerHeight - size.height - GAP);
  const left = Math.min(Math.max(GAP, anchor.left), window.innerWidth - size.width - GAP);

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
