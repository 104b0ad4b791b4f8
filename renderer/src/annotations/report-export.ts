import { spreadsheetCsv } from '../files';
import type { AnnotationRecord, DocumentRecord } from '../vault';

/** One row per annotation, in a shape people paste into reports. */
export interface AnnotationRow {
  document: string;
  sha256: string;
  page: number;
  kind: 'highlight' | 'region';
  quote: string;
  note: string;
  tags: string;
  color: string;
  created: string;
}

export function annotationRows(
  records: readonly AnnotationRecord[],
  documents: readonly DocumentRecord[],
): AnnotationRow[] {
  const byId = new Map(documents.map((document) => [document.id, document]));
  return records.map((record) => {
    const document = byId.get(record.documentId);
    const text = record.target.kind === 'text';
    return {
      document: document?.name ?? record.documentId,
      sha256: record.source,
      page: (record.target.kind === 'text' ? record.target.segments[0]!.page : (record.target.page ?? 0)) + 1,
      kind: text ? 'highlight' : 'region',
      quote:
        record.target.kind === 'text'
          ? record.target.segments.map((segment) => segment.quote.exact).join(' … ')
          : record.target.transcription,
      note: record.note,
      tags: record.tags.join('; '),
      color: record.color,
      created: new Date(record.createdAt).toISOString(),
    };
  });
}

/** CSV for spreadsheets (formula-like cells defused). */
export function annotationsCsv(rows: readonly AnnotationRow[]): string {
  return spreadsheetCsv(rows.map((row) => ({ ...row })));
}

/** Markdown quotes must not turn into markup: escape what Markdown would interpret. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** Markdown for reports: per document (name and SHA-256), each quote with its page, note and tags. */
export function annotationsMarkdown(title: string, rows: readonly AnnotationRow[]): string {
  const lines = [`# ${escapeMarkdown(title)}`, ''];
  const documents = [...new Set(rows.map((row) => `${row.document}\u0000${row.sha256}`))];
  for (const key of documents) {
    const [name, sha256] = key.split('\u0000') as [string, string];
    lines.push(`## ${escapeMarkdown(name)}`, '', `SHA-256: \`${sha256}\``, '');
    for (const row of rows.filter((entry) => entry.document === name && entry.sha256 === sha256)) {
      lines.push(`- **p. ${row.page}** (${row.kind}) > ${escapeMarkdown(row.quote) || '—'}`);
      if (row.note) lines.push(`  - ${escapeMarkdown(row.note)}`);
      if (row.tags) lines.push(`  - ${escapeMarkdown(row.tags)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
