/**
 * /ActualText of marked-content spans (renderer/src/documents/pdf-text/actual-text/): read from content streams,
 * matched to pdf.js's items, and made the page's text.
 */
import { PDFDocument, PDFName, PDFHexString, type PDFContext } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { itemRanges, pageOffsetOf, pageTextOf, type PageTextItem } from '../../../renderer/src/documents/pdf-text';
import { alignActualText, type MarkedContentItem } from '../../../renderer/src/documents/pdf-text/actual-text';
import {
  DEFAULT_MARK_LIMITS,
  marksOfContent,
} from '../../../renderer/src/documents/pdf-text/actual-text/content-marks';

const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

async function context(): Promise<{ context: PDFContext; document: PDFDocument }> {
  const document = await PDFDocument.create();
  return { context: document.context, document };
}

describe('marked content read from a content stream', () => {
  it('gives each span with its /ActualText (UTF-16BE or literal), in drawing order, nested ones too', async () => {
    const { context: ctx } = await context();
    const content = latin1(
      'BT /F1 12 Tf 0 0 0 RG 1 0 0 1 5 5 Tm\n' +
        '/Span <</ActualText <FEFF178017D2179A>>> BDC <0232> Tj EMC\n' +
        '/Span<</ActualText (fi)/MCID 3>>BDC [(f) -20 (i)] TJ /Artifact BMC (x) Tj EMC EMC\n' +
        '/P <</MCID 0>> BDC (plain) Tj EMC ET',
    );
    expect(marksOfContent([content], undefined, ctx)).toEqual([
      { begin: 'Span', actualText: 'ក្រ' },
      { end: true },
      { begin: 'Span', actualText: 'fi' },
      { begin: 'Artifact', actualText: null },
      { end: true },
      { end: true },
      { begin: 'P', actualText: null },
      { end: true },
    ]);
  });

  it('is not fooled by operators inside strings, comments or an inline image’s data', async () => {
    const { context: ctx } = await context();
    const content = latin1(
      '(a \\( /Span <<>> BDC) Tj <414243> Tj % /Span <<>> BDC a comment\n' +
        'BI /W 4 /H 1 /BPC 8 /CS /G ID \u0000EMC\u00ffBDC EI Q\n' +
        '/Span <</ActualText (ok)>> BDC (x) Tj EMC',
    );
    expect(marksOfContent([content], undefined, ctx)).toEqual([{ begin: 'Span', actualText: 'ok' }, { end: true }]);
  });

  it('reads a property list named in the resources, and a content array cut between two tokens', async () => {
    const { context: ctx } = await context();
    const resources = ctx.obj({ Properties: { P1: { ActualText: PDFHexString.fromText('ស្រី') } } });
    const parts = [latin1('/Span /P1'), latin1('BDC (x) Tj EMC')];
    expect(marksOfContent(parts, resources, ctx)).toEqual([{ begin: 'Span', actualText: 'ស្រី' }, { end: true }]);
  });

  it('walks a form where it is drawn, and gives up on a form drawn inside itself or too many events', async () => {
    const { context: ctx } = await context();
    const form = ctx.flateStream(latin1('/Span <</ActualText (in form)>> BDC (x) Tj EMC'), {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 10, 10],
    });
    const formRef = ctx.register(form);
    const resources = ctx.obj({ XObject: { Fm1: formRef } });
    expect(marksOfContent([latin1('/P BMC EMC q /Fm1 Do Q')], resources, ctx)).toEqual([
      { begin: 'P', actualText: null },
      { end: true },
      { begin: 'Span', actualText: 'in form' },
      { end: true },
    ]);

    const loop = ctx.stream(latin1('/Self Do'), { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 1, 1] });
    const loopRef = ctx.register(loop);
    loop.dict.set(PDFName.of('Resources'), ctx.obj({ XObject: { Self: loopRef } }));
    expect(marksOfContent([latin1('/Self Do')], ctx.obj({ XObject: { Self: loopRef } }), ctx)).toBeNull();

    const many = latin1('/P BMC EMC '.repeat(20));
    expect(marksOfContent([many], undefined, ctx, { ...DEFAULT_MARK_LIMITS, maxEvents: 10 })).toBeNull();

    // One long /ActualText in a property list, named by span after span: counted each time, given up past the limit.
    const long = ctx.obj({ Properties: { P1: { ActualText: PDFHexString.fromText('ក'.repeat(3000)) } } });
    const named = latin1('/Span /P1 BDC (a) Tj EMC '.repeat(400));
    expect(marksOfContent([named], long, ctx)).toBeNull();
    expect(marksOfContent([latin1('/Span /P1 BDC (a) Tj EMC')], long, ctx)).toHaveLength(2);
    const tooLong = ctx.obj({ Properties: { P1: { ActualText: PDFHexString.fromText('x'.repeat(5000)) } } });
    expect(marksOfContent([latin1('/Span /P1 BDC (a) Tj EMC')], tooLong, ctx)).toBeNull();
  });
});

