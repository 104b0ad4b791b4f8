import type { SearchIndexProgress, SearchKind, VaultWorkerApi } from '../../api';
import { z } from '../../zod';
import { VaultError } from '../crypto/errors';
import { textRowId } from '../documents-service';
import { SEARCHED_KINDS, searchEntriesOf, type CaseRecordKind } from '../record-kinds';
import type { LogicalTable, VaultStore } from '../vault-store';
import { IndexProgress } from './index-progress';
import { EntryTextCache, type EntryText } from './entry-text-cache';
import { GiveWay } from '../give-way';
import { documentFactsOf, type DocumentFacts, type SearchEntriesOf, type SearchRecord } from './search-entries';
import { SearchIndex, toHit, type IndexedEntry, type SearchEntry, type SearchMatch } from './search-index';
import { storedShardRows } from './term-shards/term-shard-storage';
import {
  catalogueHeadOf,
  encodeRowTags,
  indexShards,
  loadRowTags,
  saveSearchSnapshot,
  searchSnapshotPointer,
  type IndexShards,
  type SnapshotPointer,
} from './search-snapshot';

type SearchApi = Pick<VaultWorkerApi, 'search'>;

/** The kinds search reads: those the record-kind registry gives a search-entry maker, in its order. */
const SEARCH_TABLES = SEARCHED_KINDS;

/** The search entries one record gives: its kind's maker in the registry (none for a kind not searched). */
const entriesOfRecord: SearchEntriesOf = (record, documents, documentOfTextRow) =>
  searchEntriesOf(record.table)?.(record, documents, documentOfTextRow) ?? [];

/** The table an entry's source row belongs to. */
const TABLE_OF: Record<SearchKind, LogicalTable> = {
  case: 'case',
  document: 'document',
  page: 'document-text',
  annotation: 'annotation-page',
  hearing: 'hearing',
  event: 'timeline-event',
};

/** `commits` of an index restored from a snapshot, before it is known to be up to date (as for an empty
 * index, -1, every row is then checked). */
const RESTORED = -2;

/** About how many entries go into the index between two progress reports (a few milliseconds of work). */
const INDEX_SLICE_ENTRIES = 500;
/** How long no search must have been answering before the background read of a restored catalogue reads a
 * batch, and the longest it waits for that. */
const WHOLE_READ_QUIET_MS = 250;
const WHOLE_READ_PAUSE_MS = 1000;

interface LiveIndex {
  store: VaultStore;
  index: SearchIndex;
  /** Where the index's term shards are stored. */
  shards: IndexShards;
  /** The tag of every row the index reflects (see VaultStore.scanCaseRecords); null for a restored index until
   * it is read whole (`readWhole`), with the blob they are stored in. */
  tags: Map<string, string> | null;
  tagsBlob: string | null;
  /** The read of the rest (`readWhole`), once started: one at a time. */
  wholeRead?: Promise<void>;
  /** Whether something waits for that read (a change, a deletion, a search): it then no longer gives way to
   * searches answering, as it does when it runs in the background. */
  wholeWanted?: boolean;
  /** The service's `generation` when this index was opened: work that outlives a lock must not act on it. */
  generation: number;
  /** `store.commits` when the index was last brought up to date. */
  commits: number;
  /** Whether the index holds more than the stored snapshot. */
  unsaved: boolean;
  /** Entry texts (and their fields) by entry id, with the tag of the row they were read from. */
  texts: EntryTextCache;
}

