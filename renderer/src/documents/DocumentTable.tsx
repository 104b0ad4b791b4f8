import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, useFormats } from '../ui';
import { DOCUMENT_KINDS, type DocumentListing, type DocumentListView, type DocumentSortKey } from '../vault';
import { formatSize } from './document-list';

/** Row heights to start from (rows are measured once shown); Khmer's stacked glyphs need taller lines. */
const ROW_ESTIMATE = { latin: 44, khmer: 60 };

/** The rows a table shows: all of them at hand, or a window read as it scrolls. */
export interface DocumentRows<Row extends DocumentListing> {
  /** Rows the view lets through. */
  count: number;
  /** Documents before filtering. */
  total: number;
  /** The row at a place in the view, or undefined while it is being read. */
  at(index: number): Row | undefined;
}

/**
 * A sortable, filterable table of documents; the caller supplies the rows
 * (filtered and sorted by the view it is given) and each row's actions.
 * With `virtual`, only the rows in sight are in the page (the vault-wide
 * view, tens of thousands of rows), and `onRange` says which ones those are.
 */
export function DocumentTable<Row extends DocumentListing>({
  view,
  onViewChange,
  rows,
  caseTitle,
  actions,
  virtual = false,
  onRange,
}: {
  view: DocumentListView;
  onViewChange: Dispatch<SetStateAction<DocumentListView>>;
  rows: DocumentRows<Row>;
  /** Given when the list spans cases: adds a Case column. */
  caseTitle?: (caseId: string) => string;
  actions: (document: Row) => ReactNode;
  virtual?: boolean;
  onRange?: (first: number, last: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  const columns = caseTitle ? 7 : 6;

  function header(key: DocumentSortKey, label: string) {
    const active = view.sortKey === key;
    return (
      <th scope="col" aria-sort={active ? (view.descending ? 'descending' : 'ascending') : undefined}>
        <button
          type="button"
          className="sort"
          onClick={() =>
            onViewChange((previous) => ({
              ...previous,
              sortKey: key,
              descending: previous.sortKey === key ? !previous.descending : key === 'intakeAt' || key === 'size',
            }))
          }
        >
          {label}
          <span aria-hidden="true">{active ? (view.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  }

  function row(index: number, measure?: (element: Element | null) => void) {
    const document = rows.at(index);
    if (!document)
      return (
        <tr key={`pending-${index}`} data-index={index} ref={measure} aria-rowindex={index + 2}>
          <td colSpan={columns} className="muted">
            {t('common.loading')}
          </td>
        </tr>
      );
    return (
      <tr key={document.id} data-index={index} ref={measure} aria-rowindex={index + 2}>
        <td>{document.name}</td>
        {caseTitle && <td>{caseTitle(document.caseId)}</td>}
        <td>{t(`documents.kind.${document.kind}`)}</td>
        <td>{formatSize(document.size, i18n.language)}</td>
        <td>{formats.timestamp(document.intakeAt)}</td>
        <td>
          <code title={document.sha256}>{document.sha256.slice(0, 12)}</code>
        </td>
        <td>
          <div className="row-actions">{actions(document)}</div>
        </td>
      </tr>
    );
  }

  const table = (body: ReactNode) => (
    <table className="documents-table" aria-rowcount={rows.count + 1}>
      <thead>
        <tr aria-rowindex={1}>
          {header('name', t('documents.name'))}
          {caseTitle && header('case', t('documents.case'))}
          {header('kind', t('documents.type'))}
          {header('size', t('documents.size'))}
          {header('intakeAt', t('documents.added'))}
          <th scope="col">{t('documents.hash')}</th>
          <th scope="col">{t('documents.actions')}</th>
        </tr>
      </thead>
      <tbody>{body}</tbody>
    </table>
  );

  return (
    <div className="document-table">
      <div className="filters" role="search">
        <label>
          {t('documents.filterText')}
          <input
            type="search"
            autoComplete="off"
            value={view.text}
            onChange={(event) => onViewChange((previous) => ({ ...previous, text: event.target.value }))}
          />
        </label>
        <SelectField
          label={t('documents.filterKind')}
          value={view.kind}
          onChange={(event) =>
            onViewChange((previous) => ({ ...previous, kind: event.target.value as DocumentListView['kind'] }))
          }
        >
          <option value="any">{t('documents.anyKind')}</option>
          {DOCUMENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`documents.kind.${kind}`)}
            </option>
          ))}
        </SelectField>
        <span role="status">{t('documents.shownCount', { shown: rows.count, total: rows.total })}</span>
      </div>
      {virtual ? (
        <VirtualBody count={rows.count} columns={columns} row={row} table={table} onRange={onRange} />
      ) : (
        table(Array.from({ length: rows.count }, (_, index) => row(index)))
      )}
    </div>
  );
}

/** The table in a scroller of its own, with only the rows in sight (and a few around them) in the page. */
function VirtualBody({
  count,
  columns,
  row,
  table,
  onRange,
}: {
  count: number;
  columns: number;
  row: (index: number, measure: (element: Element | null) => void) => ReactNode;
  table: (body: ReactNode) => ReactNode;
  onRange?: (first: number, last: number) => void;
}) {
  const { i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const estimate = i18n.language === 'km' ? ROW_ESTIMATE.khmer : ROW_ESTIMATE.latin;
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimate,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= first) onRange?.(first, last);
  }, [first, last, onRange]);

  // Spacer rows above and below keep the scrollbar true to the whole list while the table stays a table.
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div ref={scroller} className="documents-scroller">
      {table(
        <>
          {before > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columns} style={{ height: before }} />
            </tr>
          )}
          {items.map((item) => row(item.index, virtualizer.measureElement))}
          {after > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columns} style={{ height: after }} />
            </tr>
          )}
        </>,
      )}
    </div>
  );
}
