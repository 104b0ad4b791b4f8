import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENT_VIEW, viewDocuments, type DocumentListing } from '../../../renderer/src/vault/document-view';
import type { DocumentRecord } from '../../../renderer/src/vault/model';
import {
  NEWEST_DOCUMENTS,
  RECENT_DOCUMENTS,
  documentListEntry,
  newerFirst,
  type DocumentsSummary,
  type RecentDocument,
} from '../../../renderer/src/vault/worker/list-index/list-entries';

/**
 * The home screen's summaries are moved one entry at a time by every commit
 * (list-index/list-entries.ts). Whatever the order of additions and
 * removals, they must say what counting every entry afresh says; the newest
 * documents they keep must always be the start of the true order.
 */

const hex = (n: number) => n.toString(16).padStart(32, '0');

function documentOf(n: number, intakeAt: number, kind: DocumentRecord['kind']): DocumentListing {
  return {
    id: hex(n),
    caseId: hex(1),
    name: `document ${n}`,
    size: 1,
    kind,
    sha256: '0'.repeat(64),
    intakeAt,
    description: `described ${n}`,
  };
}

const { summary } = documentListEntry;

describe('the documents summary', () => {
  it('keeps counts exact and its newest documents a true start of the order, through any additions and removals', () => {
    const operation = fc.record({
      // Mostly additions, so more than NEWEST_DOCUMENTS documents pile up; removals and edits among them.
      add: fc.integer({ min: 0, max: 9 }).map((draw) => draw < 8),
      n: fc.integer({ min: 0, max: 1500 }),
      intakeAt: fc.integer({ min: 0, max: 5000 }),
      kind: fc.constantFrom<DocumentRecord['kind']>('pdf', 'text', 'image', 'audio', 'other'),
    });
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1000, maxLength: 2500 }), (operations) => {
        const stored = new Map<string, DocumentListing>();
        const kept: DocumentsSummary = summary.empty();
        for (const { add, n, intakeAt, kind } of operations) {
          const before = stored.get(hex(n));
          // An edit is a removal of the entry as it was, then the new one (as a commit makes it).
          if (before) {
            summary.add(kept, before, -1);
            stored.delete(before.id);
          }
          if (add) {
            const document = documentOf(n, intakeAt, kind);
            summary.add(kept, document, 1);
            stored.set(document.id, document);
          }
        }
        const fresh: DocumentsSummary = summary.empty();
        for (const document of stored.values()) summary.add(fresh, document, 1);
        expect(kept.count).toBe(fresh.count);
        expect(kept.annotatable).toBe(fresh.annotatable);
        const truth: RecentDocument[] = [...stored.values()]
          .filter((document) => ['pdf', 'text', 'image'].includes(document.kind))
          .map((document): RecentDocument => [document.id, document.caseId, document.name, document.intakeAt])
          .sort(newerFirst);
        expect(kept.recent).toEqual(truth.slice(0, kept.recent.length));
        expect(kept.recent.length).toBeLessThanOrEqual(RECENT_DOCUMENTS);
        // Counted afresh, it holds as many as it may.
        expect(fresh.recent).toEqual(truth.slice(0, RECENT_DOCUMENTS));
        // The documents view's first rows: every kind, in its default order (newest first, then by id).
        const view = viewDocuments([...stored.values()], DEFAULT_DOCUMENT_VIEW).map((document) => ({
          ...document,
          description: '',
        }));
        expect(kept.newest).toEqual(view.slice(0, kept.newest.length));
        expect(kept.newest.length).toBeLessThanOrEqual(NEWEST_DOCUMENTS);
        expect(fresh.newest).toEqual(view.slice(0, NEWEST_DOCUMENTS));
      }),
      { numRuns: 60 },
    );
  });
});