const optionsSchema = z.strictObject({
  caseId: z.string().max(64).optional(),
  kinds: z
    .array(z.enum(['case', 'document', 'page', 'annotation', 'hearing', 'event'] satisfies SearchKind[]))
    .optional(),
  tag: z.string().max(200).optional(),
  provision: z.string().max(200).optional(),
  indicator: z.string().max(64).optional(),
  answer: z.string().max(64).optional(),
  from: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .optional(),
  documentKind: z.string().max(32).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

/** What pages and annotations know of their documents: the index's own document entries. */
function documentsIn(index: SearchIndex): Map<string, DocumentFacts> {
  const documents = new Map<string, DocumentFacts>();
  for (const entry of index.allEntries())
    if (entry.kind === 'document' && entry.documentId)
      documents.set(entry.documentId, { name: entry.title, kind: entry.documentKind ?? '', caseId: entry.caseId });
  return documents;
}

/**
 * Brings `live` up to date with the vault: every search-table row is
 * listed with its tag, and only rows that are new or rewritten are
 * decrypted. Pages and annotations of a document that was renamed (or has
 * just arrived) are re-read too, since they carry its name. Returns whether
 * anything changed.
 */
type Scan = Awaited<ReturnType<VaultStore['scanCaseRecords']>>;

async function catchUp(live: LiveIndex, progress: IndexProgress, started?: Promise<Scan>): Promise<boolean> {
  const { store, index } = live;
  let tags: Map<string, string>;
  let changed: SearchRecord[];
  let damaged: string[];
  let gone: string[];
  // In this session, the store says which rows changed; otherwise (after unlock) every row's tag is checked.
  const known = live.commits >= 0 && !started ? store.rowsChangedSince(live.commits) : null;
  if (known?.size === 0) return false;
  // Any change needs every entry and every row's tag in memory (readWhole, before this).
  if (live.tags === null || !index.isWhole) throw new Error('the search index is not read whole');
  const liveTags = live.tags;
  if (known) {
    const read = await store.readCaseRecordsById([...known], SEARCH_TABLES);
    tags = new Map(liveTags);
    for (const [id, tag] of read.tags) tags.set(id, tag);
    gone = read.missing.filter((id) => tags.has(id));
    for (const id of gone) tags.delete(id);
    ({ changed, damaged } = read);
    for (const id of damaged) tags.delete(id);
  } else {
    const scan = await (started ??
      store.scanCaseRecords(
        SEARCH_TABLES,
        (id, tag) => liveTags.get(id) === tag,
        (opened, toOpen) => progress.reading(opened, toOpen),
      ));
    ({ tags, changed, damaged } = scan);
    gone = [...liveTags.keys()].filter((id) => !tags.has(id));
  }
  if (changed.length === 0 && gone.length === 0 && damaged.length === 0) {
    live.tags = tags;
    return false;
  }
  const documents = documentsIn(index);
  for (const source of gone)
    for (const id of index.entriesFrom(source))
      if (id.startsWith('document:')) documents.delete(id.slice('document:'.length));
  const renamed = new Set<string>();
  for (const record of changed) {
    const facts = documentFactsOf(record);
    if (!facts) continue;
    const before = documents.get(facts.id);
    if (!before || before.name !== facts.name || before.kind !== facts.kind) renamed.add(facts.id);
    documents.set(facts.id, facts);
  }
  const records: SearchRecord[] = [...changed];
  const read = new Set(records.map((record) => record.id));
  const reread = async (id: string, caseId: string, table: LogicalTable) => {
    if (read.has(id) || !tags.has(id)) return;
    read.add(id);
    const value = await store.find(table as CaseRecordKind, caseId, id).catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'locked') throw error;
      return undefined; // damaged: left out, as the scan leaves it out
    });
    if (value !== undefined) records.push({ id, caseId, table, value });
  };
  if (renamed.size > 0) {
    for (const documentId of renamed)
      await reread(textRowId(store, documentId), documents.get(documentId)!.caseId, 'document-text');
    const annotationRows = new Map<string, string>();
    for (const entry of index.allEntries())
      if (entry.kind === 'annotation' && entry.source && renamed.has(entry.documentId ?? ''))
        annotationRows.set(entry.source, entry.caseId);
    for (const [id, caseId] of annotationRows) await reread(id, caseId, 'annotation-page');
  }
  const documentOfTextRow = new Map([...documents.keys()].map((id) => [textRowId(store, id), id]));
  // Rows that give no entry now (gone, damaged, or read again and found damaged) are taken out first; then the
  // records go in a slice at a time, each slice replacing what its rows gave, so the build can say how far it is.
  const withRecord = new Set(records.map((record) => record.id));
  await index.replaceSources([...[...read].filter((id) => !withRecord.has(id)), ...gone, ...damaged], []);
  let indexed = 0;
  progress.indexing(0, records.length);
  while (indexed < records.length) {
    const sources: string[] = [];
    const entries: SearchEntry[] = [];
    while (indexed < records.length && entries.length < INDEX_SLICE_ENTRIES) {
      const record = records[indexed++]!;
      sources.push(record.id);
      entries.push(...entriesOfRecord(record, documents, (rowId) => documentOfTextRow.get(rowId)));
    }
    await index.replaceSources(sources, entries);
    progress.indexing(indexed, records.length);
  }
  live.tags = tags;
  return true;
}

const isLocked = (error: unknown) => error instanceof VaultError && error.code === 'locked';

