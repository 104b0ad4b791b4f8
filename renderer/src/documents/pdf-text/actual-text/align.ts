import type { MarkEvent } from './content-marks';

/** What getTextContent gives with `includeMarkedContent`: text items and marked-content events. */
export type MarkedContentItem<T> = T | MarkedContentEvent;

/** `beginMarkedContent`, `beginMarkedContentProps` (with its tag) or `endMarkedContent`. */
interface MarkedContentEvent {
  type: string;
  tag?: string | null;
}

/** Text items [first, last] (indexes among the text items alone) whose text is `text`, from a span's /ActualText. */
export interface ActualTextSpan {
  first: number;
  last: number;
  text: string;
}

const isEvent = <T extends object>(item: T | MarkedContentEvent): item is MarkedContentEvent =>
  'type' in item && !('str' in item);

/**
 * The text items alone, and the spans whose /ActualText stands for them.
 * `marks` are the page's events as read from its content (content-marks.ts);
 * they are used only if their begins are pdf.js's begins, one for one, with
 * the same tags: anything else (a page read differently, a form pdf.js did
 * not walk) gives no spans, and the page's text is pdf.js's as before. An
 * /ActualText inside another one is part of the outer one's text. A span
 * runs from its first item with a glyph to its last.
 */
export function alignActualText<T extends { str: string }>(
  items: readonly MarkedContentItem<T>[],
  marks: readonly MarkEvent[] | null,
): { items: T[]; spans: ActualTextSpan[] } {
  const textItems = items.filter((item): item is T => !isEvent(item));
  const begins = marks?.filter((mark): mark is Extract<MarkEvent, { begin: string }> => 'begin' in mark) ?? [];
  const pdfjsBegins = items.filter(isEvent).filter((item) => item.type !== 'endMarkedContent');
  if (
    begins.length === 0 ||
    begins.length !== pdfjsBegins.length ||
    pdfjsBegins.some((item, index) => (item.tag ?? '') !== begins[index]!.begin)
  )
    return { items: textItems, spans: [] };

  const spans: ActualTextSpan[] = [];
  /** For each open span, its /ActualText (null: none). */
  const open: (string | null)[] = [];
  /** The outermost open span with /ActualText: the one whose text stands for the items inside. */
  let current: { depth: number; text: string; first: number; last: number } | null = null;
  let beginIndex = 0;
  let textIndex = 0;
  for (const item of items) {
    if (!isEvent(item)) {
      // A white-space item is pdf.js's own (a gap, a line end), not a glyph of the span: before the span's first
      // glyph or after its last, it stays where it is.
      if (current && item.str.trim() !== '') {
        if (current.first < 0) current.first = textIndex;
        current.last = textIndex;
      }
      textIndex++;
    } else if (item.type === 'endMarkedContent') {
      open.pop();
      if (current && open.length < current.depth) {
        if (current.first >= 0 && current.text !== '')
          spans.push({ first: current.first, last: current.last, text: current.text });
        current = null;
      }
    } else {
      const actualText = begins[beginIndex++]!.actualText;
      open.push(actualText);
      if (!current && actualText !== null) current = { depth: open.length, text: actualText, first: -1, last: -1 };
    }
  }
  return { items: textItems, spans };
}
