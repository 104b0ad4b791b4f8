import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, useFormats } from '../ui';
import { DOCUMENT_KINDS, type DocumentRecord } from '../vault';
import {
  DEFAULT_DOCUMENT_VIEW,
  formatSize,
  viewDocuments,
  type DocumentListView,
  type DocumentSortKey,
} from './document-list';

/** A sortable, filterable list of documents; the caller supplies each row's actions. */
export function DocumentTable({
  documents,
  caseTitle,
  actions,
}: {
  documents: readonly DocumentRecord[];
  /** Given when the list spans cases: adds a Case column. */
  caseTitle?: (caseId: string) => string;
  actions: (document: DocumentRecord) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<DocumentListView>(DEFAULT_DOCUMENT_VIEW);
  const shown = useMemo(
    () => viewDocuments(documents, view, caseTitle, i18n.language),
    [documents, view, caseTitle, i18n.language],
  );
  const formats = useFormats();

  function header(key: DocumentSortKey, label: string) {
    const active = view.sortKey === key;
    return (
      <th scope="col" aria-sort={active ? (view.descending ? 'descending' : 'ascending') : undefined}>
        <button
          type="button"
          className="sort"
          onClick={() =>
            setView((previous) => ({
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

  return (
    <div className="document-table">
      <div className="filters" role="search">
        <label>
          {t('documents.filterText')}
          <input
            type="search"
            autoComplete="off"
            value={view.text}
            onChange={(event) => setView((previous) => ({ ...previous, text: event.target.value }))}
          />
        </label>
        <SelectField
          label={t('documents.filterKind')}
          value={view.kind}
          onChange={(event) =>
            setView((previous) => ({ ...previous, kind: event.target.value as DocumentListView['kind'] }))
          }
        >
          <option value="any">{t('documents.anyKind')}</option>
          {DOCUMENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`documents.kind.${kind}`)}
            </option>
          ))}
        </SelectField>
        <span role="status">{t('documents.shownCount', { shown: shown.length, total: documents.length })}</span>
      </div>
      <table className="documents-table">
        <thead>
          <tr>
            {header('name', t('documents.name'))}
            {caseTitle && header('case', t('documents.case'))}
            {header('kind', t('documents.type'))}
            {header('size', t('documents.size'))}
            {header('intakeAt', t('documents.added'))}
            <th scope="col">{t('documents.hash')}</th>
            <th scope="col">{t('documents.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((document) => (
            <tr key={document.id}>
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
          ))}
        </tbody>
      </table>
    </div>
  );
}