/**
 * Search over the whole vault. The index lives in this worker's memory and,
 * between sessions, as an encrypted snapshot in the vault (written a few
 * seconds after the index last changed, never under a newer change). At the
 * first search after unlock the snapshot is opened: if no record changed
 * since, its catalogue is read as the searches' hits need it, and whole a
 * little later; otherwise it is read whole and brought up to date by tags,
 * so only what changed since is decrypted. Without one, the index is built
 * from every record. It is dropped from memory at lock.
 */
export function createSearchService(
  session: () => { store: VaultStore },
  options: {
    snapshotDelayMs?: number;
    /** Resolves once the vault's warm-up after unlock is done (the integrity map's buckets opened). */
    warmedUp?: () => Promise<void>;
  } = {},
) {
  let live: LiveIndex | null = null;
  /** Updates and snapshot writes, one at a time: a search typed meanwhile waits for the update under way. */
  let exclusive: Promise<unknown> = Promise.resolve();
  let updating: Promise<LiveIndex> | null = null;
  /** Bumped at lock: work still running then must not put its index back in memory. */
  let generation = 0;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let warmTimer: ReturnType<typeof setTimeout> | undefined;
  let wholeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The row-tags blob of a snapshot found damaged or gone part-way: not opened again (the index is rebuilt). */
  let distrusted: string | null = null;
  let stopWatching: () => void = () => undefined;
  /** The searches waiting on an update of the index, told how far it has got; and the latest figures, for a
   * search that joins an update under way. */
  const waiting = new Set<(progress: SearchIndexProgress) => void>();
  let latestProgress: SearchIndexProgress | null = null;
  /** Searches finding their hits and reading their records now: the catalogue's background read waits for them. */
  const answering = new GiveWay(WHOLE_READ_QUIET_MS, WHOLE_READ_PAUSE_MS);

  function tellWaiting(progress: SearchIndexProgress): void {
    latestProgress = progress;
    for (const listener of waiting) listener(progress);
  }

  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = exclusive.then(work);
    exclusive = run.catch(() => undefined);
    return run;
  }

  /**
   * The index as the stored snapshot left it (or empty), and what brings it
   * up to date: nothing if no record changed since the snapshot (same
   * records generation), else a check of every row's tag, started at once
   * so the rows are read while the snapshot is read and restored.
   */
  async function opened(
    store: VaultStore,
    commits: number,
    progress: IndexProgress,
  ): Promise<{ state: LiveIndex; scan?: Promise<Scan> }> {
    const pointer = await searchSnapshotPointer(store).catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'locked') throw error;
      return null; // a damaged pointer: rebuilt from the records
    });
    const current = pointer !== null && pointer.generation !== '' && pointer.generation === store.recordsGeneration;
    let knownTags: (tags: Map<string, string>) => void = () => undefined;
    const known = new Promise<Map<string, string>>((resolve) => (knownTags = resolve));
    const scan = current
      ? undefined
      : store.scanCaseRecords(
          SEARCH_TABLES,
          known.then((tags) => (id: string, tag: string) => tags.get(id) === tag),
          (opened, toOpen) => progress.reading(opened, toOpen),
        );
    scan?.catch(() => undefined); // awaited by catchUp; not unhandled if loading fails first
    try {
      const usable = pointer !== null && pointer.blobId !== distrusted;
      // Unless nothing changed since, the scan compares every row's tag with the snapshot's: read whole first.
      const state = usable ? await restored(store, pointer, progress, !current) : empty(store);
      knownTags(state.tags ?? new Map<string, string>());
      // Up to date as of `commits`: what changed since is in the store's journal.
      if (current && state.commits === RESTORED) state.commits = commits;
      return { state, scan };
    } catch (error) {
      knownTags(new Map());
      throw error;
    }
  }

  /** A new index, built from the records; nothing stored is read until its first store. */
  function empty(store: VaultStore): LiveIndex {
    const shards = indexShards(store, false);
    return {
      store,
      index: new SearchIndex(shards),
      shards,
      tags: new Map(),
      tagsBlob: null,
      generation,
      commits: -1,
      unsaved: true,
      texts: new EntryTextCache(),
    };
  }

  /**
   * Reads the rest of a restored index: every catalogue piece and the row
   * tags. Rejects if they are missing or damaged (the snapshot is then not
   * to be trusted: `distrust`).
   */
  function readWhole(
    state: LiveIndex,
    progress?: IndexProgress,
    { background = false }: { background?: boolean } = {},
  ): Promise<void> {
    if (state.index.isWhole && state.tags !== null) return Promise.resolve();
    if (!background) {
      // Waited for: a background read under way stops giving way to searches.
      state.wholeWanted = true;
      answering.wake();
    }
    // One read at a time: the background read, an update and a deletion may all ask; a second read of the tags
    // finishing after an update had changed them would put back the stored ones.
    state.wholeRead ??= (async () => {
      await state.index.whole(
        (done, total) => progress?.opening(done, total),
        async () => {
          await answering.clear(() => !state.wholeWanted && state.generation === generation);
          if (state.generation !== generation) throw new VaultError('locked', 'The vault was locked.');
        },
      );
      if (state.tags !== null) return;
      const tags = state.tagsBlob === null ? null : await loadRowTags(state.store, state.tagsBlob);
      if (tags === null) throw new Error('the search snapshot is gone');
      state.tags = tags;
    })().finally(() => {
      state.wholeRead = undefined;
    });
    return state.wholeRead;
  }

  /**
   * After a part of `state`'s snapshot could not be read: the index goes, and is built again from the records.
   * Not after a lock (the read failed because the keys went), nor once it was read whole meanwhile.
   */
  function distrust(state: LiveIndex): void {
    if (state.generation !== generation || (state.index.isWhole && state.tags !== null)) return;
    distrusted = state.tagsBlob;
    if (live === state) live = null;
  }

  /**
   * Reads the rest of a restored index once a search has answered (or the
   * warm-up has opened it), not before: the first search must not wait
   * behind it. A batch of pieces at a time: the searches typed meanwhile
   * read the pieces they need, or wait for those being read.
   */
  function scheduleWhole(state: LiveIndex): void {
    if ((state.index.isWhole && state.tags !== null) || state.wholeRead) return;
    clearTimeout(wholeTimer);
    wholeTimer = setTimeout(() => {
      if (live !== state) return;
      void readWhole(state, undefined, { background: true }).catch((error: unknown) => {
        if (!isLocked(error)) distrust(state);
      });
    }, options.snapshotDelayMs ?? 0);
  }

  async function restored(
    store: VaultStore,
    pointer: SnapshotPointer,
    progress: IndexProgress,
    whole: boolean,
  ): Promise<LiveIndex> {
    // A pointer written before the catalogue was stored in pieces: built again.
    const head = catalogueHeadOf(pointer);
    if (!head) return empty(store);
    try {
      const shards = indexShards(store, true);
      const state: LiveIndex = {
        ...empty(store),
        index: SearchIndex.restore(head, shards),
        shards,
        tags: null,
        tagsBlob: pointer.blobId,
        commits: RESTORED,
        unsaved: false,
      };
      if (whole) await readWhole(state, progress);
      return state;
    } catch (error) {
      if (isLocked(error)) throw error;
      // Damaged, or gone meanwhile: built again from the records.
      return empty(store);
    } finally {
      progress.opened();
    }
  }

  /** The index, up to date with every commit made before this call (an update already under way may have
   * started before the latest: then it is waited for, and another follows). */
  async function current(store: VaultStore): Promise<LiveIndex> {
    for (let attempt = 1; ; attempt++) {
      const state = await updated(store);
      if (state.commits === store.commits || attempt === 3) return state;
    }
  }

  function updated(store: VaultStore): Promise<LiveIndex> {
    if (live && live.store === store && live.commits === store.commits) return Promise.resolve(live);
    const started = generation;
    const update = (updating ??= oneAtATime(async () => {
      const commits = store.commits;
      latestProgress = null;
      const progress = new IndexProgress(tellWaiting);
      let { state, scan } = live && live.store === store ? { state: live } : await opened(store, commits, progress);
      if (!state.index.isWhole || state.tags === null) {
        // A change since needs every entry and row tag: read now, or (missing, damaged) the index is rebuilt.
        if (store.rowsChangedSince(state.commits)?.size !== 0)
          await readWhole(state, progress).catch((error: unknown) => {
            if (isLocked(error)) throw error;
            distrust(state);
            state = empty(store);
            scan = undefined;
          });
      }
      const changed = await catchUp(state, progress, scan);
      progress.flush();
      if (changed) {
        state.unsaved = true;
        state.texts.clear();
      }
      if (started !== generation) throw new VaultError('locked', 'The vault was locked during the search.');
      state.commits = commits;
      if (live?.store !== store) {
        // From now on, changes are taken in (and stored) soon after they are made, not at the next search:
        // an unlock then finds a snapshot that is up to date.
        stopWatching();
        const stopRefreshing = store.onCommit(() => scheduleRefresh(store));
        // A deletion drops the stored catalogue: an index restored from it reads the rest first.
        const stopGuarding = store.beforeDeletion(async () => {
          const state = live;
          if (state?.store !== store || (state.index.isWhole && state.tags !== null)) return;
          await readWhole(state).catch((error: unknown) => {
            if (!isLocked(error)) distrust(state);
          });
        });
        stopWatching = () => {
          stopRefreshing();
          stopGuarding();
        };
      }
      live = state;
      if (state.unsaved) scheduleSave();
      // A change made while this update ran (before the watch began, say) is taken in by the next one.
      if (store.commits !== commits) scheduleRefresh(store);
      return state;
    }).finally(() => {
      latestProgress = null;
      if (updating === update) updating = null;
    }));
    return update;
  }

  /** Brings the index up to date a little after the last change (and then stores it). */
  function scheduleRefresh(store: VaultStore): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void current(store).catch(() => undefined), options.snapshotDelayMs ?? 3000);
  }

  function scheduleSave(): void {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const state = live;
      if (!state?.unsaved) return;
      void oneAtATime(async () => {
        // Only an index that is up to date is stored, with the generation it reflects.
        if (live !== state || !state.unsaved || state.commits !== state.store.commits) return;
        const generation = state.store.recordsGeneration;
        if (state.tags === null) return; // never: a change reads the index whole first
        // A commit that deleted records dropped the pointer and every stored catalogue piece: all written again.
        const piecesGone = (await searchSnapshotPointer(state.store)) === null;
        const snapshot = await state.index.snapshot(() => live !== state, { allPieces: piecesGone });
        const rowTags = encodeRowTags(state.tags);
        try {
          if (await saveSearchSnapshot(state.store, snapshot, rowTags, state.shards, state.commits, generation)) {
            state.unsaved = false;
            distrusted = null;
          }
        } finally {
          rowTags.fill(0);
        }
      }).catch(() => undefined); // a lock or a full disk: the next change tries again
    }, options.snapshotDelayMs ?? 3000);
  }

  /** The text of each matched entry, re-read from its record (the index keeps none); each row read once. */
  async function textsOf(state: LiveIndex, matches: SearchMatch[]): Promise<Map<string, EntryText>> {
    // Before a restored index is read whole, its row tags are not known: texts are kept under '' (a change reads
    // the tags, and a text kept then is read again).
    const tagOf = (source: string) => state.tags?.get(source) ?? '';
    const cached = (entry: IndexedEntry) => state.texts.get(entry.id, tagOf(entry.source ?? ''));
    const wanted = new Map<string, IndexedEntry[]>();
    for (const { entry } of matches)
      if (entry.source !== undefined && cached(entry) === undefined)
        wanted.set(entry.source, [...(wanted.get(entry.source) ?? []), entry]);
    // The tags as they are before the read: if a row changes meanwhile, its text is read again next time.
    const tagsBefore = new Map([...wanted.keys()].map((source) => [source, tagOf(source)]));
    // One read per table for every row wanted (rows that fail are left out: their snippets stay empty).
    const values = new Map<string, unknown>();
    const byTable = new Map<LogicalTable, { caseId: string; id: string }[]>();
    for (const [source, entries] of wanted) {
      const table = TABLE_OF[entries[0]!.kind];
      byTable.set(table, [...(byTable.get(table) ?? []), { caseId: entries[0]!.caseId, id: source }]);
    }
    // The tables at once: a first read of each waits on the disk, not on the one before.
    const reads = await Promise.all(
      [...byTable].map(([table, refs]) =>
        state.store.findMany(table as CaseRecordKind, refs).catch((error: unknown) => {
          if (error instanceof VaultError && error.code === 'locked') throw error;
          return new Map<string, unknown>();
        }),
      ),
    );
    for (const read of reads) for (const [id, value] of read) values.set(id, value);
    for (const [source, entries] of wanted) {
      const { caseId, kind, documentId, title, documentKind } = entries[0]!;
      const table = TABLE_OF[kind];
      const tag = tagsBefore.get(source) ?? '';
      const value = values.get(source);
      if (value === undefined) continue;
      const documents = new Map<string, DocumentFacts>();
      if (documentId) documents.set(documentId, { name: title, kind: documentKind ?? '', caseId });
      const texts = new Map(
        entriesOfRecord({ id: source, caseId, table, value }, documents, () => documentId).map((found) => [
          found.id,
          found,
        ]),
      );
      for (const entry of entries) {
        const found = texts.get(entry.id);
        if (found === undefined) continue;
        state.texts.set(entry.id, { tag, text: found.text, fields: found.fields });
      }
    }
    const texts = new Map<string, EntryText>();
    for (const { entry } of matches) {
      const text = cached(entry);
      if (text !== undefined) texts.set(entry.id, text);
    }
    return texts;
  }

  /**
   * Term shards with no catalogue to name their entries: left when a commit
   * deleted records (it drops the catalogue in its own transaction) and the
   * vault was locked before the next store swept them. Deleted at unlock,
   * not at the next search: they hold deleted entries' terms.
   */
  function dropOrphanShards(store: VaultStore): Promise<void> {
    return oneAtATime(async () => {
      // Checked again here, after any store under way: a new index's first store makes a pointer.
      if ((live && live.store === store) || (await searchSnapshotPointer(store))) return;
      const rows = await storedShardRows(store);
      if (rows.length === 0) return;
      await store.commit({ delete: rows, derived: true });
    });
  }

  const api: SearchApi = {
    async search(query, searchOptions, onIndexProgress) {
      const { store } = session();
      const parsed = optionsSchema.safeParse(searchOptions ?? {});
      if (typeof query !== 'string' || query.length > 500 || !parsed.success) return [];
      // Told how the index update this search waits for goes (none when the index is up to date).
      const listener =
        typeof onIndexProgress === 'function'
          ? (progress: SearchIndexProgress) => {
              try {
                void Promise.resolve(onIndexProgress(progress) as unknown).catch(() => undefined);
              } catch {
                // the page that asked has gone: the update goes on
              }
            }
          : null;
      if (listener) {
        waiting.add(listener);
        if (latestProgress) listener(latestProgress);
      }
      let state: LiveIndex;
      try {
        // The stored index opened while the warm-up under way finishes: every query checks rows in dozens of
        // the integrity map's buckets.
        [state] = await Promise.all([current(store), options.warmedUp?.()]);
      } finally {
        if (listener) waiting.delete(listener);
      }
      // The hits and their records, counted as answering (the background read waits for them).
      let answer = await answering.track(
        (async () => {
          let matches: SearchMatch[];
          try {
            matches = await state.index.query(query, parsed.data);
          } catch (error) {
            if (isLocked(error) || state.index.isWhole) throw error;
            // A piece of the stored catalogue is missing or damaged: the index is built again, and asked again.
            distrust(state);
            return null;
          }
          return { matches, texts: await textsOf(state, matches) };
        })(),
      );
      // A piece of the stored index missing or damaged, found here (null) or meanwhile by the background read of
      // the rest (the index was then dropped, not by a lock): asked again of the index built anew.
      if (answer === null || (live !== state && state.generation === generation)) {
        state = await current(store);
        const matches = await state.index.query(query, parsed.data);
        answer = { matches, texts: await textsOf(state, matches) };
      }
      const { matches, texts } = answer;
      if (live !== state) throw new VaultError('locked', 'The vault was locked during the search.');
      scheduleWhole(state);
      return matches.map((match) => {
        const found = texts.get(match.entry.id);
        return toHit(match, found?.text ?? '', found?.fields);
      });
    },
  };

  return {
    api,
    /**
     * After unlock: if a snapshot is stored, it is loaded in the background,
     * so the first search does not wait for it and changes made before any
     * search reach the next snapshot. Without one, nothing is built until the
     * first search.
     */
    warm: () => {
      clearTimeout(warmTimer);
      warmTimer = setTimeout(() => {
        let store: VaultStore;
        try {
          ({ store } = session());
        } catch {
          return; // locked again meanwhile
        }
        void searchSnapshotPointer(store)
          .then((pointer): Promise<unknown> =>
            pointer ? current(store).then((state) => scheduleWhole(state)) : dropOrphanShards(store),
          )
          .catch(() => undefined);
      }, options.snapshotDelayMs ?? 1000);
    },
    /** At lock: the index goes with the keys. */
    drop: () => {
      generation += 1;
      clearTimeout(warmTimer);
      clearTimeout(saveTimer);
      clearTimeout(refreshTimer);
      clearTimeout(wholeTimer);
      stopWatching();
      // A background read waiting to read its next batch stops now, not a second later.
      answering.wake();
      live = null;
      updating = null;
    },
  };
}
