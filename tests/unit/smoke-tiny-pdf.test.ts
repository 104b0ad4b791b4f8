import { describe, expect, it } from 'vitest';
import { TINY_PDF_PAGE, TINY_PDF_RECT, tinyPdf } from '../../renderer/src/smoke/tiny-pdf';

const text = new TextDecoder().decode(tinyPdf());

describe('the smoke check PDF', () => {
  it('is a PDF whose startxref points at its cross-reference table', () => {
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
  });

  it('has a cross-reference entry of 20 bytes pointing at each object, so pdf.js need not repair it', () => {
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
    expect(first).toBe('0');
    const table = text
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + Number(count));
    expect(table[0]).toBe('0000000000 65535 f ');
    for (const [index, entry] of table.slice(1).entries()) {
      expect(`${entry}\n`).toHaveLength(20);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset).startsWith(`${index + 1} 0 obj\n`)).toBe(true);
    }
    expect(text).toContain(`/Size ${count} /Root 1 0 R`);
  });

  it("gives its content stream's exact length", () => {
    const match = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)endstream/.exec(text);
    expect(match?.[2]).toHaveLength(Number(match?.[1]));
  });

  it('draws the rectangle the pixel check looks for, inside the page', () => {
    const { x, y, width, height } = TINY_PDF_RECT;
    expect(text).toContain(`${x} ${y} ${width} ${height} re f`);
    expect(x + width).toBeLessThanOrEqual(TINY_PDF_PAGE.width);
    expect(y + height).toBeLessThanOrEqual(TINY_PDF_PAGE.height);
    expect(text).toContain(`/MediaBox [0 0 ${TINY_PDF_PAGE.width} ${TINY_PDF_PAGE.height}]`);
  });
});
