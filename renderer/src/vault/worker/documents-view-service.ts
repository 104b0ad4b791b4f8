import type { VaultWorkerApi } from '../api';
import {
  DEFAULT_DOCUMENT_VIEW,
  documentsPageQuerySchema,
  viewDocuments,
  viewNeedsCaseTitles,
  type DocumentListing,
  type DocumentsPageQuery,
} from '../document-view';
import { VaultError } from './crypto/errors';
import type { VaultStore } from './vault-store';

type DocumentsViewApi = Pick<VaultWorkerApi, 'documentsPage'>;

/** Every document's listing as read at one version of the vault, with what was worked out from them. */
interface Listed {
  store: VaultStore;
  version: string;
  documents: DocumentListing[];
  damaged: string[];
  /** Case titles by id (read only for a view that needs them). */
  titles?: Map<string, string>;
  /** The last view asked for, sorted. */
  sorted?: { key: string; rows: DocumentListing[] };
}

/** The default view (newest first, nothing filtered): its first rows are kept in the documents summary. */
const isDefaultView = ({ view }: DocumentsPageQuery) =>
  view.sortKey === DEFAULT_DOCUMENT_VIEW.sortKey &&
  view.descending === DEFAULT_DOCUMENT_VIEW.descending &&
  view.text.trim() === '' &&
  view.kind === DEFAULT_DOCUMENT_VIEW.kind;

/** A view as sorted for one language: the key the sorted rows are kept under. */
const viewKey = ({ view, language }: DocumentsPageQuery) =>
  JSON.stringify([view.sortKey, view.descending, view.text.trim(), view.kind, language]);

/**
 * The vault-wide documents view, filtered, sorted and cut into windows in
 * the vault worker: the page asks for the rows it shows and holds only those
 * (at 50,000 documents, the structured clone of every row to the page took
 * longer than reading them from the list index). The listings and the last
 * view's order are kept until the vault changes (records or custody log, as
 * the overview's), and dropped at lock.
 *
 * The first pages of the default view (newest first) come from the documents
 * summary, which keeps the newest listings less their descriptions
 * (list-entries.ts): one row read instead of every shard (at 50,000
 * documents, about 25 MiB), and every listing is then read in the background
 * for the pages after them. Only the summary row is checked then (against the
 * integrity map); a shard altered on disk shows when the listings are read.
 */
export function createDocumentsViewService(deps: {
  session: () => { store: VaultStore };
  listAllDocuments: VaultWorkerApi['listAllDocuments'];
}) {
  let kept: Listed | null = null;
  /** The listings being read (one read at a time per version: a read ahead and a page may both ask). */
  let reading: { store: VaultStore; version: string; listed: Promise<Listed> } | null = null;
  /** Moves at every drop: a read that began before a lock or a re-key is not kept after it. */
  let epoch = 0;

  const versionOf = (store: VaultStore) => `${store.commits}:${store.logLength}`;

  function listings(store: VaultStore): Promise<Listed> {
    const version = versionOf(store);
    if (kept?.store === store && kept.version === version) return Promise.resolve(kept);
    if (reading?.store === store && reading.version === version) return reading.listed;
    const began = epoch;
    const listed = deps.listAllDocuments().then(({ documents, damaged }) => {
      const fresh: Listed = { store, version, documents, damaged };
      // Kept only if nothing changed while it was read, and nothing dropped it meanwhile.
      if (versionOf(store) === version && epoch === began) kept = fresh;
      return fresh;
    });
    const current = { store, version, listed };
    reading = current;
    const done = () => {
      if (reading === current) reading = null;
    };
    listed.then(done, done);
    return listed;
  }

  async function caseTitles(store: VaultStore, listed: Listed) {
    if (listed.titles) return listed.titles;
    const { entries } = await store.listEntries('case');
    listed.titles = new Map(entries.map(({ entry }) => [entry.id, entry.title]));
    return listed.titles;
  }

  const api: DocumentsViewApi = {
    async documentsPage(input) {
      const parsed = documentsPageQuerySchema.safeParse(input);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid documents view.');
      const query = parsed.data;
      const { store } = deps.session();
      const fresh = kept?.store === store && kept.version === versionOf(store);
      const summary = !fresh && isDefaultView(query) ? await store.storedListSummary('document') : undefined;
      if (summary) {
        const { count, newest } = summary;
        if (query.offset + query.limit <= newest.length || newest.length === count) {
          // Read ahead for the pages after these (none when these are all); a failure (a lock) only means the next
          // page reads them itself.
          if (newest.length < count) void listings(store).catch(() => undefined);
          return {
            total: count,
            matched: count,
            offset: query.offset,
            rows: newest.slice(query.offset, query.offset + query.limit),
            damaged: [],
          };
        }
      }
      const listed = await listings(store);
      const key = viewKey(query);
      if (listed.sorted?.key !== key) {
        const titles = viewNeedsCaseTitles(query.view) ? await caseTitles(store, listed) : new Map<string, string>();
        listed.sorted = {
          key,
          rows: viewDocuments(listed.documents, query.view, (caseId) => titles.get(caseId) ?? '', query.language),
        };
      }
      const { rows } = listed.sorted;
      return {
        total: listed.documents.length,
        matched: rows.length,
        offset: query.offset,
        rows: rows.slice(query.offset, query.offset + query.limit),
        damaged: listed.damaged,
      };
    },
  };

  return {
    api,
    /** At lock: the listings go with the keys. */
    drop: () => {
      epoch += 1;
      kept = null;
      reading = null;
    },
  };
}
