/**
 * The marked-content spans of a page's content streams, in the order they
 * are drawn, each with its /ActualText if it has one.
 *
 * Why: Chrome (Skia) prints a Khmer cluster whose glyphs have no text of
 * their own (a subscript, a vowel drawn apart) inside
 * `/Span <</ActualText (…)>> BDC … EMC`, and the cluster's text is only
 * there. pdf.js's getTextContent reports where each span begins and ends
 * but not its /ActualText; this reads the content streams for it. pdf.js
 * stays the one that decides what the text items are: the spans found here
 * are only used when their sequence is exactly the one pdf.js reported
 * (align.ts).
 *
 * Operands (strings, dictionaries, arrays, names, numbers) are parsed by
 * pdf-lib's object parser; this file only walks operators. Only what bears
 * on marked content is interpreted: BDC, BMC, EMC, Do of a form XObject
 * (walked as pdf.js walks it), and BI … ID … EI, whose binary data is
 * skipped. Everything else is read and dropped.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFContext,
  type PDFObject,
} from '@cantoo/pdf-lib';

/** pdf-lib's byte reader (not exported by name): the one its own parser makes for a byte array. */
type ByteStream = ConstructorParameters<typeof PDFObjectParser>[0];
const byteStreamOf = (bytes: Uint8Array, context: PDFContext): ByteStream =>
  (PDFObjectParser.forBytes(bytes, context) as unknown as { bytes: ByteStream }).bytes;

/** One event of a page's marked content, in drawing order. */
export type MarkEvent = { begin: string; actualText: string | null } | { end: true };

/** Limits, so a crafted page costs little: past any of them the page's marks are given up (null). */
export interface MarkLimits {
  /** Form XObjects inside form XObjects. */
  maxDepth: number;
  /** Decoded content bytes read for one page, forms included. */
  maxBytes: number;
  /** Marked-content events of one page. */
  maxEvents: number;
  /** Characters of one span's /ActualText (a cluster, a word, a line: short). */
  maxSpanText: number;
  /** Characters of /ActualText of one page in all (a property list named by many spans is counted each time). */
  maxPageText: number;
}

export const DEFAULT_MARK_LIMITS: MarkLimits = {
  maxDepth: 8,
  maxBytes: 64 * 1024 * 1024,
  maxEvents: 200_000,
  maxSpanText: 4_096,
  maxPageText: 1_000_000,
};

class GiveUp extends Error {}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const E = 0x45;
const I = 0x49;

/** pdf-lib's object parser, reading operands only: a number is a number (never the start of `1 0 R`). */
class OperandParser extends PDFObjectParser {
  constructor(bytes: Uint8Array, context: PDFContext) {
    super(byteStreamOf(bytes, context), context);
  }
  protected override parseNumberOrRef(): PDFNumber {
    return PDFNumber.of(this.parseRawNumber());
  }
  done(): boolean {
    this.skipWhitespaceAndComments();
    return this.bytes.done();
  }
  /** The next operator's name, or null when the next token is an operand. */
  operator(): string | null {
    const first = this.bytes.peek();
    // Operands: a name, a string, a dictionary or hex string, an array, a number.
    if (first === 0x2f || first === 0x28 || first === 0x3c || first === 0x5b) return null;
    if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) return null;
    let name = '';
    while (!this.bytes.done()) {
      const byte = this.bytes.peek();
      if (WHITESPACE.has(byte) || DELIMITERS.has(byte)) break;
      name += String.fromCharCode(this.bytes.next());
    }
    // A stray delimiter (`]`, `}`, `)`, `>`): read past it, as pdf.js does.
    if (name === '') this.bytes.next();
    return name;
  }
  /** Past an inline image's data: after `ID` and one white-space byte, to the `EI` that stands alone. */
  skipInlineImage(): void {
    this.bytes.next();
    while (!this.bytes.done()) {
      const byte = this.bytes.next();
      if (!WHITESPACE.has(byte) || this.bytes.peek() !== E || this.bytes.peekAhead(1) !== I) continue;
      const after = this.bytes.peekAhead(2);
      if (after === undefined || Number.isNaN(after) || WHITESPACE.has(after) || DELIMITERS.has(after)) {
        this.bytes.next();
        this.bytes.next();
        return;
      }
    }
  }
}

/** A PDF text string (/ActualText) as Unicode: UTF-16BE with its mark, or PDFDocEncoding. */
function textOf(object: PDFObject | undefined): string | null {
  if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeText();
  return null;
}

function streamBytes(object: PDFObject | undefined, context: PDFContext): Uint8Array | null {
  const resolved = object instanceof PDFRef ? context.lookup(object) : object;
  if (!(resolved instanceof PDFRawStream)) return null;
  return decodePDFRawStream(resolved).decode();
}

