import { PDFHexString, type PDFContext, type PDFName, type PDFPage, type PDFRef } from '@cantoo/pdf-lib';
import type * as Fontkit from '@pdf-lib/fontkit';
import type * as HarfBuzzModule from 'harfbuzzjs';
import { woffToSfnt } from './woff';
import { toUnicodeCMap } from './to-unicode';

type HarfBuzz = typeof HarfBuzzModule;

let harfBuzz: Promise<HarfBuzz> | undefined;
/** HarfBuzz (WebAssembly) is loaded the first time a summary has Khmer text: an English copy never loads it. */
const loadHarfBuzz = () => (harfBuzz ??= import('harfbuzzjs'));

/** One glyph as the shaper placed it, in font units from the run's origin; `text` is what it stands for. */
export interface ShapedGlyph {
  gid: number;
  x: number;
  y: number;
  text: string;
  /**
   * Its width in the PDF (font units), which only text extraction uses (each glyph is placed by its own text
   * matrix): the whole cluster's advance for the glyph that carries the cluster's text, 0 for the others, so a
   * reader that adds up widths finds each cluster where it is and sees no gap to read as a space.
   */
  width: number;
}

export interface ShapedRun {
  glyphs: ShapedGlyph[];
  /** The run's width, in font units. */
  advance: number;
}

/**
 * A glyph that stands for no text of its own: the second and later glyphs of a cluster (a Khmer syllable's
 * subscript, its split or pre-base vowel…), whose text the cluster's first glyph carries. U+2060 WORD JOINER is a
 * format character that text extraction leaves out (pdf.js drops every \p{Cf}); readers that follow /ActualText
 * take the run's text from there instead.
 */
const NO_TEXT = '\u2060';

/** CIDs are two bytes (Identity-H); CID 0 is .notdef. */
const MAX_CID = 0xffff;

/**
 * A font the summary page draws shaped text with: HarfBuzz shapes (the engine Chromium itself shapes with, so the
 * page looks as the app does), and the font goes into the PDF as a Type 0 font (ISO 32000-1 §9.7) with only the
 * glyphs used (subset by fontkit). pdf-lib's own `drawText` is not used for it: it places glyphs by advance only
 * (Khmer's stacked marks need the shaper's offsets) and its ToUnicode would give the text back in visual order.
 *
 * Text stays copyable and searchable: each glyph is written with a CID of its own per text it stands for, the
 * cluster's first glyph mapped (ToUnicode) to the whole cluster's text in logical order, the others to NO_TEXT.
 */
export class ShapedFont {
  private readonly cids = new Map<string, number>();
  private readonly used: Omit<ShapedGlyph, 'x' | 'y'>[] = [];
  private readonly pageKeys = new WeakMap<PDFPage, PDFName>();

  private constructor(
    private readonly hb: HarfBuzz,
    private readonly font: InstanceType<HarfBuzz['Font']>,
    private readonly sfnt: Uint8Array,
    readonly unitsPerEm: number,
    /** Where the Type 0 font will be: pages refer to it before it is written (embed()). */
    readonly ref: PDFRef,
  ) {}

  /** `woff`: a WOFF 1.0 font file; `ref`: where the font object goes in the PDF. */
  static async load(woff: Uint8Array, ref: PDFRef): Promise<ShapedFont> {
    const hb = await loadHarfBuzz();
    const sfnt = woffToSfnt(woff);
    const face = new hb.Face(new hb.Blob(sfnt));
    return new ShapedFont(hb, new hb.Font(face), sfnt, face.upem, ref);
  }

  /** Shapes `text` (one line, one direction: left to right). */
  shape(text: string): ShapedRun {
    const buffer = new this.hb.Buffer();
    buffer.addText(text);
    buffer.guessSegmentProperties();
    this.hb.shape(this.font, buffer);
    const shaped = buffer.getGlyphInfosAndPositions();
    const glyphs: ShapedGlyph[] = [];
    let pen = 0;
    // Clusters are UTF-16 offsets into `text`, rising left to right (HarfBuzz's default cluster level): a
    // cluster's text runs from its offset to the next cluster's.
    for (let start = 0; start < shaped.length;) {
      const cluster = shaped[start]!.cluster;
      let end = start + 1;
      while (end < shaped.length && shaped[end]!.cluster === cluster) end++;
      const members = shaped.slice(start, end);
      const advance = members.reduce((sum, glyph) => sum + (glyph.xAdvance ?? 0), 0);
      const clusterText = text.slice(cluster, end < shaped.length ? shaped[end]!.cluster : text.length);
      for (const [index, glyph] of members.entries()) {
        glyphs.push({
          gid: glyph.codepoint,
          x: pen + (glyph.xOffset ?? 0),
          y: glyph.yOffset ?? 0,
          text: index === 0 ? clusterText : NO_TEXT,
          width: index === 0 ? advance : 0,
        });
        pen += glyph.xAdvance ?? 0;
      }
      start = end;
    }
    return { glyphs, advance: pen };
  }

