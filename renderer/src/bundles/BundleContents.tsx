import { Link } from 'react-aria-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BundleImportPreview, BundleItemPreview, BundleNamedItem, BundleSendContents } from '../vault';
import { formatSize, useFormats } from '../ui';
import './bundles.css';

type Kind = 'document' | 'hearing' | 'annotation' | 'timeline-event';

/** "2 documents, 1 hearing, 3 annotations": the kinds that occur, each with its plural. */
function KindCounts({ counts }: { counts: Partial<Record<Kind, number>> }) {
  const { t } = useTranslation();
  const parts = (['document', 'hearing', 'annotation', 'timeline-event'] as const)
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => t(`bundleContents.count.${kind}`, { count: counts[kind] }));
  return <p className="bundle-counts">{parts.length > 0 ? parts.join(', ') : t('bundleContents.caseOnly')}</p>;
}

/** "2 timeline events, Hearing of 2025-03-14": the outgoing items that still name a withheld person. */
function namedItems(t: TFunction, items: readonly BundleNamedItem[]): string {
  const parts: string[] = [];
  const of = (type: BundleNamedItem['type']) => items.filter((item) => item.type === type);
  if (of('case').length > 0) parts.push(t('bundleContents.caseRecord'));
  for (const item of of('document')) parts.push(t('bundleContents.document', { name: item.label }));
  for (const item of of('document-text')) parts.push(t('bundleContents.textOf', { name: item.label }));
  const annotations = new Map<string, number>();
  for (const item of of('annotation')) annotations.set(item.label, (annotations.get(item.label) ?? 0) + 1);
  for (const [name, count] of annotations) parts.push(t('bundleContents.annotationsIn', { count, name }));
  for (const item of of('hearing')) parts.push(t('bundleContents.hearing', { date: item.label }));
  const events = of('timeline-event').length;
  if (events > 0) parts.push(t('bundleContents.count.timeline-event', { count: events }));
  return parts.join(', ');
}

/** A sensitive person as the app shows them: one held here only as a withheld placeholder by the mark. */
export function personName(t: TFunction, person: { name: string; role: string; placeholder?: boolean }): string {
  return person.placeholder ? t('person.withheld', { role: t(`role.${person.role}`) }) : person.name;
}

