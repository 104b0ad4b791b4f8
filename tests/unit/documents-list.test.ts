import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENT_VIEW, viewDocuments, type DocumentListing } from '../../renderer/src/vault/document-view';

function doc(id: string, fields: Partial<DocumentListing>): DocumentListing {
  return {
    id,
    caseId: 'case-a',
    name: `${id}.pdf`,
    size: 100,
    kind: 'pdf',
    sha256: id.padEnd(64, '0'),
    intakeAt: 1,
    description: '',
    ...fields,
  };
}

const documents = [
  doc('a', { name: 'Verdict 10.pdf', size: 300, intakeAt: 3 }),
  doc('b', { name: 'verdict 9.pdf', size: 100, intakeAt: 1, caseId: 'case-b' }),
  doc('c', {
    name: 'photo.jpg',
    kind: 'image',
    size: 200,
    intakeAt: 2,
    description: 'Court gate',
  }),
];
const titles: Record<string, string> = { 'case-a': 'Koet Saray', 'case-b': 'Land activists' };
const ids = (list: DocumentListing[]) => list.map((entry) => entry.id);

describe('documents list view', () => {
  it('shows the newest first by default', () => {
    expect(ids(viewDocuments(documents, DEFAULT_DOCUMENT_VIEW))).toEqual(['a', 'c', 'b']);
  });

  it('sorts names naturally and case-insensitively, either way', () => {
    const byName = { ...DEFAULT_DOCUMENT_VIEW, sortKey: 'name' as const, descending: false };
    expect(ids(viewDocuments(documents, byName))).toEqual(['c', 'b', 'a']);
    expect(ids(viewDocuments(documents, { ...byName, descending: true }))).toEqual(['a', 'b', 'c']);
    expect(ids(viewDocuments(documents, { ...byName, sortKey: 'size' }))).toEqual(['b', 'c', 'a']);
  });

  it('filters by type and by text in the name, case title, description or hash', () => {
    expect(ids(viewDocuments(documents, { ...DEFAULT_DOCUMENT_VIEW, kind: 'image' }))).toEqual(['c']);
    const text = (value: string) =>
      ids(viewDocuments(documents, { ...DEFAULT_DOCUMENT_VIEW, text: value }, (id) => titles[id] ?? ''));
    expect(text('VERDICT')).toEqual(['a', 'b']);
    expect(text('land')).toEqual(['b']);
    expect(text('court gate')).toEqual(['c']);
    expect(text('  ')).toEqual(['a', 'c', 'b']);
    expect(text('b000')).toEqual(['b']);
  });

  it('sorts by case title when the list spans cases', () => {
    const view = { ...DEFAULT_DOCUMENT_VIEW, sortKey: 'case' as const, descending: false };
    expect(ids(viewDocuments(documents, view, (id) => titles[id] ?? ''))).toEqual(['c', 'a', 'b']);
  });
});
