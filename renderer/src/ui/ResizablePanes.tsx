import type { ReactNode } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';

/**
 * Two panes side by side with a splitter the user can drag or move with the arrow keys. The sizes are
 * remembered per `id` (in localStorage: only the two percentages, nothing about what the panes show).
 */
export function ResizablePanes({
  id,
  label,
  start,
  end,
  startSize = '30',
  startMin = '18rem',
}: {
  id: string;
  /** Accessible name of the splitter, e.g. "Resize the case list". */
  label: string;
  start: ReactNode;
  end: ReactNode;
  startSize?: string;
  startMin?: string;
}) {
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({ id: `panes:${id}`, storage: localStorage });
  return (
    <Group orientation="horizontal" defaultLayout={defaultLayout} onLayoutChanged={onLayoutChanged} className="panes">
      <Panel id="start" defaultSize={startSize} minSize={startMin} className="pane">
        {start}
      </Panel>
      <Separator className="pane-separator" aria-label={label} />
      <Panel id="end" minSize="20rem" className="pane">
        {end}
      </Panel>
    </Group>
  );
}
