import { SelectField } from '../../ui';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, type CaseStatus, type CaseSummary } from '../../vault';

type SortKey = 'updated' | 'title' | 'status';
/** Row heights that fit two lines of text; Khmer's stacked glyphs need taller lines. */
const ROW_HEIGHT = { latin: 60, khmer: 76 };

function matches(summary: CaseSummary, query: string): boolean {
  if (!query) return true;
  const needle = query.toLocaleLowerCase();
  return [summary.title, ...summary.references, ...summary.tags].some((text) =>
    text.toLocaleLowerCase().includes(needle),
  );
}

function compare(sort: SortKey, language: string): (a: CaseSummary, b: CaseSummary) => number {
  const collator = new Intl.Collator(language);
  if (sort === 'title') return (a, b) => collator.compare(a.title, b.title);
  if (sort === 'status')
    return (a, b) => CASE_STATUSES.indexOf(a.status) - CASE_STATUSES.indexOf(b.status) || b.updatedAt - a.updatedAt;
  return (a, b) => b.updatedAt - a.updatedAt;
}

/** The case list: filtered, sorted and virtualised so 10,000 cases stay fast. */
export function CaseList({
  cases,
  selectedId,
  onOpen,
}: {
  cases: CaseSummary[];
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<CaseStatus | 'any'>('any');
  const [showArchived, setShowArchived] = useState(false);
  const [sort, setSort] = useState<SortKey>('updated');
  const scroller = useRef<HTMLDivElement>(null);
  const rowHeight = i18n.language === 'km' ? ROW_HEIGHT.khmer : ROW_HEIGHT.latin;

  const visible = useMemo(
    () =>
      cases
        .filter((entry) => (showArchived ? true : !entry.archived))
        .filter((entry) => status === 'any' || entry.status === status)
        .filter((entry) => matches(entry, query.trim()))
        .sort(compare(sort, i18n.language)),
    [cases, showArchived, status, query, sort, i18n.language],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);

  return (
    <div className="case-list">
      <div className="filters">
        <label>
          {t('cases.filter')}
          <input type="search" autoComplete="off" value={query} onChange={(event) => setQuery(event.target.value)} />
        </label>
        <SelectField
          label={t('cases.statusFilter')}
          value={status}
          onChange={(event) => setStatus(event.target.value as CaseStatus | 'any')}
        >
          <option value="any">{t('cases.anyStatus')}</option>
          {CASE_STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`status.${value}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('cases.sort')} value={sort} onChange={(event) => setSort(event.target.value as SortKey)}>
          <option value="updated">{t('cases.sortUpdated')}</option>
          <option value="title">{t('cases.sortTitle')}</option>
          <option value="status">{t('cases.sortStatus')}</option>
        </SelectField>
        <label className="inline">
          <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} />
          {t('cases.showArchived')}
        </label>
      </div>
      <p className="hint" aria-live="polite">
        {t('cases.count', { shown: visible.length, total: cases.length })}
      </p>
      <div ref={scroller} className="case-scroller" role="list" aria-label={t('cases.heading')}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = visible[item.index]!;
            return (
              <div
                key={entry.id}
                role="listitem"
                className="case-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <button
                  type="button"
                  aria-current={entry.id === selectedId ? 'true' : undefined}
                  onClick={() => onOpen(entry.id)}
                >
                  <span className="case-title">{entry.title}</span>
                  <span className="case-meta">
                    {t(`status.${entry.status}`)}
                    {entry.references.length > 0 && ` · ${entry.references.join(', ')}`}
                    {entry.archived && ` · ${t('cases.archived')}`}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