  /** The CID a glyph is written with, for the text it stands for (numbered as first used). */
  cidOf(glyph: ShapedGlyph): number {
    const key = `${glyph.gid} ${glyph.width} ${glyph.text}`;
    let cid = this.cids.get(key);
    if (cid === undefined) {
      cid = this.used.length + 1;
      // The summary's text is bounded (its fields are), far below 65,535 distinct glyph-and-text pairs.
      if (cid > MAX_CID)
        throw new RangeError('The summary page has more distinct Khmer clusters than a font can hold.');
      this.cids.set(key, cid);
      this.used.push({ gid: glyph.gid, text: glyph.text, width: glyph.width });
    }
    return cid;
  }

  /** `glyphs` as the two-byte codes of a show-text operator. */
  encode(glyphs: readonly ShapedGlyph[]): PDFHexString {
    return PDFHexString.of(glyphs.map((glyph) => this.cidOf(glyph).toString(16).padStart(4, '0')).join(''));
  }

  /** The name `page`'s resources give this font (added the first time the page uses it). */
  keyOn(page: PDFPage): PDFName {
    let key = this.pageKeys.get(page);
    if (!key) {
      key = page.node.newFontDictionary('NotoSansKhmer', this.ref);
      this.pageKeys.set(page, key);
    }
    return key;
  }

  /** Writes the font (with the glyphs used so far) at `ref`. */
  async embed(context: PDFContext): Promise<void> {
    const fontkit = await loadFontkit();
    const font = fontkit.create(this.sfnt);
    const subset = font.createSubset();
    const cidToGid = new Uint8Array((this.used.length + 1) * 2);
    const view = new DataView(cidToGid.buffer);
    for (const [index, { gid }] of this.used.entries()) view.setUint16((index + 1) * 2, subset.includeGlyph(gid));
    const fontFile = await encodeSubset(subset);

    const scale = 1000 / this.unitsPerEm;
    const round = (value: number) => Math.round(value * scale);
    // A subset's name: six capital letters, "+", the font's own (ISO 32000-1 §9.6.4); here from the glyphs in it.
    const name = `${subsetTag(this.used)}+${font.postscriptName ?? 'NotoSansKhmer'}`;
    const descriptor = context.obj({
      Type: 'FontDescriptor',
      FontName: name,
      // Symbolic (4): the glyphs are reached by CID, not by a standard encoding.
      Flags: 4,
      FontBBox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map(round),
      ItalicAngle: font.italicAngle,
      Ascent: round(font.ascent),
      Descent: round(font.descent),
      CapHeight: round(font.capHeight || font.ascent),
      StemV: 80,
      FontFile2: context.register(context.flateStream(fontFile, { Length1: fontFile.byteLength })),
    });
    const cidFont = context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: name,
      CIDSystemInfo: {
        Registry: PDFHexString.fromText('Adobe'),
        Ordering: PDFHexString.fromText('Identity'),
        Supplement: 0,
      },
      FontDescriptor: context.register(descriptor),
      W: [1, this.used.map(({ width }) => round(width))],
      CIDToGIDMap: context.register(context.flateStream(cidToGid)),
    });
    const type0 = context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: name,
      Encoding: 'Identity-H',
      DescendantFonts: [context.register(cidFont)],
      ToUnicode: context.register(context.flateStream(toUnicodeCMap(this.used.map(({ text }) => text)))),
    });
    context.assign(this.ref, type0);
  }
}

type Subset = ReturnType<ReturnType<(typeof Fontkit)['create']>['createSubset']>;

/** fontkit's module is one default export, which its type declarations describe as named exports. */
const loadFontkit = async () => ((await import('@pdf-lib/fontkit')) as unknown as { default: typeof Fontkit }).default;

/** The subset's TrueType file: @pdf-lib/fontkit hands it over as a Node-style stream. */
function encodeSubset(subset: Subset): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    subset
      .encodeStream()
      .on('data', (part: Uint8Array) => parts.push(part))
      .on('end', () => {
        const whole = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
        let offset = 0;
        for (const part of parts) {
          whole.set(part, offset);
          offset += part.byteLength;
        }
        resolve(whole);
      });
  });
}

/** Six capital letters from the glyph list (FNV-1a), so two different subsets get different names. */
function subsetTag(used: readonly { gid: number }[]): string {
  let hash = 0x811c9dc5;
  for (const { gid } of used) hash = Math.imul(hash ^ gid, 0x01000193) >>> 0;
  let tag = '';
  for (let letter = 0; letter < 6; letter++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26) + letter * 7919;
  }
  return tag;
}
