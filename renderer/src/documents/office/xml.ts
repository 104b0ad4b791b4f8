import { SaxesParser } from 'saxes';
import { OfficeTextError } from './office-text-error';

/** An element of an office file's XML part: its namespace, local name, attributes and content in order. */
export interface XmlElement {
  namespace: string;
  name: string;
  /** Attribute values by "{namespace}name" (just "name" for attributes without a namespace). */
  attributes: Map<string, string>;
  children: (XmlElement | string)[];
}

/** Elements one XML part may hold: a sheet of half a million filled cells, more than any text limit lets through. */
export const MAX_XML_ELEMENTS = 1_000_000;

/**
 * Parses one XML part of an office file into a light tree (saxes, a streaming parser: fast on a sheet of many
 * megabytes). A part that declares a DTD is refused before parsing: neither OOXML nor ODF uses one, and entity
 * expansion ("billion laughs") and external entities need one. saxes itself expands no DTD entity and fetches
 * nothing.
 */
export function parseXmlPart(xml: string): XmlElement {
  if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY')) throw new OfficeTextError('doctype');
  const parser = new SaxesParser({ xmlns: true });
  const root: XmlElement = { namespace: '', name: '', attributes: new Map(), children: [] };
  const open: XmlElement[] = [root];
  let elements = 0;
  parser.on('opentag', (tag) => {
    // Each element is an object in the page's memory: a part of empty elements would fill it (4 M in 16 MB).
    if (++elements > MAX_XML_ELEMENTS) throw new OfficeTextError('too-large');
    const attributes = new Map<string, string>();
    for (const attribute of Object.values(tag.attributes))
      attributes.set(attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local, attribute.value);
    const element: XmlElement = { namespace: tag.uri, name: tag.local, attributes, children: [] };
    open.at(-1)!.children.push(element);
    open.push(element);
  });
  parser.on('closetag', () => void open.pop());
  const addText = (text: string) => open.at(-1)!.children.push(text);
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', () => {
    throw new OfficeTextError('damaged');
  });
  parser.write(xml).close();
  const element = root.children.find((child) => typeof child !== 'string');
  if (!element) throw new OfficeTextError('damaged');
  return element;
}

/** Whether `node` is the element `name` of one of `namespaces`. */
export function isNamed(node: XmlElement | string, namespaces: readonly string[], name: string): node is XmlElement {
  return typeof node !== 'string' && node.name === name && namespaces.includes(node.namespace);
}

/** The child elements of `element`, in document order. */
export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((child) => typeof child !== 'string');
}

/** Every descendant element `name` of one of `namespaces`, in document order (the walk is not recursive: depth is the file's to choose). */
export function descendants(root: XmlElement, namespaces: readonly string[], name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const pending: XmlElement[] = [root];
  while (pending.length > 0) {
    const element = pending.pop()!;
    if (element !== root && isNamed(element, namespaces, name)) found.push(element);
    const children = childElements(element);
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return found;
}

/** The text directly inside `element` (its text children, not its descendants'). */
export function ownText(element: XmlElement): string {
  return element.children.filter((child) => typeof child === 'string').join('');
}
