import {
  EncryptedPDFError,
  PDFDocument,
  PDFHexString,
  PDFDict,
  PDFName,
  PDFRef,
  PDFString,
  StandardFonts,
  type PDFPage,
} from '@cantoo/pdf-lib';
import { LineTypesetter, ShapedFont, hasKhmer, type KhmerFontFiles } from './page-text';
import type { PdfAnnotationSpec } from './pdf-annotations';

/**
 * Writes an annotated copy as a PDF incremental update (ISO 32000-1 §7.5.6): the original's bytes are left as
 * they are, as the first bytes of the copy, and the annotations and the summary page are appended after them. So
 * the pages, their content streams and everything else of the original are byte-identical by construction, and
 * anyone can check it: the copy's first `originalSize` bytes hash to the original's SHA-256. Runs in a worker
 * (annotated-pdf.worker.ts) and in Node tests; it never sees a key, only the document's decrypted bytes.
 */

/** One line of the summary page. */
export interface SummaryLine {
  text: string;
  style: 'title' | 'heading' | 'body' | 'mono';
}

export interface AnnotatedCopyInput {
  original: Uint8Array;
  annotations: readonly PdfAnnotationSpec[];
  summary: readonly SummaryLine[];
  /**
   * The summary's full text (Unicode, any script) as a note on the summary page, which readers list with the other
   * annotations: the page shows Latin and Khmer script, and a name in another script as "?".
   */
  summaryNote: string;
  /** Who wrote the annotations, as readers show it (the PDF's /T). */
  author: string;
}

export type AnnotatedCopyResult =
  | {
      ok: true;
      bytes: Uint8Array<ArrayBuffer>;
      /** SHA-256 (hex) of `bytes`, to compare with what the save read back. */
      sha256: string;
      written: number;
      /** Annotations whose page is not in this PDF (none unless the record is wrong): left out. */
      skipped: number;
    }
  | { ok: false; reason: 'encrypted' | 'unreadable' | 'timeout' };

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const STYLE = {
  title: { size: 16, gap: 26 },
  heading: { size: 11, gap: 20 },
  body: { size: 10, gap: 14 },
  mono: { size: 8.5, gap: 12 },
} as const;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function annotationDictionary(document: PDFDocument, page: PDFPage, spec: PdfAnnotationSpec, author: string) {
  return document.context.obj({
    Type: 'Annot',
    Subtype: spec.subtype,
    Rect: spec.rect,
    ...(spec.quadPoints ? { QuadPoints: spec.quadPoints } : { BS: { W: 2 } }),
    // UTF-16BE text strings (with their byte-order mark): a note in Khmer reads back as written.
    Contents: PDFHexString.fromText(spec.contents),
    T: PDFHexString.fromText(author),
    NM: PDFHexString.fromText(spec.name),
    C: spec.color,
    CA: spec.subtype === 'Highlight' ? 0.5 : 1,
    // Print: the annotations appear when the copy is printed for a court.
    F: 4,
    P: page.ref,
    M: PDFString.fromDate(new Date(spec.modified)),
    CreationDate: PDFString.fromDate(new Date(spec.created)),
  });
}

/**
 * The objects of the original that the update rewrites. pdf-lib can find them itself (it watches every change once a
 * document is loaded for an incremental update), but each change then searches the whole document for the object
 * holding it: minutes for a few hundred pages. What this writer changes is known, so it says so instead.
 */
class ChangedObjects {
  readonly refs: PDFRef[] = [];

  /** The object `value` is in: `ref` itself when the value is an indirect object, else `holder` (which holds it). */
  add(holder: PDFRef, value: unknown): void {
    this.refs.push(value instanceof PDFRef ? value : holder);
  }
}

/**
 * Appends to a page's /Annots and to nothing else. pdf-lib's own `addAnnot` first "normalizes" the page, wrapping
 * its content streams in new q/Q streams and adding resources: the original page would no longer be the original.
 */
function appendAnnotation(page: PDFPage, annotation: PDFRef, changed: ChangedObjects): void {
  const existing = page.node.Annots();
  if (existing) existing.push(annotation);
  else page.node.set(PDFName.of('Annots'), page.doc.context.obj([annotation]));
  changed.add(page.ref, page.node.get(PDFName.of('Annots')));
}

/** A new page changes its ancestors in the page tree: the parent's /Kids, every ancestor's /Count. */
function markPageTreeOf(page: PDFPage, changed: ChangedObjects): void {
  let parent = page.node.get(PDFName.of('Parent'));
  // A crafted page tree may loop (a node its own ancestor): each node is marked once.
  const seen = new Set<string>();
  while (parent instanceof PDFRef && !seen.has(parent.toString())) {
    seen.add(parent.toString());
    changed.refs.push(parent);
    parent = page.doc.context.lookupMaybe(parent, PDFDict)?.get(PDFName.of('Parent'));
  }
}

