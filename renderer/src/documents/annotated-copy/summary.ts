import type { TFunction } from 'i18next';
import type { AnnotationRecord, CustodyEntryView, DocumentRecord } from '../../vault';
import type { SummaryLine } from './write-annotated-pdf';

/** Custody entries listed on the page; older ones are counted, not listed (the vault's log has them all). */
export const MAX_CUSTODY_LINES = 40;

/** A time as a court reads it anywhere: ISO date and minutes, in UTC. */
export function utcMinute(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface SummaryInput {
  document: DocumentRecord;
  annotations: readonly AnnotationRecord[];
  /** Annotations that became PDF annotations (pdf-annotations.ts). */
  written: number;
  /** The case's custody log (caseHistory); entries about this document and its annotations are kept. */
  history: readonly CustodyEntryView[];
  appVersion: string;
  now: number;
}

/**
 * What the copy's last page says: the original's name, size and SHA-256, how to check that the original is
 * unchanged inside the copy, its provenance, what was annotated and the custody log's entries about it. "Obtained
 * from" is left out: it may identify a source, and the copy goes to a court or a partner.
 */
export function annotatedCopySummary(input: SummaryInput, t: TFunction): SummaryLine[] {
  const { document } = input;
  const lines: SummaryLine[] = [
    { style: 'title', text: t('annotatedCopy.page.title') },
    { style: 'body', text: t('annotatedCopy.page.explain', { size: document.size }) },
    { style: 'heading', text: t('annotatedCopy.page.original') },
    { style: 'body', text: t('annotatedCopy.page.name', { name: document.name }) },
    { style: 'body', text: t('annotatedCopy.page.size', { size: document.size }) },
    { style: 'mono', text: `SHA-256: ${document.sha256}` },
    { style: 'body', text: t('annotatedCopy.page.intake', { time: utcMinute(document.intakeAt) }) },
    { style: 'heading', text: t('annotatedCopy.page.provenance') },
  ];
  const provenance = document.provenance;
  const fields = [
    ['obtainedWhere', provenance.obtainedWhere],
    ['originalDate', provenance.originalDate],
    ['language', provenance.language],
    ['description', provenance.description],
  ] as const;
  const recorded = fields.filter(([, value]) => value.trim() !== '');
  if (recorded.length === 0) lines.push({ style: 'body', text: t('annotatedCopy.page.noProvenance') });
  for (const [field, value] of recorded)
    lines.push({ style: 'body', text: `${t(`documents.${field}`)}: ${value.trim()}` });
  if (provenance.obtainedFrom.trim() !== '') lines.push({ style: 'body', text: t('annotatedCopy.page.sourceLeftOut') });

  lines.push(
    { style: 'heading', text: t('annotatedCopy.page.annotations') },
    { style: 'body', text: t('annotatedCopy.page.annotationCount', { count: input.written }) },
  );

  const annotationIds = new Set(input.annotations.map((annotation) => annotation.id));
  const about = input.history.filter(
    (entry) =>
      !entry.aboutDeletedCase &&
      (entry.targetId === document.id || (entry.targetKind === 'annotation' && annotationIds.has(entry.targetId))),
  );
  lines.push({ style: 'heading', text: t('annotatedCopy.page.custody') });
  if (about.length > MAX_CUSTODY_LINES)
    lines.push({
      style: 'body',
      text: t('annotatedCopy.page.custodyEarlier', { count: about.length - MAX_CUSTODY_LINES }),
    });
  for (const entry of [...about].sort((a, b) => a.seq - b.seq).slice(-MAX_CUSTODY_LINES))
    lines.push({
      style: 'mono',
      text: `#${entry.seq}  ${utcMinute(entry.time)}  ${t(`log.action.${entry.action}`)}  ${t(
        `log.kind.${entry.targetKind}`,
      )}  ${entry.hash.slice(0, 16)}`,
    });
  lines.push({
    style: 'body',
    text: t('annotatedCopy.page.made', { version: input.appVersion, time: utcMinute(input.now) }),
  });
  return lines;
}
