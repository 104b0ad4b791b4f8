import { useTranslation } from 'react-i18next';
import type { BundleImportPreview, BundleImportResult, BundleItemPreview, ImportResolution } from '../vault';
import { CaseLinks, ReceivedItems } from './BundleContents';

const ITEM_TYPES: BundleItemPreview['type'][] = [
  'case',
  'document',
  'document-text',
  'annotation',
  'hearing',
  'timeline-event',
];
const STATUSES: BundleItemPreview['status'][] = ['new', 'update', 'same', 'conflict'];

/** What the import did, item by item and named, and links to the cases it wrote to. */
export function ImportResult({
  preview,
  resolutions,
  result,
  onOpenCase,
}: {
  preview: BundleImportPreview;
  resolutions: Record<string, ImportResolution>;
  result: BundleImportResult;
  onOpenCase?: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  const outcome = (item: BundleItemPreview) => {
    if (item.status === 'new') return t('bundleContents.outcome.added');
    if (item.status === 'update') return t('bundleContents.outcome.updated');
    if (item.status === 'conflict') return t(`bundleContents.outcome.${resolutions[item.id] ?? 'mine'}`);
    return t('bundleContents.outcome.unchanged');
  };
  const touched = new Set(result.cases ?? []);
  const cases = preview.items
    .filter((item) => item.type === 'case' && touched.has(item.caseId))
    .map((item) => ({ caseId: item.caseId, title: item.label }));
  return (
    <div className="bundle-result">
      <ReceivedItems preview={preview} heading={t('bundleContents.resultHeading')} outcome={outcome} />
      {onOpenCase && <CaseLinks cases={cases} onOpenCase={onOpenCase} />}
    </div>
  );
}

/**
 * One verified bundle before it is taken: who signed it, what it would change, named, a choice for every
 * conflict, and its one action, Import.
 */
export function BundlePreview({
  preview,
  language,
  resolutions,
  onResolve,
  acceptUnknown,
  onAcceptUnknown,
  busy,
  onCommit,
  onBack,
}: {
  busy: boolean;
  preview: BundleImportPreview;
  language: string;
  resolutions: Record<string, ImportResolution>;
  onResolve: (id: string, choice: ImportResolution) => void;
  acceptUnknown: boolean;
  onAcceptUnknown: (accept: boolean) => void;
  onCommit: () => void;
  /** Back to the queue: the bundle stays there, staged. */
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const { signer } = preview;
  const conflicts = preview.items.filter((item) => item.status === 'conflict');
  const refused = preview.items.filter((item) => item.status === 'refused');
  const statuses = refused.length > 0 ? [...STATUSES, 'refused' as const] : STATUSES;
  const count = (type: BundleItemPreview['type'], status: BundleItemPreview['status']) =>
    preview.items.filter((item) => item.type === type && item.status === status).length;
  const ready =
    refused.length === 0 &&
    (signer.status !== 'unknown' || acceptUnknown) &&
    conflicts.every((item) => resolutions[item.id]);
  return (
    <div className="bundle-preview" role="region" aria-label={t('open.previewLabel')}>
      <p className="signer">
        {t('open.signedBy', { name: signer.name || '—' })}{' '}
        <span className={`badge ${signer.status === 'verified' || signer.status === 'self' ? 'final' : 'warning'}`}>
          {t(`open.signer.${signer.status}`, { contact: signer.contactName ?? '' })}
        </span>
      </p>
      <p className="hash">{t('open.signingKey', { key: signer.signingKey })}</p>
      {signer.status === 'unknown' && (
        <label className="inline warning-box">
          <input type="checkbox" checked={acceptUnknown} onChange={(event) => onAcceptUnknown(event.target.checked)} />
          {t('open.acceptUnknown')}
        </label>
      )}
      {preview.alreadyImportedAt !== null && (
        <p role="status">
          {t('open.alreadyImported', { date: new Date(preview.alreadyImportedAt).toLocaleString(language) })}
        </p>
      )}
      <p>
        {t('open.summary', {
          created: new Date(preview.createdAt).toLocaleString(language),
          count: preview.recipients,
        })}
      </p>
      <p>
        {preview.custodyLog === null
          ? t('open.noCustodyLog')
          : preview.custodyLog.ok
            ? t('open.custodyLogOk', { entries: preview.custodyLog.entries, redacted: preview.custodyLog.redacted })
            : t('open.custodyLogBroken', { reason: preview.custodyLog.reason })}
      </p>
      <table className="indicators">
        <caption>{t('open.itemsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('open.itemType')}</th>
            {statuses.map((status) => (
              <th key={status} scope="col">
                {t(`open.status.${status}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ITEM_TYPES.filter((type) => preview.items.some((item) => item.type === type)).map((type) => (
            <tr key={type}>
              <th scope="row">{t(`open.type.${type}`)}</th>
              {statuses.map((status) => (
                <td key={status}>{count(type, status)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {refused.length > 0 && (
        <div role="alert" className="warning-box">
          <p>{t('open.refusedTitle')}</p>
          <ul>
            {refused.map((item) => (
              <li key={item.id}>
                {t('open.refusedItem', {
                  type: t(`open.type.${item.type}`),
                  label: item.label,
                  reason: t(`open.refusal.${item.refusal ?? 'foreign-case'}`),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ReceivedItems
        preview={preview}
        heading={t('open.changesHeading')}
        outcome={(item) =>
          [
            t(`bundleContents.status.${item.status}`),
            ...(item.currentFrom === undefined
              ? []
              : [
                  item.currentFrom === null
                    ? t('open.replacesYours')
                    : t('open.replacesFrom', { name: item.currentFrom.name || '—' }),
                ]),
          ].join(', ')
        }
      />
      {conflicts.length > 0 && (
        <fieldset>
          <legend>{t('open.conflicts', { n: conflicts.length })}</legend>
          {conflicts.map((item) => (
            <div
              key={item.id}
              role="radiogroup"
              aria-label={t('open.conflictOf', { type: t(`open.type.${item.type}`), label: item.label })}
            >
              <span>
                {t(`open.type.${item.type}`)}: {item.label}
              </span>{' '}
              {(['mine', 'theirs', 'both'] as const)
                .filter((choice) => choice !== 'both' || (item.type !== 'case' && item.type !== 'document'))
                .map((choice) => (
                  <label key={choice} className="inline">
                    <input
                      type="radio"
                      name={`resolve-${item.id}`}
                      checked={resolutions[item.id] === choice}
                      onChange={() => onResolve(item.id, choice)}
                    />
                    {t(`open.resolve.${choice}`)}
                  </label>
                ))}
            </div>
          ))}
        </fieldset>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={!ready || busy} onClick={onCommit}>
          {t('open.import')}
        </button>
        <button type="button" disabled={busy} onClick={onBack}>
          {t('queue.back')}
        </button>
      </div>
    </div>
  );
}
