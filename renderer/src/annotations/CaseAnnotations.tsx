import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, PlaintextNotice, StatusMessage } from '../ui';
import { saveTextFile, type Platform } from '../platform';
import { useVault } from '../session';
import type { AnnotationRecord, DocumentRecord } from '../vault';
import { annotationRows, annotationsCsv, annotationsMarkdown, type AnnotationRow } from './report-export';
import { annotatedSources } from './annotated-sources';
import { toAnnotationCollection } from './web-annotation';
import { fromWebAnnotations } from './web-annotation-import';

/** Larger import files are refused before they are read. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

type Message = { ok: boolean; text: string };

/**
 * Every annotation of a case across its documents (quote, page, note), with
 * export as W3C Web Annotation JSON-LD, CSV or Markdown, and import of
 * JSON-LD (matched to this case's documents by SHA-256).
 */
export function CaseAnnotations({
  platform,
  caseId,
  caseTitle,
  documents,
}: {
  platform: Platform;
  caseId: string;
  caseTitle: string;
  documents: readonly DocumentRecord[];
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const [records, setRecords] = useState<AnnotationRecord[] | null>(null);
  const [message, setMessage] = useState<Message | null>(null);

  async function load() {
    setRecords(await vault.listAnnotations(caseId));
  }

  async function save(name: string, mimeType: string, text: string) {
    try {
      if (await saveTextFile(platform, name, mimeType, text))
        setMessage({ ok: true, text: t('annotations.exported', { name }) });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  async function exportAs(format: 'jsonld' | 'csv' | 'md') {
    setMessage(null);
    const all = await vault.listAnnotations(caseId);
    const rows: AnnotationRow[] = annotationRows(all, documents);
    if (format === 'jsonld') {
      const annotated = new Set(all.map((record) => record.documentId));
      const sources = await annotatedSources(
        vault,
        documents.filter((document) => annotated.has(document.id)),
        { readMissing: true },
      );
      const collection = toAnnotationCollection(all, {
        caseId,
        label: caseTitle,
        documents: sources,
        language: i18n.language,
      });
      await save('annotations.jsonld', 'application/ld+json', `${JSON.stringify(collection, null, 2)}\n`);
    } else if (format === 'csv') await save('annotations.csv', 'text/csv', annotationsCsv(rows));
    else await save('annotations.md', 'text/markdown', annotationsMarkdown(caseTitle, rows));
  }

  async function importFile() {
    setMessage(null);
    const [file] = await platform.pickFiles();
    if (!file) return;
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error(t('annotations.importTooLarge'));
      const parts: Uint8Array[] = [];
      for await (const chunk of file.chunks(1024 * 1024)) parts.push(chunk);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(
        new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer()),
      );
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(t('annotations.importNotJson'));
      }
      // Page boxes as stored, for regions another tool gave only from a page's top-left (this app's own carry theirs).
      const sources = await annotatedSources(vault, documents, { readMissing: false });
      let result;
      try {
        result = fromWebAnnotations(json, documents, sources);
      } catch {
        throw new Error(t('annotations.importNotWebAnnotation'));
      }
      if (result.annotations.length > 0) await vault.importAnnotations(caseId, result.annotations);
      setMessage({
        ok: result.annotations.length > 0,
        text: t('annotations.imported', {
          count: result.annotations.length,
          unmatched: result.unmatched,
          unreadable: result.unreadable,
        }),
      });
      await load();
    } catch (caught) {
      setMessage({ ok: false, text: caught instanceof Error ? caught.message : errorMessage(t, caught) });
    } finally {
      await file.close();
    }
  }

  const names = new Map(documents.map((document) => [document.id, document.name]));
  const rows = records ? annotationRows(records, documents) : [];
  return (
    <details
      className="case-annotations"
      onToggle={(event) => {
        if (event.currentTarget.open) void load();
      }}
    >
      <summary>{t('annotations.caseHeading')}</summary>
      <div className="row-actions" role="group" aria-label={t('annotations.exportGroup')}>
        <button type="button" aria-describedby="annotations-plaintext" onClick={() => void exportAs('jsonld')}>
          {t('annotations.exportJsonLd')}
        </button>
        <button type="button" aria-describedby="annotations-plaintext" onClick={() => void exportAs('csv')}>
          {t('annotations.exportCsv')}
        </button>
        <button type="button" aria-describedby="annotations-plaintext" onClick={() => void exportAs('md')}>
          {t('annotations.exportMarkdown')}
        </button>
        <button type="button" onClick={() => void importFile()}>
          {t('annotations.importJsonLd')}
        </button>
      </div>
      <PlaintextNotice id="annotations-plaintext" />
      <StatusMessage message={message} />
      {records && (
        <table className="documents-table">
          <caption>{t('annotations.caseCount', { count: records.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('documents.name')}</th>
              <th scope="col">{t('annotations.page')}</th>
              <th scope="col">{t('annotations.quote')}</th>
              <th scope="col">{t('annotations.note')}</th>
              <th scope="col">{t('annotations.tags')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={records[index]!.id}>
                <td>{names.get(records[index]!.documentId) ?? row.document}</td>
                <td>{row.page}</td>
                <td>{row.quote}</td>
                <td>{row.note}</td>
                <td>{row.tags}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
