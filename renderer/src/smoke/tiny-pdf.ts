/**
 * A one-page PDF built in code for the smoke check: a filled rectangle (so
 * the rendered page has pixels in a known place) and a line of Helvetica
 * (so pdf.js loads a bundled standard font from /pdfjs/). Page size in PDF
 * points; the rectangle's box is exported for the pixel check.
 */
export const TINY_PDF_PAGE = { width: 200, height: 100 } as const;
export const TINY_PDF_RECT = { x: 10, y: 10, width: 180, height: 40 } as const;

export function tinyPdf(): Uint8Array {
  const { x, y, width, height } = TINY_PDF_RECT;
  const content = `0.1 0.3 0.8 rg ${x} ${y} ${width} ${height} re f\nBT /F1 18 Tf 0 g 20 65 Td (Evidence Vault) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${TINY_PDF_PAGE.width} ${TINY_PDF_PAGE.height}] ` +
      '/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  // Everything is ASCII, so string lengths are byte offsets.
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  // Each cross-reference entry is exactly 20 bytes.
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}
