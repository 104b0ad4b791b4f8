import type { AnnotationColor, AnnotationRecord, Rect } from '../../vault';

/**
 * What one stored annotation becomes in an annotated copy: standard PDF annotations any reader shows (ISO 32000-1
 * §12.5.6). A text highlight gives one Highlight per page it touches, its QuadPoints one per rectangle drawn when it
 * was made; a region on a PDF page gives a Square. Contents carries the note (and a region's transcription) as
 * Unicode: the writer stores it as a UTF-16BE text string, so Khmer survives. Rectangles are stored in PDF user
 * space (points, origin bottom-left: pdf-selection.ts), which is what annotation dictionaries use, so they are
 * copied, not converted.
 */
export interface PdfAnnotationSpec {
  /** 0-based page index. */
  page: number;
  subtype: 'Highlight' | 'Square';
  /** [llx, lly, urx, ury]. */
  rect: [number, number, number, number];
  /** Highlight only: 8 numbers per rectangle (upper-left, upper-right, lower-left, lower-right). */
  quadPoints: number[] | null;
  contents: string;
  /** DeviceRGB, 0–1. */
  color: [number, number, number];
  /** The annotation's id in the vault (the PDF's /NM), shared by the parts of one cross-page highlight. */
  name: string;
  /** Milliseconds since the epoch (the PDF's /M and /CreationDate). */
  created: number;
  modified: number;
}

/** The app's palette (styles/app.css `.color-*`) in DeviceRGB. */
export const PDF_COLORS: Record<AnnotationColor, [number, number, number]> = {
  yellow: [0xf2 / 255, 0xd6 / 255, 0],
  green: [0x3f / 255, 0xb9 / 255, 0x50 / 255],
  blue: [0x3b / 255, 0x82 / 255, 0xf6 / 255],
  pink: [0xec / 255, 0x48 / 255, 0x99 / 255],
  orange: [0xf9 / 255, 0x73 / 255, 0x16 / 255],
};

const round = (value: number) => Math.round(value * 1000) / 1000;

function boundingBox(rects: readonly Rect[]): [number, number, number, number] {
  const left = Math.min(...rects.map((rect) => rect.x));
  const bottom = Math.min(...rects.map((rect) => rect.y));
  const right = Math.max(...rects.map((rect) => rect.x + rect.width));
  const top = Math.max(...rects.map((rect) => rect.y + rect.height));
  return [round(left), round(bottom), round(right), round(top)];
}

/** The order readers expect (Acrobat's, which pdf.js and Poppler follow): top edge left→right, then bottom edge. */
function quadPointsOf(rect: Rect): number[] {
  const [left, bottom, right, top] = [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height].map(round) as [
    number,
    number,
    number,
    number,
  ];
  return [left, top, right, top, left, bottom, right, bottom];
}

/** The note, then a region's transcription in quotes (what the user read there), each only when written. */
function contentsOf(record: AnnotationRecord): string {
  const parts = [record.note.trim()];
  if (record.target.kind === 'region' && record.target.transcription.trim() !== '')
    parts.push(`“${record.target.transcription.trim()}”`);
  return parts.filter((part) => part !== '').join('\n\n');
}

/**
 * The PDF annotations for one stored annotation of a PDF: none for a region on an image (no page) or for a text
 * segment without rectangles (nothing to draw; its quote stays in the vault and in the W3C export).
 */
export function pdfAnnotationSpecs(record: AnnotationRecord): PdfAnnotationSpec[] {
  const common = {
    contents: contentsOf(record),
    color: PDF_COLORS[record.color],
    name: record.id,
    created: record.createdAt,
    modified: record.updatedAt,
  };
  const target = record.target;
  if (target.kind === 'region') {
    if (target.page === null || target.rect.width === 0 || target.rect.height === 0) return [];
    return [{ ...common, page: target.page, subtype: 'Square', rect: boundingBox([target.rect]), quadPoints: null }];
  }
  return target.segments.flatMap((segment) => {
    const rects = segment.rects.filter((rect) => rect.width > 0 && rect.height > 0);
    if (rects.length === 0) return [];
    return [
      {
        ...common,
        page: segment.page,
        subtype: 'Highlight' as const,
        rect: boundingBox(rects),
        quadPoints: rects.flatMap(quadPointsOf),
      },
    ];
  });
}
