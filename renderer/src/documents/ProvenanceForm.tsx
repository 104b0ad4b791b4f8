import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useRefresh, useTextDraft, useVault, useVaultQuery } from '../session';
import { errorMessage, RestoredTextNotice, StatusMessage } from '../ui';
import { draftNames, type DocumentRecord, type Provenance } from '../vault';
import { extractedTextStatus, type ExtractedTextStatus } from './text-status';
import type { PdfViewerStatus } from './viewers/pdf-status';

/** Intake facts (read-only) and where the document came from (editable). */
export function ProvenanceForm({
  document,
  pdfStatus = null,
  onSaved,
}: {
  document: DocumentRecord;
  /** What the reader's PDF viewer found opening the document (a password asked for, an XFA form). */
  pdfStatus?: PdfViewerStatus | null;
  onSaved: (document: DocumentRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  // Kept as an encrypted draft of the case while typed, so a crash does not lose a long description.
  const draft = useTextDraft<Provenance>(
    vault,
    draftNames.provenance(document.caseId, document.id),
    document.provenance,
  );
  const form = draft.values;
  const refresh = useRefresh();
  const textQuery = useVaultQuery([...queryKeys.document(document.caseId, document.id), 'text'], (client) =>
    client.getDocumentText(document.caseId, document.id),
  );
  const text = textQuery.data;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      onSaved(await vault.updateProvenance(document.caseId, document.id, form));
      await draft.settle().catch(() => undefined);
      // The case's list and the documents page show the record too.
      void refresh(queryKeys.caseDocuments(document.caseId));
      void refresh(queryKeys.allDocuments);
      setMessage({ ok: true, text: t('documents.provenanceSaved') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  const field = (name: keyof Provenance, label: string) => (
    <label>
      {label}
      <input value={form[name]} onChange={(event) => draft.change(name, event.target.value)} />
    </label>
  );
  const textStatus = extractedTextStatus(document.kind, text, pdfStatus);
  const textLine = (status: ExtractedTextStatus): string => {
    switch (status.kind) {
      case 'loading':
        return t('common.loading');
      case 'none':
        return t('documents.noText');
      case 'pdf-none':
        return t('documents.textPdfNone');
      case 'locked':
        return t('documents.textLocked');
      case 'extracting':
        return t('documents.textExtracting');
      case 'xfa':
        return t(`documents.textXfa.${status.xfa}`, { count: status.pages });
      case 'pages':
        return t('documents.textPages', { count: status.pages, scans: status.scans });
    }
  };

  return (
    <form className="provenance" autoComplete="off" onSubmit={(event) => void save(event)}>
      <dl className="intake-facts">
        <dt>{t('documents.type')}</dt>
        <dd>
          {t(`documents.kind.${document.kind}`)} ({document.mimeType})
        </dd>
        <dt>{t('documents.added')}</dt>
        <dd>
          {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' }).format(document.intakeAt)}
        </dd>
        <dt>{t('documents.extractedText')}</dt>
        <dd>{textQuery.status === 'error' ? errorMessage(t, textQuery.error) : textLine(textStatus)}</dd>
      </dl>
      <fieldset>
        <legend>{t('documents.provenance')}</legend>
        {draft.restored && <RestoredTextNotice />}
        {field('obtainedFrom', t('documents.obtainedFrom'))}
        {field('obtainedWhere', t('documents.obtainedWhere'))}
        {field('originalDate', t('documents.originalDate'))}
        {field('language', t('documents.language'))}
        <label>
          {t('documents.description')}
          <textarea
            rows={3}
            value={form.description}
            onChange={(event) => draft.change('description', event.target.value)}
          />
        </label>
        <button type="submit">{t('documents.saveProvenance')}</button>
      </fieldset>
      <StatusMessage message={message} />
    </form>
  );
}
