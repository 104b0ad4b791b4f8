/**
 * The W3C Web Annotation Data Model's MUST statements (https://www.w3.org/TR/annotation-model/, section numbers
 * below), and those of the fragment specifications its selectors name, as checks over exported JSON. Each check
 * returns the statements a document breaks (empty when it conforms), so a test's failure says which.
 */

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
const MOTIVATIONS = [
  'assessing',
  'bookmarking',
  'classifying',
  'commenting',
  'describing',
  'editing',
  'highlighting',
  'identifying',
  'linking',
  'moderating',
  'questioning',
  'replying',
  'tagging',
];
const SELECTOR_TYPES = [
  'FragmentSelector',
  'CssSelector',
  'XPathSelector',
  'TextQuoteSelector',
  'TextPositionSelector',
  'DataPositionSelector',
  'SvgSelector',
  'RangeSelector',
];
/** xsd:dateTime in UTC, as §3.3.5 requires ("MUST be expressed in the xsd:dateTime format … with the UTC timezone"). */
const UTC_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** An absolute IRI (RFC 3987 scheme ":" …). */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
/** BCP 47 language tag (the shape of one; §3.2.5 "MUST be a language code following the [bcp47] specification"). */
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** A media type (§3.2.5: format "SHOULD be … from the IANA media type registry", i.e. type/subtype). */
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;

type Json = Record<string, unknown>;
const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonNegativeInteger = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const types = (value: Json) => asArray(value.type);

/** §3.1: "The Annotation MUST have 1 or more @context values and http://www.w3.org/ns/anno.jsonld MUST be one of them. If there is only one value, then it MUST be provided as a string." */
function contextProblems(document: Json, where: string): string[] {
  const contexts = asArray(document['@context']);
  const problems: string[] = [];
  if (!contexts.includes(ANNO_CONTEXT)) problems.push(`${where}: @context must include ${ANNO_CONTEXT}`);
  if (Array.isArray(document['@context']) && contexts.length === 1)
    problems.push(`${where}: a single @context must be a string`);
  return problems;
}

/** §4.2.x: each selector's own MUSTs, and those of the fragment syntax a FragmentSelector names. */
function selectorProblems(selector: unknown, where: string): string[] {
  if (typeof selector === 'string')
    return IRI.test(selector) ? [] : [`${where}: a selector given by reference must be an IRI`];
  if (!isObject(selector)) return [`${where}: a selector must be an object or an IRI`];
  const problems: string[] = [];
  const [type] = types(selector);
  if (types(selector).length !== 1 || !SELECTOR_TYPES.includes(type as string))
    problems.push(`${where}: a selector must have exactly one type from the model (${String(type)})`);
  if (type === 'FragmentSelector') {
    // §4.2.1: "MUST have exactly 1 value"; conformsTo SHOULD be given and names the fragment syntax checked below.
    if (typeof selector.value !== 'string') problems.push(`${where}: FragmentSelector must have exactly 1 value`);
    problems.push(...fragmentProblems(String(selector.conformsTo), String(selector.value), where));
  }
  if (type === 'TextQuoteSelector') {
    // §4.2.4: "MUST have exactly 1 exact property"; prefix and suffix "MAY have exactly 1".
    if (typeof selector.exact !== 'string') problems.push(`${where}: TextQuoteSelector must have exactly 1 exact`);
    for (const key of ['prefix', 'suffix'])
      if (key in selector && typeof selector[key] !== 'string') problems.push(`${where}: ${key} must be one string`);
  }
  if (type === 'TextPositionSelector') {
    // §4.2.5: "MUST have exactly 1 start property, and the value MUST be a non-negative integer" (and end likewise).
    if (!isNonNegativeInteger(selector.start) || !isNonNegativeInteger(selector.end))
      problems.push(`${where}: TextPositionSelector start and end must be non-negative integers`);
    else if ((selector.end as number) < (selector.start as number))
      problems.push(`${where}: TextPositionSelector must not end before it starts`);
  }
  if (type === 'RangeSelector') {
    // §4.2.9: "MUST have exactly 1 startSelector … exactly 1 endSelector … The endSelector MUST be of the same class as the startSelector."
    const { startSelector, endSelector } = selector;
    if (!isObject(startSelector) || !isObject(endSelector))
      problems.push(`${where}: RangeSelector must have exactly 1 startSelector and 1 endSelector`);
    else {
      if (String(types(startSelector)[0]) !== String(types(endSelector)[0]))
        problems.push(`${where}: RangeSelector's start and end selectors must be of the same class`);
      problems.push(...selectorProblems(startSelector, `${where}.startSelector`));
      problems.push(...selectorProblems(endSelector, `${where}.endSelector`));
    }
  }
  // §4.2.10: refinedBy holds 1 or more selectors.
  asArray(selector.refinedBy).forEach((refinement, index) =>
    problems.push(...selectorProblems(refinement, `${where}.refinedBy[${index}]`)),
  );
  return problems;
}

