import type { PdfDocument } from './pdfjs';

/** One outline (bookmark) entry of a PDF, its destination resolved to a page. */
export interface OutlineEntry {
  /** Unique in the outline: the entry's path of indices, e.g. "1.0". */
  id: string;
  title: string;
  /** The 1-based page it goes to; null for an entry that goes nowhere in this document (a web link, a bad dest). */
  page: number | null;
  /** A link out of the document (never followed: the app is offline). */
  external: boolean;
  children: OutlineEntry[];
}

/** What pdf.js says of one outline entry (the parts read here). */
interface RawOutlineItem {
  title: string;
  dest: string | unknown[] | null;
  url: string | null;
  unsafeUrl?: string;
  items: RawOutlineItem[];
}

/** Outline nesting kept at most this deep (a hostile PDF could nest without end). */
const MAX_DEPTH = 16;
/** Entries read at most (the rest are left out). */
const MAX_ENTRIES = 2_000;

/**
 * The document's outline with each destination resolved to a page: a named destination through getDestination,
 * a page reference through getPageIndex, a page index as it is. An entry whose destination cannot be resolved keeps
 * its place, with no page. An empty list when the document has no outline.
 */
export async function readPdfOutline(document: PdfDocument): Promise<OutlineEntry[]> {
  const outline = (await document.getOutline()) as RawOutlineItem[] | null;
  let budget = MAX_ENTRIES;

  async function pageOf(dest: RawOutlineItem['dest']): Promise<number | null> {
    try {
      const explicit = typeof dest === 'string' ? await document.getDestination(dest) : dest;
      if (!Array.isArray(explicit) || explicit.length === 0) return null;
      const target: unknown = explicit[0];
      const index =
        typeof target === 'number'
          ? target
          : target && typeof target === 'object' && 'num' in target && 'gen' in target
            ? await document.getPageIndex(target as { num: number; gen: number })
            : null;
      return index !== null && Number.isInteger(index) && index >= 0 && index < document.numPages ? index + 1 : null;
    } catch {
      return null;
    }
  }

  async function read(items: readonly RawOutlineItem[], path: string, depth: number): Promise<OutlineEntry[]> {
    const entries: OutlineEntry[] = [];
    for (const [index, item] of items.entries()) {
      if (budget-- <= 0) break;
      const id = path ? `${path}.${index}` : String(index);
      const external = Boolean(item.url ?? item.unsafeUrl);
      entries.push({
        id,
        title: item.title.trim() || '—',
        page: external ? null : await pageOf(item.dest),
        external,
        children: depth < MAX_DEPTH ? await read(item.items, id, depth + 1) : [],
      });
    }
    return entries;
  }

  return outline ? read(outline, '', 1) : [];
}

/** The ids of every entry that has children (to show the outline expanded). */
export function parentIds(entries: readonly OutlineEntry[]): string[] {
  return entries.flatMap((entry) => (entry.children.length > 0 ? [entry.id, ...parentIds(entry.children)] : []));
}
