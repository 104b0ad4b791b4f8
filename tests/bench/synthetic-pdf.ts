/** A valid PDF of `pageCount` text pages, built in memory for benchmarks. */
export function syntheticPdf(pageCount: number): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) + 0; // object number = index + 1
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages, filled below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  for (let page = 1; page <= pageCount; page++) {
    const lines = Array.from(
      { length: 40 },
      (_, line) => `(Page ${page}, line ${line + 1}: hearing record under articles 494 and 495) Tj T*`,
    ).join(' ');
    const stream = `BT /F1 11 Tf 14 TL 56 780 Td ${lines} ET`;
    const contentNumber = objects.length + 1;
    add(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    kids.push(objects.length + 1);
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentNumber} 0 R >>`,
    );
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((kid) => `${kid} 0 R`).join(' ')}] /Count ${pageCount} >>`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${offset.toString().padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
