import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_CONTEXT, toAnnotationCollection } from '../../../renderer/src/annotations/web-annotation';
import { CASE_ID, EVERY_KIND, SOURCES } from '../../support/annotation-fixtures';

/**
 * The export read by a standard JSON-LD processor (jsonld.js) with the W3C's own annotation context, kept in
 * tests/fixtures/ (nothing is fetched): expanding it must lose no property or value. jsonld.js's safe mode fails on
 * anything expansion would drop (an undefined term, a value it cannot keep), and compacting the expansion back with
 * the same context must give every value of the export again.
 */

const ANNO_CONTEXT_URL = 'http://www.w3.org/ns/anno.jsonld';
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as object;
const annoContext = fixture('w3c-anno-context.jsonld');

const documentLoader = (url: string) => {
  if (url !== ANNO_CONTEXT_URL) throw new Error(`No network in tests: ${url}`);
  return Promise.resolve({ contextUrl: undefined, documentUrl: url, document: annoContext });
};

/** Every value of a document with the keys leading to it (arrays flattened, @context left out), sorted. */
function leaves(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item, path));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => (key === '@context' ? [] : leaves(item, `${path}/${key}`)));
  return [`${path}=${JSON.stringify(value)}`];
}

const collection = JSON.parse(
  JSON.stringify(
    toAnnotationCollection(Object.values(EVERY_KIND), {
      caseId: CASE_ID,
      label: 'Case',
      documents: SOURCES,
      language: 'en',
    }),
  ),
) as object;

describe('the JSON-LD export read by a JSON-LD processor with the official context', () => {
  it('expands with nothing dropped (jsonld.js safe mode)', async () => {
    const expanded = await jsonld.expand(collection, { documentLoader, safe: true } as jsonld.Options.Expand);
    const text = JSON.stringify(expanded);
    // Coordinates, colours and page parts come out under full IRIs.
    for (const term of ['urn:evidence-vault:ns#x', 'urn:evidence-vault:ns#height', 'urn:evidence-vault:ns#segments'])
      expect(text).toContain(term);
    expect(text).toContain('http://www.w3.org/2002/07/owl#sameAs');
    expect(text).toContain('http://www.w3.org/ns/oa#refinedBy');
  });

  it('compacts back to every value it had', async () => {
    const expanded = await jsonld.expand(collection, { documentLoader, safe: true } as jsonld.Options.Expand);
    const compacted = await jsonld.compact(
      expanded,
      { '@context': ANNOTATION_CONTEXT } as unknown as jsonld.ContextDefinition,
      {
        documentLoader,
      } as jsonld.Options.Compact,
    );
    expect(leaves(compacted).sort()).toEqual(leaves(collection).sort());
  });

  it('would catch a lost property: the export made before this change drops its rectangles', async () => {
    const old = fixture('annotations-export-v1.jsonld');
    const failure = await jsonld.expand(old, { documentLoader, safe: true } as jsonld.Options.Expand).then(
      () => null,
      (error: { details?: { event?: { code?: string; details?: { property?: string } } } }) => error.details?.event,
    );
    expect(failure?.code).toBe('invalid property');
    expect(['x', 'y', 'width', 'height']).toContain(failure?.details?.property);
  });
});
