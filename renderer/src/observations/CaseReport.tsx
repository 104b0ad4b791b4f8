import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useVaultQuery } from '../session';
import { errorMessage, PlaintextNotice, StatusMessage, useFormats } from '../ui';
import type { Platform } from '../platform';
import type { AnnotationRecord, DocumentRecord } from '../vault';
import { latestFinal } from '../vault/versions';
import { HearingSummary, shownName } from './HearingSummary';
import { buildTimeline, detentionSpells } from './timeline';
import { useSourceLabel } from './TimelinePanel';
import { annotationPage, annotationQuote, useCaseSources } from './use-case-sources';
import { detentionText } from './labels';
import { useSignerName } from './use-signer-name';

/**
 * The per-case report: summary, timeline, hearings with their indicators,
 * and every annotated quote with its page and the document's SHA-256. The
 * print stylesheet lays it out for paper; Electron saves it as a PDF.
 */
export function CaseReport({
  platform,
  caseId,
  closeLabel,
  onClose,
}: {
  platform: Platform;
  caseId: string;
  /** The Back button's name: where it leads. */
  closeLabel: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const signerName = useSignerName();
  const sources = useCaseSources(caseId);
  const caseRecord = useVaultQuery(queryKeys.case(caseId), (client) => client.getCase(caseId));
  const caseHearings = useVaultQuery(queryKeys.caseHearings(caseId), (client) => client.listHearings(caseId));
  const timeline = useVaultQuery(queryKeys.caseTimeline(caseId), (client) => client.listTimelineEvents(caseId));
  const error = caseRecord.error ?? caseHearings.error ?? timeline.error ?? null;
  const loaded =
    caseRecord.data && caseHearings.data && timeline.data
      ? { record: caseRecord.data, hearings: caseHearings.data, events: timeline.data }
      : null;
  const [includeSensitive, setIncludeSensitive] = useState(false);
  const [generatedAt] = useState(() => Date.now());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const sourceLabel = useSourceLabel(sources, loaded?.hearings ?? []);

  if (error !== null)
    return (
      <p role="alert" className="error">
        {errorMessage(t, error)}
      </p>
    );
  if (!loaded || !sources) return <p>{t('common.loading')}</p>;

  const { record, hearings, events } = loaded;
  const withheld = t('report.withheld');
  const sensitiveNames = [
    ...record.people.filter((person) => person.sensitive).map((person) => person.name),
    ...hearings.flatMap((hearing) =>
      hearing.hearing.value.accused.filter((accused) => accused.sensitive).map((accused) => accused.name),
    ),
  ];
  const hide = (text: string) =>
    includeSensitive
      ? text
      : sensitiveNames.reduce((result, name) => (name ? result.split(name).join(withheld) : result), text);
  const items = buildTimeline(events, hearings);
  const spells = detentionSpells(items);
  const documentsWithQuotes = sources.documents
    .map((document) => ({
      document,
      annotations: sources.annotations
        .filter((annotation) => annotation.documentId === document.id)
        .sort((a, b) => (annotationPage(a) ?? 0) - (annotationPage(b) ?? 0)),
    }))
    .filter((entry) => entry.annotations.length > 0);

  async function print() {
    setMessage(null);
    try {
      const outcome = await platform.printToPdf(`${record.title} — ${t('report.fileSuffix')}.pdf`);
      if (outcome.kind === 'saved')
        setMessage({ ok: true, text: t('report.saved', { sha256: outcome.check.sha256, size: outcome.check.size }) });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <article className="case-report" aria-labelledby="report-heading">
      <div className="report-controls no-print">
        <button type="button" className="primary" aria-describedby="report-plaintext" onClick={() => void print()}>
          {platform.kind === 'electron' ? t('report.savePdf') : t('report.print')}
        </button>
        <PlaintextNotice id="report-plaintext" />
        <label className="inline">
          <input
            type="checkbox"
            checked={includeSensitive}
            onChange={(event) => setIncludeSensitive(event.target.checked)}
          />
          {t('report.includeSensitive')}
        </label>
        <button type="button" onClick={onClose}>
          {closeLabel}
        </button>
        <StatusMessage message={message} />
      </div>

      <header>
        <p className="confidential">{t('report.confidential')}</p>
        <h1 id="report-heading">{record.title}</h1>
        <p>
          {[record.references.join(', '), t(`status.${record.status}`), record.court, record.jurisdiction]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <p className="muted">{t('report.generated', { date: formats.timestamp(generatedAt) })}</p>
      </header>

      <section aria-labelledby="report-summary">
        <h2 id="report-summary">{t('report.summary')}</h2>
        <p className="prewrap">{hide(record.summary) || '—'}</p>
        {record.people.length > 0 && (
          <ul>
            {record.people.map((person) => (
              <li key={person.id}>
                {shownName(person.name, person.sensitive, includeSensitive, withheld)} — {t(`role.${person.role}`)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="report-timeline">
        <h2 id="report-timeline">{t('timeline.heading')}</h2>
        {spells.length > 0 && (
          <ul>
            {spells.map((spell) => (
              <li key={`${spell.person}-${spell.arrest}`}>{hide(detentionText(t, spell, formats))}</li>
            ))}
          </ul>
        )}
        {items.length === 0 ? (
          <p>{t('timeline.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('timeline.date')}</th>
                <th scope="col">{t('timeline.eventKind')}</th>
                <th scope="col">{t('timeline.description')}</th>
                <th scope="col">{t('timeline.sources')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.key}>
                  <td>{formats.date(item.date)}</td>
                  <td>
                    {t(`timeline.kind.${item.kind}`)}
                    {item.person && `: ${hide(item.person)}`}
                  </td>
                  <td>{hide(item.description)}</td>
                  <td>{item.origin === 'event' && item.sources.map(sourceLabel).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="report-hearings">
        <h2 id="report-hearings">{t('hearings.heading')}</h2>
        {hearings.length === 0 && <p>{t('hearings.none')}</p>}
        {hearings.map((hearing) => {
          const final = latestFinal(hearing.hearing);
          const fields = final?.value ?? hearing.hearing.value;
          return (
            <section
              key={hearing.id}
              className="report-hearing"
              aria-label={t('report.hearingOn', { date: formats.date(fields.date) })}
            >
              <h3>{t('report.hearingOn', { date: formats.date(fields.date) })}</h3>
              <p className="muted">
                {final
                  ? t('report.signedOff', {
                      n: final.version,
                      date: formats.timestamp(final.finalisedAt),
                      by: signerName(final.finalisedBy),
                    })
                  : t('report.notSignedOff')}
              </p>
              <HearingSummary fields={fields} headingLevel={4} sources={sources} includeSensitive={includeSensitive} />
              <LinkedQuotes
                annotations={sources.annotations.filter((annotation) => annotation.link === `hearing:${hearing.id}`)}
                documents={sources.documents}
                hide={hide}
              />
            </section>
          );
        })}
      </section>

      <section aria-labelledby="report-quotes">
        <h2 id="report-quotes">{t('report.quotes')}</h2>
        {documentsWithQuotes.length === 0 && <p>{t('report.noQuotes')}</p>}
        {documentsWithQuotes.map(({ document, annotations }) => (
          <div key={document.id} className="report-document">
            <h3>{document.name}</h3>
            <p className="hash">SHA-256: {document.sha256}</p>
            <ul>
              {annotations.map((annotation) => (
                <li key={annotation.id}>
                  <span className="page">{t('report.page', { page: annotationPage(annotation) ?? '—' })}</span>{' '}
                  <q>{hide(annotationQuote(annotation))}</q>
                  {annotation.note && <p className="note">{hide(annotation.note)}</p>}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </article>
  );
}

/** Quotes an annotator linked to one hearing, with where they come from. */
function LinkedQuotes({
  annotations,
  documents,
  hide,
}: {
  annotations: readonly AnnotationRecord[];
  documents: readonly DocumentRecord[];
  hide: (text: string) => string;
}) {
  const { t } = useTranslation();
  if (annotations.length === 0) return null;
  return (
    <>
      <h4>{t('report.linkedQuotes')}</h4>
      <ul>
        {annotations.map((annotation) => (
          <li key={annotation.id}>
            <q>{hide(annotationQuote(annotation))}</q> —{' '}
            {t('report.quoteSource', {
              document: documents.find((document) => document.id === annotation.documentId)?.name ?? '?',
              page: annotationPage(annotation) ?? '—',
            })}
          </li>
        ))}
      </ul>
    </>
  );
}
