import { useEffect, useMemo, useRef } from 'react';

export interface TextHighlight {
  id: string;
  className: string;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
}

const NONE: readonly TextHighlight[] = [];

/** Splits the text where highlights begin and end; each piece knows the highlights covering it. */
function pieces(text: string, highlights: readonly TextHighlight[]) {
  const cuts = [...new Set([0, text.length, ...highlights.flatMap((h) => [h.start, h.end])])]
    .filter((cut) => cut >= 0 && cut <= text.length)
    .sort((a, b) => a - b);
  return cuts.slice(0, -1).map((from, index) => {
    const to = cuts[index + 1]!;
    return { from, to, covering: highlights.filter((h) => h.start <= from && to <= h.end) };
  });
}

/**
 * Plain text and Markdown shown as text, never interpreted as HTML, with
 * highlights; selections are reported as offsets into the text.
 */
export function TextViewer({
  text,
  label,
  highlights = NONE,
  onSelection,
  focus,
}: {
  text: string;
  label: string;
  highlights?: readonly TextHighlight[];
  onSelection?: (range: { start: number; end: number } | null) => void;
  focus?: { id: string; nonce: number } | null;
}) {
  const pre = useRef<HTMLPreElement>(null);
  const parts = useMemo(() => pieces(text, highlights), [text, highlights]);

  useEffect(() => {
    if (!onSelection) return;
    const report = () => {
      const selection = window.getSelection();
      const root = pre.current;
      if (!root || !selection || selection.isCollapsed || selection.rangeCount === 0) return onSelection(null);
      const range = selection.getRangeAt(0);
      if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return onSelection(null);
      const offset = (node: Node, at: number) => {
        const before = window.document.createRange();
        before.setStart(root, 0);
        before.setEnd(node, at);
        return before.toString().length;
      };
      onSelection({
        start: offset(range.startContainer, range.startOffset),
        end: offset(range.endContainer, range.endOffset),
      });
    };
    window.document.addEventListener('selectionchange', report);
    return () => window.document.removeEventListener('selectionchange', report);
  }, [onSelection]);

  useEffect(() => {
    if (!focus) return;
    for (const flashed of pre.current?.querySelectorAll('.flash') ?? []) flashed.classList.remove('flash');
    const marks = pre.current?.querySelectorAll(`[data-annotation-id="${focus.id}"]`) ?? [];
    marks[0]?.scrollIntoView({ block: 'center' });
    for (const mark of marks) {
      mark.classList.remove('flash');
      void (mark as HTMLElement).offsetWidth;
      mark.classList.add('flash');
    }
  }, [focus]);

  return (
    <pre ref={pre} className="text-viewer" tabIndex={0} aria-label={label}>
      {parts.map(({ from, to, covering }) =>
        covering.length === 0 ? (
          text.slice(from, to)
        ) : (
          <mark key={from} className={covering.map((h) => h.className).join(' ')} data-annotation-id={covering[0]!.id}>
            {text.slice(from, to)}
          </mark>
        ),
      )}
    </pre>
  );
}