/** The summary's fonts: standard ones for Latin text; the bundled Khmer font, shaped, when there is Khmer text. */
async function summaryTypesetters(
  document: PDFDocument,
  summary: readonly SummaryLine[],
  loadKhmerFonts: () => Promise<KhmerFontFiles>,
) {
  const [regular, bold, mono] = await Promise.all([
    document.embedFont(StandardFonts.Helvetica),
    document.embedFont(StandardFonts.HelveticaBold),
    document.embedFont(StandardFonts.Courier),
  ]);
  const khmerIn = (styles: SummaryLine['style'][]) =>
    summary.some((line) => styles.includes(line.style) && hasKhmer(line.text));
  const wantRegular = khmerIn(['body', 'mono']);
  const wantBold = khmerIn(['title', 'heading']);
  const files = wantRegular || wantBold ? await loadKhmerFonts() : null;
  const khmerRegular = files && wantRegular ? await ShapedFont.load(files.regular, document.context.nextRef()) : null;
  const khmerBold = files && wantBold ? await ShapedFont.load(files.bold, document.context.nextRef()) : null;
  const typesetters = {
    title: new LineTypesetter(bold, khmerBold, STYLE.title.size),
    heading: new LineTypesetter(bold, khmerBold, STYLE.heading.size),
    body: new LineTypesetter(regular, khmerRegular, STYLE.body.size),
    mono: new LineTypesetter(mono, khmerRegular, STYLE.mono.size),
  };
  const khmerFonts = [khmerRegular, khmerBold].filter((font) => font !== null);
  return { typesetters, khmerFonts };
}

async function addSummaryPages(
  document: PDFDocument,
  input: AnnotatedCopyInput,
  changed: ChangedObjects,
  loadKhmerFonts: () => Promise<KhmerFontFiles>,
): Promise<void> {
  const { typesetters, khmerFonts } = await summaryTypesetters(document, input.summary, loadKhmerFonts);
  const width = A4[0] - 2 * MARGIN;
  let page = document.addPage(A4);
  markPageTreeOf(page, changed);
  let y = A4[1] - MARGIN;

  // The whole summary in Unicode, as a note readers list with the other annotations.
  const note = document.context.obj({
    Type: 'Annot',
    Subtype: 'Text',
    Rect: [A4[0] - MARGIN, A4[1] - MARGIN - 20, A4[0] - MARGIN + 20, A4[1] - MARGIN],
    Contents: PDFHexString.fromText(input.summaryNote),
    T: PDFHexString.fromText(input.author),
    Name: 'Note',
    F: 4,
    P: page.ref,
  });
  appendAnnotation(page, document.context.register(note), changed);

  for (const line of input.summary) {
    const typesetter = typesetters[line.style];
    for (const part of typesetter.wrap(line.text, width)) {
      const gap = typesetter.lineGap(part, STYLE[line.style].gap);
      if (y - gap < MARGIN) {
        page = document.addPage(A4);
        markPageTreeOf(page, changed);
        y = A4[1] - MARGIN;
      }
      y -= gap;
      typesetter.draw(page, part, MARGIN, y);
    }
  }
  // The Khmer fonts last: only now are all the glyphs they need known.
  for (const font of khmerFonts) await font.embed(document.context);
}

/** `loadKhmerFonts` is called only when the summary has Khmer text. */
export async function writeAnnotatedPdf(
  input: AnnotatedCopyInput,
  loadKhmerFonts: () => Promise<KhmerFontFiles>,
): Promise<AnnotatedCopyResult> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(input.original, { forIncrementalUpdate: true, updateMetadata: false });
  } catch (caught) {
    return { ok: false, reason: caught instanceof EncryptedPDFError ? 'encrypted' : 'unreadable' };
  }
  // Changes go unwatched (see ChangedObjects) and are handed to the snapshot before the commit.
  const snapshot = document.context.snapshot!;
  document.context.snapshot = undefined;
  const changed = new ChangedObjects();
  const pages = document.getPages();
  let written = 0;
  for (const spec of input.annotations) {
    const page = pages[spec.page];
    if (!page) continue;
    const annotation = document.context.register(annotationDictionary(document, page, spec, input.author));
    appendAnnotation(page, annotation, changed);
    written += 1;
  }
  await addSummaryPages(document, input, changed, loadKhmerFonts);
  snapshot.markRefsForSave(changed.refs);
  document.context.snapshot = snapshot;
  // Classic cross-reference sections, which every reader follows from an original's table or stream alike.
  const bytes = await document.commit({ useObjectStreams: false });
  return { ok: true, bytes, sha256: await sha256Hex(bytes), written, skipped: input.annotations.length - written };
}