/** The fragment syntaxes the export uses: RFC 3778 (PDF), RFC 5147 (plain text), Media Fragments (images). */
function fragmentProblems(conformsTo: string, value: string, where: string): string[] {
  if (conformsTo === 'http://tools.ietf.org/rfc/rfc3778') {
    // RFC 3778 §3: page=<pagenum> counts from 1; viewrect=<left>,<top>,<wd>,<ht> (numbers, from the top-left).
    const ok = /^page=[1-9]\d*(&viewrect=-?\d+(\.\d+)?,-?\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?)?$/;
    return ok.test(value) ? [] : [`${where}: "${value}" is not an RFC 3778 page (and viewrect) fragment`];
  }
  if (conformsTo === 'http://tools.ietf.org/rfc/rfc5147') {
    // RFC 5147 §2.2: char=<from>,<to>, positions counted in characters; from ≤ to.
    const match = /^char=(\d+),(\d+)$/.exec(value);
    return match && Number(match[1]) <= Number(match[2]) ? [] : [`${where}: "${value}" is not an RFC 5147 char range`];
  }
  if (conformsTo === 'http://www.w3.org/TR/media-frags/') {
    // Media Fragments 1.0 §4.2.2: xywh=[pixel:]x,y,w,h with non-negative integers, width and height above zero.
    const match = /^xywh=(?:pixel:)?(\d+),(\d+),(\d+),(\d+)$/.exec(value);
    return match && Number(match[3]) > 0 && Number(match[4]) > 0
      ? []
      : [`${where}: "${value}" is not a Media Fragments xywh region in whole pixels`];
  }
  return [`${where}: FragmentSelector conformsTo names no fragment syntax checked here (${conformsTo})`];
}

/** §4 (Specific Resource): "MUST have exactly 1 source"; §3.2.1 an external resource's id MUST be an IRI. */
function resourceProblems(resource: unknown, where: string): string[] {
  if (typeof resource === 'string') return IRI.test(resource) ? [] : [`${where}: must be an IRI`];
  if (!isObject(resource)) return [`${where}: must be an object or an IRI`];
  const problems: string[] = [];
  if (types(resource).includes('SpecificResource')) {
    if (Array.isArray(resource.source) || resource.source === undefined)
      problems.push(`${where}: a SpecificResource must have exactly 1 source`);
    else problems.push(...resourceProblems(resource.source, `${where}.source`));
    asArray(resource.selector).forEach((selector, index) =>
      problems.push(...selectorProblems(selector, `${where}.selector[${index}]`)),
    );
  } else if (types(resource).includes('TextualBody')) {
    // §3.2.4: "The TextualBody MUST have exactly 1 value property".
    if (typeof resource.value !== 'string') problems.push(`${where}: a TextualBody must have exactly 1 value`);
  } else if (typeof resource.id !== 'string' || !IRI.test(resource.id)) {
    problems.push(`${where}: an external resource must have exactly 1 IRI id`);
  }
  // §3.2.5: format values are media types; language values BCP 47 tags.
  for (const format of asArray(resource.format))
    if (typeof format !== 'string' || !MEDIA_TYPE.test(format)) problems.push(`${where}: format must be a media type`);
  for (const language of asArray(resource.language))
    if (typeof language !== 'string' || !BCP47.test(language)) problems.push(`${where}: language must be a BCP 47 tag`);
  // §3.3.5 (purpose): "MUST be one of the Motivations defined".
  for (const purpose of asArray(resource.purpose))
    if (!MOTIVATIONS.includes(purpose as string)) problems.push(`${where}: purpose must be a defined motivation`);
  return problems;
}

/** §3.3.3: an agent has a type (Person, Organization, Software) and at most one name and nickname. */
function agentProblems(agent: unknown, where: string): string[] {
  if (typeof agent === 'string') return IRI.test(agent) ? [] : [`${where}: an agent by reference must be an IRI`];
  if (!isObject(agent)) return [`${where}: an agent must be an object or an IRI`];
  const problems: string[] = [];
  if (!types(agent).some((type) => ['Person', 'Organization', 'Software'].includes(type as string)))
    problems.push(`${where}: an agent should be a Person, Organization or Software`);
  for (const key of ['nickname']) if (Array.isArray(agent[key])) problems.push(`${where}: at most 1 ${key}`);
  return problems;
}

