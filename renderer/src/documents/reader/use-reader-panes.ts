import { useCallback, useState } from 'react';
import { useDefaultLayout, usePanelRef, type PanelSize } from 'react-resizable-panels';

/**
 * One collapsible side pane of the reader: its imperative handle, whether it is open, and a toggle.
 * Open follows the pane's size, so dragging it shut counts as closing it.
 */
export function useSidePane(initiallyOpen = true) {
  const ref = usePanelRef();
  const [open, setOpen] = useState(initiallyOpen);
  const onResize = useCallback((size: PanelSize) => setOpen(size.asPercentage > 0), []);
  const toggle = useCallback(() => {
    const panel = ref.current;
    if (!panel) return;
    if (panel.isCollapsed()) panel.expand();
    else panel.collapse();
  }, [ref]);
  const unfold = useCallback(() => {
    if (ref.current?.isCollapsed()) ref.current.expand();
  }, [ref]);
  return { ref, open, onResize, toggle, unfold };
}

/**
 * The reader's pane sizes, remembered in localStorage between openings. Only sizes are stored (percentages by
 * pane id), nothing about any document; a layout per set of panes, as images and text have no thumbnail pane.
 */
export function useRememberedPaneSizes(panes: 'pdf' | 'other') {
  return useDefaultLayout({ id: `evidence-vault.reader-panes.${panes}`, storage: localStorage });
}
