import type { XmlElement } from './xml';

/** WordprocessingML, transitional and strict. */
const W = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/**
 * Elements whose content is not the text a reader sees: paragraph, run and section properties (a w:tab there is a
 * tab stop, not a tab), deleted and moved-away tracked changes, field codes.
 */
const SKIPPED = new Set(['pPr', 'rPr', 'sectPr', 'tblPr', 'trPr', 'tcPr', 'del', 'moveFrom', 'delText', 'instrText']);

/**
 * The text of a DOCX's main part (word/document.xml, its root element given) as Word shows it: one line per
 * paragraph (table cells are paragraphs too), w:tab as a tab, w:br and w:cr as line breaks. Headers, footers,
 * footnotes and comments live in other parts and are not read.
 */
export function docxText(document: XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const walk = (element: XmlElement) => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      // Alternate content carries the same text twice (a drawing and its fallback): the fallback is skipped.
      if (child.namespace === MARKUP_COMPATIBILITY && child.name === 'Fallback') continue;
      if (!W.includes(child.namespace)) {
        walk(child);
        continue;
      }
      if (SKIPPED.has(child.name)) continue;
      if (child.name === 't') line += child.children.filter((text) => typeof text === 'string').join('');
      else if (child.name === 'tab') line += '\t';
      else if (child.name === 'br' || child.name === 'cr') line += '\n';
      else if (child.name === 'noBreakHyphen') line += '-';
      else if (child.name === 'p') {
        // A paragraph inside a paragraph (a text box) is a line of its own.
        const outer = line;
        line = '';
        walk(child);
        if (outer !== '') lines.push(outer);
        lines.push(line);
        line = '';
      } else walk(child);
    }
  };
  walk(document);
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