type Item = PageTextItem & { str: string };
const text = (str: string, hasEOL = false): Item => ({ str, hasEOL });
const begin = (tag = 'Span'): MarkedContentItem<Item> => ({ type: 'beginMarkedContentProps', tag });
const end: MarkedContentItem<Item> = { type: 'endMarkedContent' };

describe('spans matched to pdf.js’s items', () => {
  const items: MarkedContentItem<Item>[] = [
    begin(),
    text('កំ'),
    end,
    text('ណ'),
    begin(),
    text(''),
    text(' '),
    text('\u0000ត\u0000'),
    text('ា'),
    end,
    text('សវនាការ', true),
  ];
  const marks = [
    { begin: 'Span', actualText: 'កំ' },
    { end: true as const },
    { begin: 'Span', actualText: 'ត្រា' },
    { end: true as const },
  ];

  it('stands the /ActualText for its items, white space at its ends left outside', () => {
    const aligned = alignActualText(items, marks);
    expect(aligned.items.map((item) => item.str)).toEqual(['កំ', 'ណ', '', ' ', '\u0000ត\u0000', 'ា', 'សវនាការ']);
    expect(aligned.spans).toEqual([
      { first: 0, last: 0, text: 'កំ' },
      { first: 4, last: 5, text: 'ត្រា' },
    ]);
    const page = pageTextOf(aligned);
    expect(page.text).toBe('កំណ ត្រាសវនាការ\n');
    // A highlight on the span's text covers every glyph of it in the text layer, and nothing else.
    const start = page.text.indexOf('ត្រា');
    expect(itemRanges({ start, end: start + 2 }, page)).toEqual([
      [4, 0, 3],
      [5, 0, 1],
    ]);
    // Places in the span's items: inside them is the span's start, the end of its last item the span's end.
    expect(pageOffsetOf(page, 4, 0)).toBe(start);
    expect(pageOffsetOf(page, 4, 2)).toBe(start);
    expect(pageOffsetOf(page, 5, 1)).toBe(start + 'ត្រា'.length);
    expect(page.itemDropped[4]).toBeNull();
    // The white space pdf.js put before the span is the page's own, outside it.
    expect(page.text.slice(page.itemStarts[3], page.itemStarts[3]! + 1)).toBe(' ');
  });

  it('uses no span unless the spans read are pdf.js’s, one for one', () => {
    expect(alignActualText(items, marks.slice(0, 2)).spans).toEqual([]);
    expect(alignActualText(items, [{ begin: 'P', actualText: 'x' }, { end: true }, ...marks.slice(2)]).spans).toEqual(
      [],
    );
    expect(alignActualText(items, null).spans).toEqual([]);
  });

  it('takes the outer text when spans with /ActualText are nested', () => {
    const nested: MarkedContentItem<Item>[] = [begin(), text('a'), begin(), text('b'), end, text('c'), end];
    const spans = alignActualText(nested, [
      { begin: 'Span', actualText: 'outer' },
      { begin: 'Span', actualText: 'inner' },
      { end: true },
      { end: true },
    ]).spans;
    expect(spans).toEqual([{ first: 0, last: 2, text: 'outer' }]);
  });
});
