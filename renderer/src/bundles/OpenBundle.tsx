import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, ProgressWithCancel, StatusMessage } from '../ui';
import type { Platform } from '../platform';
import type { BundleImportPreview, BundleItemPreview, ImportResolution, VaultClient } from '../vault';
import { readBundleFile } from './read-bundle';
import { formatSize } from '../documents';

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
  | { kind: 'reading'; read: number; total: number }
  | { kind: 'preview'; importId: string; preview: BundleImportPreview };

/**
 * Opens a bundle: reads it through the vault (every check runs before
 * anything is written), shows who signed it and what would change, lets the
 * user settle each conflict, then merges it in one transaction.
 */
export function OpenBundle({
  vault,
  platform,
  onImported,
}: {
  vault: VaultClient;
  platform: Platform;
  onImported: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
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
      setStage({ kind: 'reading', read: 0, total: file.size });
      const { importId, preview } = await readBundleFile(
        vault,
        file,
        (read) => setStage({ kind: 'reading', read, total: file.size }),
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
      await file.close();
    }
  }

  async function commit(importId: string) {
    setCommitting(true);
    try {
      const result = await vault.commitBundleImport(importId, { resolutions, acceptUnknownSigner: acceptUnknown });
      setStage({ kind: 'idle' });
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
      {stage.kind === 'idle' && (
        <button type="button" onClick={() => void open()}>
          {t('open.choose')}
        </button>
      )}
      {stage.kind === 'reading' && (
        <ProgressWithCancel
          label={t('open.progress')}
          value={stage.read}
          max={stage.total}
          onCancel={() => reading.current?.abort()}
        />
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
          onCommit={() => void commit(stage.importId)}
          onCancel={() => void cancel(stage.importId)}
        />
      )}
      <StatusMessage message={message} />
    </section>
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
          recipients: preview.recipients,
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
      <ImportChanges preview={preview} language={language} />
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

/** What importing would write, case by case, named so the receiver can decide: titles, file names and sizes,
 * hearing dates, annotations per document, and whose copy an update replaces. */
function ImportChanges({ preview, language }: { preview: BundleImportPreview; language: string }) {
  const { t } = useTranslation();
  const writes = preview.items.filter((item) => item.status !== 'same' && item.status !== 'refused');
  if (writes.length === 0) return null;
  const cases = preview.items.filter((item) => item.type === 'case');
  const annotationWrites = (documentId: string) =>
    writes.filter((item) => item.type === 'annotation' && item.documentId === documentId).length;
  const textWrite = (documentId: string) =>
    writes.find((item) => item.type === 'document-text' && item.documentId === documentId);
  /** What the import does to a document's annotations and text, for its line. */
  const onDocument = (documentId: string): string[] => {
    const parts: string[] = [];
    const annotations = annotationWrites(documentId);
    if (annotations > 0) parts.push(t('open.annotationsOn', { count: annotations }));
    const text = textWrite(documentId);
    if (text) parts.push(t('open.textChange', { status: t(`open.status.${text.status}`) }));
    return parts;
  };
  const describe = (item: BundleItemPreview): string => {
    const parts = [`${t(`open.type.${item.type}`)}: ${item.label}`];
    if (item.size !== undefined) parts.push(formatSize(item.size, language));
    if (item.type === 'document') parts.push(...onDocument(item.id.slice('document:'.length)));
    parts.push(t(`open.status.${item.status}`));
    if (item.currentFrom !== undefined)
      parts.push(
        item.currentFrom === null
          ? t('open.replacesYours')
          : t('open.replacesFrom', { name: item.currentFrom.name || '—' }),
      );
    return parts.join(' · ');
  };
  return (
    <section className="import-changes" aria-label={t('open.changesHeading')}>
      <h3>{t('open.changesHeading')}</h3>
      {cases.map((caseItem) => {
        // Annotations and texts are told on their document's line; a document already here gets a line of its own.
        const inCase = preview.items.filter(
          (item) =>
            item.caseId === caseItem.caseId &&
            (item.type === 'document'
              ? item.status !== 'same' || onDocument(item.id.slice('document:'.length)).length > 0
              : item.type !== 'annotation' && item.type !== 'document-text' && writes.includes(item)),
        );
        const carried = new Set(inCase.map((item) => item.id));
        const documentsHere = [
          ...new Map(
            writes
              .filter(
                (item) =>
                  item.caseId === caseItem.caseId &&
                  item.documentId !== undefined &&
                  !carried.has(`document:${item.documentId}`) &&
                  !preview.items.some((other) => other.id === `document:${item.documentId}`),
              )
              .map((item) => [item.documentId!, item.documentName ?? item.documentId!]),
          ),
        ];
        if (inCase.length === 0 && documentsHere.length === 0) return null;
        return (
          <div key={caseItem.id}>
            <h4>{t('open.caseGroup', { title: caseItem.label })}</h4>
            <ul>
              {inCase.map((item) => (
                <li key={item.id}>{describe(item)}</li>
              ))}
              {documentsHere.map(([documentId, name]) => (
                <li key={documentId}>
                  {[`${t('open.type.document')}: ${name}`, ...onDocument(documentId)].join(' · ')}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