/**
 * The marked-content events of content `streams` drawn with `resources`,
 * forms walked where they are drawn. Null when the page cannot be read
 * within `limits` or its streams cannot be decoded.
 */
export function marksOfContent(
  streams: readonly Uint8Array[],
  resources: PDFDict | undefined,
  context: PDFContext,
  limits: MarkLimits = DEFAULT_MARK_LIMITS,
): MarkEvent[] | null {
  const events: MarkEvent[] = [];
  let bytesRead = 0;
  let textRead = 0;
  const lookupDict = (object: PDFObject | undefined): PDFDict | undefined => {
    const resolved = object instanceof PDFRef ? context.lookup(object) : object;
    return resolved instanceof PDFDict ? resolved : undefined;
  };

  const walk = (content: Uint8Array, resources: PDFDict | undefined, depth: number, forms: Set<PDFObject>) => {
    bytesRead += content.byteLength;
    if (bytesRead > limits.maxBytes) throw new GiveUp();
    const parser = new OperandParser(content, context);
    // BDC and Do read at most two operands: only the last two are kept (a stream of numbers with no operator costs
    // nothing then).
    let operands: PDFObject[] = [];
    while (!parser.done()) {
      const operator = parser.operator();
      if (operator === null) {
        operands.push(parser.parseObject());
        if (operands.length > 2) operands = operands.slice(-2);
        continue;
      }
      if (operator === 'BDC' || operator === 'BMC') {
        const tag = operands[0] instanceof PDFName ? operands[0].decodeText() : '';
        let properties = operator === 'BDC' ? operands[1] : undefined;
        if (properties instanceof PDFName)
          properties = lookupDict(lookupDict(resources?.get(PDFName.of('Properties')))?.get(properties));
        const actualText = properties instanceof PDFDict ? textOf(properties.get(PDFName.of('ActualText'))) : null;
        textRead += actualText?.length ?? 0;
        if ((actualText?.length ?? 0) > limits.maxSpanText || textRead > limits.maxPageText) throw new GiveUp();
        events.push({ begin: tag, actualText });
      } else if (operator === 'EMC') events.push({ end: true });
      else if (operator === 'ID') parser.skipInlineImage();
      else if (operator === 'Do' && operands[0] instanceof PDFName) {
        const reference = lookupDict(resources?.get(PDFName.of('XObject')))?.get(operands[0]);
        const form = reference instanceof PDFRef ? context.lookup(reference) : reference;
        if (form instanceof PDFRawStream && form.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) {
          // A form drawn inside itself: pdf.js stops there too; past the depth limit the page is given up.
          if (forms.has(form)) throw new GiveUp();
          if (depth >= limits.maxDepth) throw new GiveUp();
          const inner = streamBytes(form, context);
          if (!inner) throw new GiveUp();
          const formResources = lookupDict(form.dict.get(PDFName.of('Resources'))) ?? resources;
          walk(inner, formResources, depth + 1, new Set([...forms, form]));
        }
      }
      if (events.length > limits.maxEvents) throw new GiveUp();
      operands = [];
    }
  };

  try {
    // A page's content array is one stream cut in pieces (an operator may straddle two): read as one.
    const total = streams.reduce((sum, part) => sum + part.byteLength + 1, 0);
    if (total > limits.maxBytes) return null;
    const joined = new Uint8Array(total);
    let at = 0;
    for (const part of streams) {
      joined.set(part, at);
      joined[at + part.byteLength] = 0x0a;
      at += part.byteLength + 1;
    }
    walk(joined, resources, 0, new Set());
    return events;
  } catch {
    return null;
  }
}

/**
 * A page's content streams, decoded, from its /Contents (one stream or an array of them); null past `maxBytes`
 * decoded (each stream is decoded whole first: a compression bomb costs one stream's worth).
 */
export function pageContentStreams(
  contents: PDFObject | undefined,
  context: PDFContext,
  maxBytes = DEFAULT_MARK_LIMITS.maxBytes,
): Uint8Array[] | null {
  const resolved = contents instanceof PDFRef ? context.lookup(contents) : contents;
  if (resolved === undefined) return [];
  const parts = resolved instanceof PDFArray ? resolved.asArray() : [resolved];
  const streams: Uint8Array[] = [];
  let total = 0;
  for (const part of parts) {
    const bytes = streamBytes(part, context);
    if (!bytes) return null;
    total += bytes.byteLength;
    if (total > maxBytes) return null;
    streams.push(bytes);
  }
  return streams;
}
