import { proxy } from 'comlink';
import { useEffect, useRef, useState, useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../ui';
import { TaskProgress, useProgressMeter, type ProgressMeter } from '../ui/progress';
import {
  DOCUMENT_KINDS,
  INDICATOR_ANSWERS,
  INDICATOR_IDS,
  type CaseSummary,
  type SearchHit,
  type SearchIndexProgress,
  type SearchKind,
  type SearchOptions,
} from '../vault';
import { useVault } from '../session';
import { MOST_HITS, SEARCH_PAGE } from './search-page';

const KINDS: SearchKind[] = ['case', 'page', 'annotation', 'hearing', 'event', 'document'];

/** A search that waits this long for the index shows its building: a quick catch-up after an edit shows none. */
const SHOW_BUILDING_AFTER_MS = 500;

/**
 * A snippet with its matches marked: the record's own words (never folded), "…" where the text goes on, and the
 * translated name of the field it comes from (hearings).
 */
function Snippet({ snippet }: { snippet: SearchHit['snippet'] }) {
  const { t } = useTranslation();
  const parts: React.ReactNode[] = [];
  let at = 0;
  snippet.marks.forEach(([start, end], index) => {
    if (start < at) return;
    parts.push(snippet.text.slice(at, start));
    parts.push(<mark key={index}>{snippet.text.slice(start, end)}</mark>);
    at = end;
  });
  parts.push(snippet.text.slice(at));
  return (
    <span className="snippet">
      {snippet.field !== null && <span className="snippet-field">{t(snippet.field)}: </span>}
      {snippet.cutBefore && '…'}
      {parts}
      {snippet.cutAfter && '…'}
    </span>
  );
}

export type SearchTarget =
  | { kind: 'case'; caseId: string }
  | { kind: 'document'; caseId: string; documentId: string; query: string; page: number }
  | { kind: 'hearing'; caseId: string; hearingId: string; query: string };

/**
 * One search box over the whole vault (Ctrl/Cmd+K), results grouped by kind
 * with the matching words marked; choosing one opens the exact place.
 */
export function SearchPanel({
  cases,
  initialQuery,
  onOpen,
}: {
  cases: readonly CaseSummary[];
  initialQuery: string;
  onOpen: (target: SearchTarget) => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const [query, setQuery] = useState(initialQuery);
  const [caseId, setCaseId] = useState('');
  const [kind, setKind] = useState<SearchKind | ''>('');
  const [filters, setFilters] = useState<Omit<SearchOptions, 'caseId' | 'kinds' | 'limit'>>({});
  const setFilter = (name: keyof typeof filters, value: string) =>
    setFilters((current) => {
      const next = { ...current, [name]: value };
      if (value === '') delete next[name];
      return next;
    });
  const filtering = Object.keys(filters).length > 0;
  // The hits of the last answer, and how many were wanted then (the panel shows that many; one more means more).
  const [hits, setHits] = useState<{ found: SearchHit[]; wanted: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const deferred = useDeferredValue(query);
  // How many hits are asked for (one more is asked, to know whether there are more); back to a page at each new search.
  const [wanted, setWanted] = useState(SEARCH_PAGE);
  const searchKey = JSON.stringify([deferred, caseId, kind, filters]);
  const [wantedFor, setWantedFor] = useState(searchKey);
  if (wantedFor !== searchKey) {
    setWantedFor(searchKey);
    setWanted(SEARCH_PAGE);
  }
  const input = useRef<HTMLInputElement>(null);
  // The index being built for the search waiting on it (after unlock with no snapshot, say). One meter for the
  // build, whichever search typed meanwhile hears it, so its speed is not measured again at each letter.
  const { progress: building, start: startBuilding, clear: clearBuilding } = useProgressMeter();
  const buildMeter = useRef<ProgressMeter | null>(null);
  /** Which stage the bar shows: opening the stored index (bytes of it), then taking in records. */
  const [buildStage, setBuildStage] = useState<SearchIndexProgress['stage']>('building');
  const meterStage = useRef<SearchIndexProgress['stage'] | null>(null);
  /** Searches sent and not answered: the bar goes when none is left waiting. */
  const pending = useRef(0);
  const [waitedLong, setWaitedLong] = useState(false);

  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    let current = true;
    if (deferred.trim() === '' && !filtering) return;
    // Dates are sent only when they are complete (a year, a month or a day).
    const dated = Object.fromEntries(
      Object.entries(filters).filter(
        ([name, value]) => !['from', 'to'].includes(name) || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value),
      ),
    );
    const slow = setTimeout(() => current && setWaitedLong(true), SHOW_BUILDING_AFTER_MS);
    pending.current += 1;
    const options = {
      ...dated,
      ...(caseId ? { caseId } : {}),
      ...(kind ? { kinds: [kind] } : {}),
      limit: wanted + 1,
    };
    vault
      .search(
        deferred,
        options,
        proxy((next: SearchIndexProgress) => {
          if (!current) return;
          if (meterStage.current !== next.stage) {
            // A new stage, in its own unit: its own bar, speed and time left.
            meterStage.current = next.stage;
            setBuildStage(next.stage);
            buildMeter.current = startBuilding(next.total);
          }
          buildMeter.current ??= startBuilding(next.total);
          // Whole records (a record read but not yet indexed counts half), or bytes of the stored index.
          buildMeter.current.report(Math.floor(next.done), next.total);
        }),
      )
      .then(
        (found) => {
          if (!current) return;
          setHits({ found, wanted });
          setError(null);
        },
        (caught: unknown) => current && setError(caught),
      )
      .finally(() => {
        clearTimeout(slow);
        pending.current -= 1;
        if (pending.current > 0) return;
        buildMeter.current = null;
        meterStage.current = null;
        clearBuilding();
        setWaitedLong(false);
      });
    return () => {
      current = false;
      clearTimeout(slow);
    };
  }, [vault, deferred, caseId, kind, filters, filtering, wanted, startBuilding, clearBuilding]);

  const titles = new Map(cases.map((entry) => [entry.id, entry.title]));
  const answered = deferred.trim() === '' && !filtering ? null : hits;
  const found = answered?.found ?? [];
  // As answered, not as asked: while more are being read, what is shown (and its count) stays.
  const asked = answered?.wanted ?? wanted;
  const more = found.length > asked;
  const shown = found.slice(0, asked);
  const groups = KINDS.map((group) => ({ group, hits: shown.filter((hit) => hit.kind === group) })).filter(
    (entry) => entry.hits.length > 0,
  );

  function open(hit: SearchHit) {
    if (hit.kind === 'hearing' && hit.targetId)
      onOpen({ kind: 'hearing', caseId: hit.caseId, hearingId: hit.targetId, query: deferred });
    else if (hit.documentId)
      onOpen({
        kind: 'document',
        caseId: hit.caseId,
        documentId: hit.documentId,
        query: deferred,
        page: (hit.page ?? 0) + 1,
      });
    else onOpen({ kind: 'case', caseId: hit.caseId });
  }

  return (
    <section role="search" aria-label={t('search.label')} className="search-panel">
      <div className="search-controls">
        <label>
          {t('search.label')}
          <input
            ref={input}
            type="search"
            value={query}
            aria-keyshortcuts="Control+K Meta+K"
            placeholder={t('search.placeholder')}
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
        <label>
          {t('search.inCase')}
          <select value={caseId} onChange={(event) => setCaseId(event.target.value)}>
            <option value="">{t('search.allCases')}</option>
            {cases.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('search.kind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as SearchKind | '')}>
            <option value="">{t('search.allKinds')}</option>
            {KINDS.map((entry) => (
              <option key={entry} value={entry}>
                {t(`search.kinds.${entry}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <details className="search-filters">
        <summary>{t('search.moreFilters')}</summary>
        <div className="search-controls">
          <label>
            {t('search.tag')}
            <input value={filters.tag ?? ''} onChange={(event) => setFilter('tag', event.target.value)} />
          </label>
          <label>
            {t('search.provision')}
            <input
              value={filters.provision ?? ''}
              placeholder="Criminal Code art. 494"
              onChange={(event) => setFilter('provision', event.target.value)}
            />
          </label>
          <label>
            {t('search.indicator')}
            <select value={filters.indicator ?? ''} onChange={(event) => setFilter('indicator', event.target.value)}>
              <option value="">{t('search.anyIndicator')}</option>
              {INDICATOR_IDS.map((indicator) => (
                <option key={indicator} value={indicator}>
                  {t(`indicator.${indicator}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('search.answer')}
            <select
              value={filters.answer ?? ''}
              disabled={!filters.indicator}
              onChange={(event) => setFilter('answer', event.target.value)}
            >
              <option value="">{t('search.anyAnswer')}</option>
              {INDICATOR_ANSWERS.map((answer) => (
                <option key={answer} value={answer}>
                  {t(`answer.${answer}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('search.from')}
            <input
              value={filters.from ?? ''}
              placeholder="2025-01"
              onChange={(event) => setFilter('from', event.target.value)}
            />
          </label>
          <label>
            {t('search.to')}
            <input
              value={filters.to ?? ''}
              placeholder="2025-12"
              onChange={(event) => setFilter('to', event.target.value)}
            />
          </label>
          <label>
            {t('search.documentKind')}
            <select
              value={filters.documentKind ?? ''}
              onChange={(event) => setFilter('documentKind', event.target.value)}
            >
              <option value="">{t('search.anyDocumentKind')}</option>
              {DOCUMENT_KINDS.map((documentKind) => (
                <option key={documentKind} value={documentKind}>
                  {t(`documents.kind.${documentKind}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </details>
      {error !== null && (
        <p role="alert" className="error">
          {errorMessage(t, error)}
        </p>
      )}
      {building && waitedLong && !(deferred.trim() === '' && !filtering) ? (
        <div className="search-building">
          <p role="status" className="muted">
            {buildStage === 'opening' ? t('search.opening') : t('search.building', { count: building.total })}
          </p>
          <TaskProgress
            label={buildStage === 'opening' ? t('search.openingLabel') : t('search.buildingLabel')}
            progress={building}
            unit={buildStage === 'opening' ? 'bytes' : 'items'}
          />
        </div>
      ) : (
        <p role="status" className="muted">
          {deferred.trim() === '' && !filtering
            ? t('search.hint')
            : t(more ? 'search.countFirst' : 'search.count', { count: shown.length })}
        </p>
      )}
      {groups.map(({ group, hits: inGroup }) => (
        <section key={group} aria-label={t(`search.kinds.${group}`)} className="search-group">
          <h3>{t(`search.kinds.${group}`)}</h3>
          <ul>
            {inGroup.map((hit) => (
              <li key={hit.id}>
                <button type="button" className="link" onClick={() => open(hit)}>
                  {hit.page !== null
                    ? t('search.resultOnPage', { title: hit.title, page: hit.page + 1 })
                    : hit.title || t('search.untitled')}
                </button>{' '}
                <span className="muted">{titles.get(hit.caseId) ?? ''}</span>
                <div>
                  <Snippet snippet={hit.snippet} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {more && asked < MOST_HITS && (
        <button type="button" disabled={wanted > asked} onClick={() => setWanted(asked + SEARCH_PAGE)}>
          {t('search.showMore')}
        </button>
      )}
    </section>
  );
}
