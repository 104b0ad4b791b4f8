import { describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_DOCUMENT_VIEW,
  viewDocuments,
  type DocumentListing,
  type DocumentListView,
} from '../../../renderer/src/vault/document-view';
import { createDocumentsViewService } from '../../../renderer/src/vault/worker/documents-view-service';
import {
  NEWEST_DOCUMENTS,
  documentListEntry,
  type DocumentsSummary,
} from '../../../renderer/src/vault/worker/list-index/list-entries';
import type { VaultStore } from '../../../renderer/src/vault/worker/vault-store';

/**
 * The documents view's first pages in the default order come from the documents summary (one row) rather than
 * every listing (64 shards, about 25 MiB at 50,000 documents): what decides which is read, and that both give the
 * same rows.
 */

const hex = (n: number) => n.toString(16).padStart(32, '0');
const listing = (n: number): DocumentListing => ({
  id: hex(n),
  caseId: hex(1),
  name: `document ${n}.pdf`,
  kind: n % 3 === 0 ? 'text' : 'pdf',
  size: n,
  // Ties on purpose: the order falls back to ids.
  intakeAt: 1_000 + Math.floor(n / 2),
  sha256: '0'.repeat(64),
  description: '',
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

/** A service over `documents`, whose full listing waits for `release`; the summary as the commits keep it. */
function serviceOver(documents: DocumentListing[], summaryStored = true) {
  const summary: DocumentsSummary = documentListEntry.summary.empty();
  for (const document of documents) documentListEntry.summary.add(summary, document, 1);
  const store = {
    commits: 1,
    logLength: 1,
    storedListSummary: vi.fn(() => Promise.resolve(summaryStored ? summary : undefined)),
    // Case titles, for a view filtered by text.
    listEntries: () => Promise.resolve({ entries: [], damaged: [] }),
  } as unknown as VaultStore;
  const release = deferred<void>();
  const listAllDocuments = vi.fn(async () => {
    await release.promise;
    return { documents, damaged: [] };
  });
  const service = createDocumentsViewService({ session: () => ({ store }), listAllDocuments });
  const page = (offset: number, limit: number, view: DocumentListView = DEFAULT_DOCUMENT_VIEW) =>
    service.api.documentsPage({ view, language: 'en', offset, limit });
  return { page, release: () => release.resolve(), listAllDocuments, summary, service };
}

const documents = Array.from({ length: 1_000 }, (_, n) => listing(n));
const truth = viewDocuments(documents, DEFAULT_DOCUMENT_VIEW);

describe('the documents view after unlock', () => {
  it('answers the default view’s first pages from the summary, before any listing is read, then reads ahead once', async () => {
    const { page, listAllDocuments } = serviceOver(documents);
    const first = await page(0, 200);
    expect(first).toMatchObject({ total: 1_000, matched: 1_000, offset: 0, damaged: [] });
    expect(first.rows).toEqual(truth.slice(0, 200));
    expect((await page(200, 200)).rows).toEqual(truth.slice(200, NEWEST_DOCUMENTS));
    // The listings are read ahead, once, for the pages after these (they are still being read here).
    expect(listAllDocuments).toHaveBeenCalledTimes(1);
  });

  it('reads every listing for a page past the kept start, another order or a filter', async () => {
    for (const [offset, view] of [
      [NEWEST_DOCUMENTS, DEFAULT_DOCUMENT_VIEW],
      [0, { ...DEFAULT_DOCUMENT_VIEW, sortKey: 'name' }],
      [0, { ...DEFAULT_DOCUMENT_VIEW, descending: false }],
      [0, { ...DEFAULT_DOCUMENT_VIEW, kind: 'text' }],
      [0, { ...DEFAULT_DOCUMENT_VIEW, text: 'document 7' }],
    ] as const) {
      const { page, release } = serviceOver(documents);
      let answered = false;
      const asked = page(offset, 200, view).then((result) => {
        answered = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(answered).toBe(false);
      release();
      expect((await asked).rows).toEqual(viewDocuments(documents, view).slice(offset, offset + 200));
    }
  });

  it('reads every listing when the index cannot be used, or the kept start is shorter than the page', async () => {
    const unusable = serviceOver(documents, false);
    unusable.release();
    expect((await unusable.page(0, 200)).rows).toEqual(truth.slice(0, 200));
    expect(unusable.listAllDocuments).toHaveBeenCalledTimes(1);

    // Some of the newest were deleted: the summary keeps a shorter start, and a page past it reads the listings.
    const shortened = serviceOver(documents);
    for (const document of truth.slice(0, 50)) documentListEntry.summary.add(shortened.summary, document, -1);
    shortened.release();
    const past = await shortened.page(300, 100);
    expect(shortened.summary.newest).toHaveLength(NEWEST_DOCUMENTS - 50);
    expect(past.rows).toEqual(truth.slice(300, 400));
  });

  it('answers from the summary when it holds every document', async () => {
    const few = documents.slice(0, 30);
    const { page, listAllDocuments } = serviceOver(few);
    expect((await page(0, 200)).rows).toEqual(viewDocuments(few, DEFAULT_DOCUMENT_VIEW));
    // Nothing to read ahead: the summary holds them all.
    expect(listAllDocuments).not.toHaveBeenCalled();
  });

  it('does not keep listings whose read began before a lock or a re-key dropped them', async () => {
    const { page, release, listAllDocuments, service } = serviceOver(documents, false);
    const asked = page(0, 10);
    await vi.waitFor(() => expect(listAllDocuments).toHaveBeenCalledTimes(1));
    service.drop();
    release();
    await asked;
    await page(0, 10);
    expect(listAllDocuments).toHaveBeenCalledTimes(2);
  });
});
