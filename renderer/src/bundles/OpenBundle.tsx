import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, StatusMessage } from '../ui';
import { TaskProgress, useProgressMeter } from '../ui/progress';
import type { Platform } from '../platform';
import type { BundleImportPreview, BundleImportResult, BundleItemPreview, ImportResolution } from '../vault';
import { useVault } from '../session';
import { CaseLinks, ReceivedItems } from './BundleContents';
import { readBundleFile } from './read-bundle';

const ITEM_TYPES: BundleItemPreview['type'][] = [
  'case',
  'document',
  'document-text',
  'annotation',
  'hearing',
  'timeline-event',
];
const STATUSES: BundleItemPreview['status'][] = ['new', 'update', 'same', 'conflict'];

type Stage =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'preview'; importId: string; preview: BundleImportPreview }
  | {
      kind: 'done';
      preview: BundleImportPreview;
      resolutions: Record<string, ImportResolution>;
      result: BundleImportResult;
    };

/**
 * Opens a bundle: reads it through the vault (every check runs before
 * anything is written), shows who signed it and what would change, lets the
 * user settle each conflict, then merges it in one transaction.
 */
export function OpenBundle({
  platform,
  onImported,
  onOpenCase,
}: {
  platform: Platform;
  onImported: () => void;
  /** Opens a case the import wrote to (the result links to each). */
  onOpenCase?: (caseId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  const [resolutions, setResolutions] = useState<Record<string, ImportResolution>>({});
  const [acceptUnknown, setAcceptUnknown] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [committing, setCommitting] = useState(false);
  const reading = useRef<AbortController | null>(null);

  async function open() {
    setMessage(null);
    const [file] = await platform.pickFiles();
    if (!file) return;
    const controller = new AbortController();
    reading.current = controller;
    try {
      setStage({ kind: 'reading' });
      const meter = startProgress(file.size);
      const { importId, preview } = await readBundleFile(
        vault,
        file,
        // Bytes the vault has opened, checked and staged.
        (read) => meter.report(read, file.size),
        controller.signal,
      );
      setResolutions({});
      setAcceptUnknown(false);
      setStage({ kind: 'preview', importId, preview });
    } catch (caught) {
      setStage({ kind: 'idle' });
      setMessage(
        controller.signal.aborted
          ? { ok: false, text: t('open.cancelled') }
          : { ok: false, text: errorMessage(t, caught) },
      );
    } finally {
      reading.current = null;
      clearProgress();
      await file.close();
    }
  }

  async function commit(importId: string, preview: BundleImportPreview) {
    setCommitting(true);
    try {
      const result = await vault.commitBundleImport(importId, { resolutions, acceptUnknownSigner: acceptUnknown });
      setStage({ kind: 'done', preview, resolutions, result });
      setMessage({
        ok: true,
        text: t('open.imported', { added: result.added, updated: result.updated, kept: result.kept }),
      });
      onImported();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    } finally {
      setCommitting(false);
    }
  }

  async function cancel(importId: string) {
    await vault.cancelBundleImport(importId);
    setStage({ kind: 'idle' });
    setMessage({ ok: false, text: t('open.cancelled') });
  }

  return (
    <section aria-labelledby="open-heading" className="open-bundle">
      <h2 id="open-heading">{t('open.heading')}</h2>
      {(stage.kind === 'idle' || stage.kind === 'done') && (
        <button type="button" className="primary" onClick={() => void open()}>
          {t('open.choose')}
        </button>
      )}
      {stage.kind === 'reading' && progress && (
        <TaskProgress label={t('open.progress')} progress={progress} onCancel={() => reading.current?.abort()} />
      )}
      {stage.kind === 'preview' && (
        <Preview
          preview={stage.preview}
          language={i18n.language}
          resolutions={resolutions}
          onResolve={(id, choice) => setResolutions({ ...resolutions, [id]: choice })}
          acceptUnknown={acceptUnknown}
          onAcceptUnknown={setAcceptUnknown}
          busy={committing}
          onCommit={() => void commit(stage.importId, stage.preview)}
          onCancel={() => void cancel(stage.importId)}
        />
      )}
      <StatusMessage message={message} />
      {stage.kind === 'done' && <ImportResult {...stage} onOpenCase={onOpenCase} />}
    </section>
  );
}

/** What the import did, item by item and named, and links to the cases it wrote to. */
function ImportResult({
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

function Preview({
  preview,
  language,
  resolutions,
  onResolve,
  acceptUnknown,
  onAcceptUnknown,
  busy,
  onCommit,
  onCancel,
}: {
  busy: boolean;
  preview: BundleImportPreview;
  language: string;
  resolutions: Record<string, ImportResolution>;
  onResolve: (id: string, choice: ImportResolution) => void;
  acceptUnknown: boolean;
  onAcceptUnknown: (accept: boolean) => void;
  onCommit: () => void;
  onCancel: () => void;
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
        <button type="button" disabled={!ready || busy} onClick={onCommit}>
          {t('open.import')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
