import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronDown } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Button,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  SearchField,
  Select,
  SelectValue,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CUSTODY_ACTIONS, type CustodyAction, type CustodyLogRow } from '../../vault';
import { errorMessage, useFormats } from '../../ui';
import { queryKeys, useVault } from '../../session';

/** Entries asked of the worker at a time: the first screenful shows at once, the rest follows. */
const PAGE = 2000;
const ROW_HEIGHT = 48;

/** Who an entry names, in words. */
function whoText(t: TFunction, who: CustodyLogRow['who']): string {
  if (who.kind === 'sender') return t('log.who.sender', { name: who.name });
  if (who.kind === 'other') return t('log.who.other', { name: who.name });
  if (who.kind === 'unknown-sender') return t('log.who.unknownSender');
  return who.name ? t('log.who.selfNamed', { name: who.name }) : t('log.who.self');
}

/** What an entry is about, in words (the case title apart: it is a link). */
function aboutText(t: TFunction, row: CustodyLogRow): string {
  if (row.aboutDeletedCase || row.targetKind === null) return t('log.aboutDeletedCase');
  return t(`log.kind.${row.targetKind}`);
}

/** Every entry of the custody log, newest first, filtered by action and by the words shown; virtualised. */
export function LogEntries({ onOpenCase }: { onOpenCase?: (caseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const formats = useFormats();
  const [action, setAction] = useState<CustodyAction | 'any'>('any');
  const [query, setQuery] = useState('');
  const scroller = useRef<HTMLDivElement>(null);

  // Page after page until the whole log is here (filters and counts are over all of it); read again on open.
  const log = useInfiniteQuery({
    queryKey: [...queryKeys.custodyLog, 'entries'],
    queryFn: ({ pageParam }) =>
      vault.listCustodyLog(pageParam === null ? { limit: PAGE } : { before: pageParam, limit: PAGE }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    refetchOnMount: 'always',
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, status } = log;
  useEffect(() => {
    if (status === 'success' && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [status, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const rows = useMemo(() => log.data?.pages.flatMap((page) => page.entries) ?? [], [log.data]);
  const total = log.data?.pages[0]?.total ?? 0;

  const needle = query.trim().toLocaleLowerCase(i18n.language);
  const searching = needle !== '';
  // The words each row shows (its time as formatted here, action, what it is about, case, who), made once per
  // list and language when a search starts, so each keystroke only compares text.
  const words = useMemo(
    () =>
      searching
        ? rows.map((row) =>
            [
              formats.timestamp(row.time, true),
              t(`log.action.${row.action}`),
              aboutText(t, row),
              row.caseTitle ?? '',
              whoText(t, row.who),
            ]
              .join(' ')
              .toLocaleLowerCase(i18n.language),
          )
        : null,
    [rows, searching, formats, t, i18n.language],
  );
  const visible = useMemo(
    () =>
      rows.filter(
        (row, index) => (action === 'any' || row.action === action) && (!words || words[index]!.includes(needle)),
      ),
    [rows, words, action, needle],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  if (log.status === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, log.error)}
      </p>
    );

  return (
    <section aria-labelledby="log-entries-heading" className="log-list">
      <h3 id="log-entries-heading">{t('log.entriesHeading')}</h3>
      <div className="filters log-filters">
        <Select
          className="log-select"
          value={action}
          onChange={(key) => setAction((key ?? 'any') as CustodyAction | 'any')}
        >
          <Label>{t('log.filterAction')}</Label>
          <Button className="log-select-button">
            <SelectValue />
            <ChevronDown aria-hidden="true" size={16} />
          </Button>
          <Popover className="log-popover">
            <ListBox className="log-listbox">
              <ListBoxItem id="any" className="log-option">
                {t('log.anyAction')}
              </ListBoxItem>
              {CUSTODY_ACTIONS.map((value) => (
                <ListBoxItem key={value} id={value} className="log-option">
                  {t(`log.action.${value}`)}
                </ListBoxItem>
              ))}
            </ListBox>
          </Popover>
        </Select>
        <SearchField className="log-search" value={query} onChange={setQuery}>
          <Label>{t('log.filterText')}</Label>
          <Input autoComplete="off" />
        </SearchField>
      </div>
      <p className="hint" aria-live="polite">
        {log.status === 'pending'
          ? t('common.loading')
          : t('log.count', { count: total, shown: formats.number(visible.length), total: formats.number(total) })}
        {hasNextPage && ` ${t('log.readingMore')}`}
      </p>
      {log.status === 'success' && visible.length === 0 && <p className="muted">{t('log.noneMatch')}</p>}
      <div ref={scroller} className="log-scroller" role="list" aria-label={t('log.entriesHeading')}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = visible[item.index]!;
            return (
              <div
                key={row.seq}
                role="listitem"
                className="log-row"
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <time className="log-time" dateTime={new Date(row.time).toISOString()}>
                  {formats.timestamp(row.time, true)}
                </time>
                <strong className="log-action">{t(`log.action.${row.action}`)}</strong>
                <span className="log-about">
                  {aboutText(t, row)}
                  {row.caseId !== null && (
                    <>
                      {' · '}
                      {row.caseTitle === null ? (
                        <span className="muted">{t('log.caseUnreadable')}</span>
                      ) : onOpenCase ? (
                        <button type="button" className="link" onClick={() => onOpenCase(row.caseId!)}>
                          {row.caseTitle}
                        </button>
                      ) : (
                        row.caseTitle
                      )}
                    </>
                  )}
                </span>
                <span className="log-who">{whoText(t, row.who)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