/** What the sender's bundle would carry, case by case, named: read from the vault for the choices made. */
export function SendSummary({ contents }: { contents: BundleSendContents }) {
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  return (
    <section className="bundle-contents" aria-labelledby="send-summary-heading">
      <h3 id="send-summary-heading">{t('bundleContents.sendHeading')}</h3>
      {contents.cases.map((entry) => (
        <div key={entry.caseId} className="bundle-case">
          <h4>{t('open.caseGroup', { title: entry.title })}</h4>
          <KindCounts
            counts={{
              document: entry.documents.length,
              hearing: entry.hearings.length,
              annotation: entry.documents.reduce((sum, document) => sum + document.annotations, 0),
              'timeline-event': entry.timelineEvents,
            }}
          />
          <ul>
            {entry.documents.map((document) => (
              <li key={document.id}>
                {[
                  t('bundleContents.document', { name: document.name }),
                  formatSize(document.size, i18n.language),
                  ...(document.annotations > 0
                    ? [t('bundleContents.annotationsOn', { count: document.annotations })]
                    : []),
                ].join(' · ')}
              </li>
            ))}
            {entry.hearings.map((hearing) => (
              <li key={hearing.id}>{t('bundleContents.hearing', { date: formats.date(hearing.date) })}</li>
            ))}
          </ul>
          {entry.sensitive.map((person) => (
            <div key={person.id}>
              <p className={person.withheld ? 'bundle-withheld' : 'bundle-sent-sensitive'}>
                {t(person.withheld ? 'bundleContents.personWithheld' : 'bundleContents.personSent', {
                  name: personName(t, person),
                  role: t(`role.${person.role}`),
                  fields: person.fields.map((field) => t(`bundleContents.field.${field}`)).join(', '),
                })}
              </p>
              {person.withheld && person.namedIn.length > 0 && (
                <p className="bundle-still-named" role="alert">
                  {t('bundleContents.stillNamed', { name: person.name, items: namedItems(t, person.namedIn) })}{' '}
                  {t('bundleContents.stillNamedHelp')}
                </p>
              )}
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}

/**
 * Every item of a received bundle, case by case, named (titles, file names with sizes, hearing dates,
 * annotations per document) with what importing does or did to it (`outcome`). Annotations and texts are told
 * on their document's line; those on a document already here get a line for that document.
 */
export function ReceivedItems({
  preview,
  heading,
  outcome,
}: {
  preview: BundleImportPreview;
  heading: string;
  outcome: (item: BundleItemPreview) => string;
}) {
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  const cases = preview.items.filter((item) => item.type === 'case');
  const documentKey = (item: BundleItemPreview) => item.id.slice('document:'.length);
  return (
    <section className="bundle-contents" aria-label={heading}>
      <h3>{heading}</h3>
      {cases.map((caseItem) => {
        const inCase = preview.items.filter((item) => item.caseId === caseItem.caseId);
        const on = (documentId: string, type: BundleItemPreview['type']) =>
          inCase.filter((item) => item.type === type && item.documentId === documentId);
        /** What happens to a document's annotations and text, for its line. */
        const onDocument = (documentId: string) => {
          const parts: string[] = [];
          const annotations = on(documentId, 'annotation');
          if (annotations.length > 0) {
            const outcomes = [...new Set(annotations.map(outcome))].map((status) =>
              t('bundleContents.outcomeCount', {
                outcome: status,
                n: annotations.filter((item) => outcome(item) === status).length,
              }),
            );
            parts.push(`${t('bundleContents.annotationsOn', { count: annotations.length })} (${outcomes.join(', ')})`);
          }
          const [text] = on(documentId, 'document-text');
          if (text) parts.push(t('open.textChange', { status: outcome(text) }));
          return parts;
        };
        const documents = inCase.filter((item) => item.type === 'document');
        const carried = new Set(documents.map(documentKey));
        const documentsHere = [
          ...new Map(
            inCase
              .filter((item) => item.documentId !== undefined && !carried.has(item.documentId))
              .map((item) => [item.documentId!, item.documentName ?? item.documentId!]),
          ),
        ];
        const hearings = inCase.filter((item) => item.type === 'hearing');
        const events = inCase.filter((item) => item.type === 'timeline-event');
        return (
          <div key={caseItem.id} className="bundle-case">
            <h4>
              {t('open.caseGroup', { title: caseItem.label })}{' '}
              <span className={`bundle-outcome status-${caseItem.status}`}>{outcome(caseItem)}</span>
            </h4>
            <KindCounts
              counts={{
                document: documents.length,
                hearing: hearings.length,
                annotation: inCase.filter((item) => item.type === 'annotation').length,
                'timeline-event': events.length,
              }}
            />
            <ul>
              {documents.map((item) => (
                <li key={item.id}>
                  {[
                    t('bundleContents.document', { name: item.label }),
                    ...(item.size !== undefined ? [formatSize(item.size, i18n.language)] : []),
                    outcome(item),
                    ...onDocument(documentKey(item)),
                  ].join(' · ')}
                </li>
              ))}
              {documentsHere.map(([documentId, name]) => (
                <li key={documentId}>
                  {[t('bundleContents.documentHere', { name }), ...onDocument(documentId)].join(' · ')}
                </li>
              ))}
              {hearings.map((item) => (
                <li key={item.id}>
                  {[t('bundleContents.hearing', { date: formats.date(item.label) }), outcome(item)].join(' · ')}
                </li>
              ))}
              {events.map((item) => (
                <li key={item.id}>
                  {[t('bundleContents.timelineEvent', { label: item.label }), outcome(item)].join(' · ')}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Links to the cases an import wrote to, by title. */
export function CaseLinks({
  cases,
  onOpenCase,
}: {
  cases: readonly { caseId: string; title: string }[];
  onOpenCase: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  if (cases.length === 0) return null;
  return (
    <nav className="bundle-case-links" aria-label={t('bundleContents.casesTouched')}>
      <h3>{t('bundleContents.casesTouched')}</h3>
      <ul>
        {cases.map((entry) => (
          <li key={entry.caseId}>
            <Link onPress={() => onOpenCase(entry.caseId)}>{t('bundleContents.openCase', { title: entry.title })}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