/** Every MUST of §3.1–§4 an annotation breaks. `embedded` annotations (in a page) take the collection's @context. */
export function annotationProblems(annotation: unknown, { embedded = false } = {}): string[] {
  if (!isObject(annotation)) return ['an annotation must be a JSON object'];
  const problems = embedded ? [] : contextProblems(annotation, 'annotation');
  // §3.1: "An Annotation MUST have exactly 1 IRI that identifies it."
  if (typeof annotation.id !== 'string' || !IRI.test(annotation.id)) problems.push('annotation: id must be one IRI');
  // §3.1: "MUST have 1 or more types, and the Annotation class MUST be one of them."
  if (!types(annotation).includes('Annotation')) problems.push('annotation: type must include Annotation');
  // §3.1: body "MAY have 0 or more Bodies"; present, it is never empty (the suite fails `"body": []`).
  if ('body' in annotation && asArray(annotation.body).length === 0)
    problems.push('annotation: body must be absent rather than empty');
  // §3.1: "There MUST be 1 or more target relationships associated with an Annotation."
  const targets = asArray(annotation.target);
  if (targets.length === 0) problems.push('annotation: must have at least one target');
  targets.forEach((target, index) => problems.push(...resourceProblems(target, `target[${index}]`)));
  asArray(annotation.body).forEach((body, index) => problems.push(...resourceProblems(body, `body[${index}]`)));
  // §3.3.4: motivation values MUST be from the defined list.
  for (const motivation of asArray(annotation.motivation))
    if (!MOTIVATIONS.includes(motivation as string)) problems.push('annotation: motivation must be a defined one');
  // §3.3.5: created, modified "MUST be expressed in the xsd:dateTime format … with the UTC timezone expressed as Z".
  for (const key of ['created', 'modified', 'generated'])
    if (key in annotation && !(typeof annotation[key] === 'string' && UTC_DATETIME.test(annotation[key])))
      problems.push(`annotation: ${key} must be one xsd:dateTime in UTC`);
  // §3.3.3: creator and generator are agents.
  asArray(annotation.creator).forEach((agent) => problems.push(...agentProblems(agent, 'creator')));
  asArray(annotation.generator).forEach((agent) => problems.push(...agentProblems(agent, 'generator')));
  return problems;
}

/** §5.1 (AnnotationCollection) and §5.2 (AnnotationPage) MUSTs, and every embedded annotation's. */
export function collectionProblems(collection: unknown): string[] {
  if (!isObject(collection)) return ['a collection must be a JSON object'];
  const problems = contextProblems(collection, 'collection');
  // §5.1: "The Collection MUST have exactly 1 IRI that identifies it."
  if (typeof collection.id !== 'string' || !IRI.test(collection.id)) problems.push('collection: id must be one IRI');
  // §5.1: "MUST have 1 or more types and the AnnotationCollection class MUST be one of them."
  if (!types(collection).includes('AnnotationCollection'))
    problems.push('collection: type must include AnnotationCollection');
  // §5.1: total "MUST be a non-negative integer".
  if ('total' in collection && !isNonNegativeInteger(collection.total))
    problems.push('collection: total must be a non-negative integer');
  const page = collection.first;
  // §5.1: first — "if there are any Annotations in the Collection, then there MUST be exactly 1 first".
  if ((collection.total as number) > 0 && !isObject(page)) problems.push('collection: must have exactly 1 first page');
  if (page === undefined) return problems;
  if (!isObject(page)) return [...problems, 'collection: first must be an embedded page'];
  // §5.2: "The Page MUST have exactly 1 IRI that identifies it", type AnnotationPage.
  if (typeof page.id !== 'string' || !IRI.test(page.id)) problems.push('page: id must be one IRI');
  if (!types(page).includes('AnnotationPage')) problems.push('page: type must include AnnotationPage');
  // §5.2: "The Page MUST have an items property … 1 or more Annotations."
  const items = asArray(page.items);
  if (items.length === 0) problems.push('page: items must hold one or more annotations');
  if ('startIndex' in page && !isNonNegativeInteger(page.startIndex))
    problems.push('page: startIndex must be a non-negative integer');
  if (collection.total !== undefined && page.next === undefined && items.length !== collection.total)
    problems.push('collection: total must count the annotations of its (only) page');
  items.forEach((item, index) =>
    problems.push(...annotationProblems(item, { embedded: true }).map((problem) => `items[${index}] ${problem}`)),
  );
  return problems;
}
