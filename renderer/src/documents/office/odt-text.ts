import { TextBudget } from './text-budget';
import { descendants, type XmlElement } from './xml';

const OFFICE = ['urn:oasis:names:tc:opendocument:xmlns:office:1.0'];
const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';

/** The mimetype entries of the OpenDocument text files read (ODF 1.2+ §3.3: the archive's first entry). */
export const ODT_MIME_TYPES = [
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.text-template',
];

/**
 * Elements of text:* whose content is not the running text: notes (footnotes, their citation) and tracked
 * changes (the deleted text kept for review) and the sequence of changes. Comments are office:annotation.
 */
const SKIPPED = new Set(['note', 'tracked-changes', 'change', 'change-start', 'change-end']);

/**
 * The text of an ODT's content.xml (office:body/office:text) as a word processor shows it: one line per paragraph
 * or heading; text:s is that many spaces, text:tab a tab, text:line-break a line break, and runs of white space in
 * the XML are one space (ODF §6.1.2).
 */
export function odtText(document: XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const budget = new TextBudget();
  const append = (text: string) => {
    budget.take(text.length);
    line += text;
  };
  // Outside paragraphs (between sections, list items, cells) white space in the XML is the XML's own layout.
  let paragraphs = 0;
  const walk = (element: XmlElement) => {
    for (const child of element.children) {
      if (typeof child === 'string') {
        if (paragraphs > 0) append(child.replace(/[ \t\r\n]+/g, ' '));
        continue;
      }
      if (child.namespace === OFFICE[0] && child.name === 'annotation') continue;
      if (child.namespace !== TEXT) {
        walk(child);
        continue;
      }
      const name = child.name;
      if (SKIPPED.has(name)) continue;
      if (name === 's') append(' '.repeat(spaces(child)));
      else if (name === 'tab') append('\t');
      else if (name === 'line-break') append('\n');
      else if (name === 'p' || name === 'h') {
        // A paragraph inside a paragraph (a frame's text box) is a line of its own.
        const outer = line;
        line = '';
        paragraphs++;
        walk(child);
        paragraphs--;
        if (outer !== '') lines.push(outer);
        lines.push(line);
        line = '';
      } else walk(child);
    }
  };
  for (const body of descendants(document, OFFICE, 'text')) walk(body);
  return lines.join('\n');
}

function spaces(element: XmlElement): number {
  const count = Number(element.attributes.get(`{${TEXT}}c`) ?? '1');
  // A count is small; a huge one is a crafted file, not a document.
  return Number.isInteger(count) && count > 0 ? Math.min(count, 1000) : 1;
}
