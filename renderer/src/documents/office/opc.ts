import { descendants, parseXmlPart } from './xml';
import type { ZipParts } from './zip-parts';

/** OOXML's packaging (Open Packaging Conventions): parts find each other through relationship parts. */

const RELATIONSHIPS = ['http://schemas.openxmlformats.org/package/2006/relationships'];

export interface Relationship {
  /** The relationship type's last segment, e.g. "officeDocument", "worksheet", "sharedStrings". */
  type: string;
  /** The target part's name in the archive (no leading slash). */
  target: string;
}

/** `target` resolved against the folder of `source` (a part name), as a part name. */
export function resolvePartName(source: string, target: string): string {
  const segments = target.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** The relationships of part `source` ("" for the package), by id; external targets (links) left out. */
export function relationshipsOf(zip: ZipParts, source: string): Map<string, Relationship> {
  const slash = source.lastIndexOf('/');
  const partName = `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
  const xml = zip.readText(partName);
  const found = new Map<string, Relationship>();
  if (xml === null) return found;
  for (const element of descendants(parseXmlPart(xml), RELATIONSHIPS, 'Relationship')) {
    if (element.attributes.get('TargetMode') === 'External') continue;
    const target = element.attributes.get('Target');
    const type = element.attributes.get('Type');
    if (!target || !type) continue;
    found.set(element.attributes.get('Id') ?? '', {
      type: type.slice(type.lastIndexOf('/') + 1),
      target: resolvePartName(source, target),
    });
  }
  return found;
}

/** The package's main part (word/document.xml, xl/workbook.xml, …); null when it names none. */
export function mainPartOf(zip: ZipParts): string | null {
  for (const relationship of relationshipsOf(zip, '').values())
    if (relationship.type === 'officeDocument') return relationship.target;
  return null;
}
