import {
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  beginText,
  endMarkedContent,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setFillingGrayscaleColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  type PDFFont,
  type PDFPage,
} from '@cantoo/pdf-lib';
import { KHMER, wrapLine } from './line-breaks';
import type { ShapedFont } from './shaped-font';

/** A stretch of Khmer: its letters, then also the joiners, zero-width spaces and dotted circle between them. */
const KHMER_RUN = /[\u1780-\u17FF\u19E0-\u19FF][\u1780-\u17FF\u19E0-\u19FF\u200B-\u200D\u25CC]*/gu;

/** A Khmer line needs room for stacked vowels above and subscripts below (down to about half an em). */
const KHMER_LINE_HEIGHT = 1.75;

export const hasKhmer = (text: string): boolean => KHMER.test(text);

/** Text the standard font can show: invisible format characters left out, any other character it lacks as "?". */
function latinSafe(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return [...text.replace(/\p{Cf}/gu, '')].map((char) => (supported.has(char.codePointAt(0)!) ? char : '?')).join('');
}

interface Run {
  text: string;
  khmer: boolean;
}

/**
 * Lines of one size: Khmer runs in the bundled Khmer font, shaped (ShapedFont), the rest in a standard PDF font as
 * before. Without a Khmer font (a summary with no Khmer text), every run is the standard font's.
 */
export class LineTypesetter {
  constructor(
    private readonly latin: PDFFont,
    private readonly khmer: ShapedFont | null,
    readonly size: number,
  ) {}

  /** Every white space as a plain space (the summary's fields may hold line breaks, tabs, em spaces…). */
  static oneLine(text: string): string {
    return text.replace(/\s/gu, ' ');
  }

  private runs(text: string): Run[] {
    if (!this.khmer) return [{ text, khmer: false }];
    const runs: Run[] = [];
    let last = 0;
    for (const match of text.matchAll(KHMER_RUN)) {
      if (match.index > last) runs.push({ text: text.slice(last, match.index), khmer: false });
      runs.push({ text: match[0], khmer: true });
      last = match.index + match[0].length;
    }
    if (last < text.length) runs.push({ text: text.slice(last), khmer: false });
    return runs;
  }

  /** The space from one baseline to the next this line needs, at least `gap`. */
  lineGap(text: string, gap: number): number {
    return this.khmer && hasKhmer(text) ? Math.max(gap, Math.ceil(this.size * KHMER_LINE_HEIGHT)) : gap;
  }

  /** `text`'s width in points. */
  width(text: string): number {
    let width = 0;
    for (const run of this.runs(text))
      width += run.khmer
        ? (this.khmer!.shape(run.text).advance * this.size) / this.khmer!.unitsPerEm
        : this.latin.widthOfTextAtSize(latinSafe(run.text, this.latin), this.size);
    return width;
  }

  wrap(text: string, maxWidth: number): string[] {
    return wrapLine(LineTypesetter.oneLine(text), maxWidth, (line) => this.width(line));
  }

  /** Draws one line (already wrapped) with its baseline's start at (x, y). */
  draw(page: PDFPage, text: string, x: number, y: number): void {
    let pen = x;
    for (const run of this.runs(text)) {
      if (!run.khmer) {
        const shown = latinSafe(run.text, this.latin);
        if (shown !== '') page.drawText(shown, { x: pen, y, size: this.size, font: this.latin });
        pen += this.latin.widthOfTextAtSize(shown, this.size);
        continue;
      }
      const khmer = this.khmer!;
      const shaped = khmer.shape(run.text);
      const scale = this.size / khmer.unitsPerEm;
      // Each glyph where the shaper put it. The run's text is also its /ActualText (ISO 32000-1 §14.9.4), which
      // readers that follow it copy and search instead of the glyphs' own ToUnicode text (pdf.js does not).
      page.pushOperators(
        pushGraphicsState(),
        PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
          PDFName.of('Span'),
          page.doc.context.obj({ ActualText: PDFHexString.fromText(run.text) }).toString(),
        ]),
        beginText(),
        setFillingGrayscaleColor(0),
        setFontAndSize(khmer.keyOn(page), this.size),
        ...shaped.glyphs.flatMap((glyph) => [
          setTextMatrix(1, 0, 0, 1, round(pen + glyph.x * scale), round(y + glyph.y * scale)),
          showText(khmer.encode([glyph])),
        ]),
        endText(),
        endMarkedContent(),
        popGraphicsState(),
      );
      pen += shaped.advance * scale;
    }
  }
}

/** Positions to a thousandth of a point: exact enough, and short in the content stream. */
const round = (value: number) => Math.round(value * 1000) / 1000;
