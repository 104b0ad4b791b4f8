import { type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, StatusMessage, useFormats } from '../ui';
import type { HearingRecord, Provision } from '../vault';
import { AccusedSection } from './AccusedSection';
import { daysBetween, formatDayRange } from './approximate-dates';
import { AssessmentSection } from './AssessmentSection';
import { BasicsSection } from './BasicsSection';
import { HearingActions } from './HearingActions';
import { HearingHistory } from './HearingHistory';
import { IndicatorsSection } from './IndicatorsSection';
import { ObserversSection } from './ObserversSection';
import { ParticipantsSection } from './ParticipantsSection';
import { evidenceOptions, useCaseSources } from './use-case-sources';
import { useHearingEditor } from './use-hearing-editor';
import './hearing.css';

const SECTIONS = ['basics', 'observers', 'accused', 'participants', 'indicators', 'assessment'] as const;
type Section = (typeof SECTIONS)[number];

function sectionHeadingId(section: Section) {
  return `hearing-section-${section}`;
}

/**
 * The hearing form: keyboard first (Ctrl+S saves, Alt+1…6 jump between sections, which can be filled in
 * any order), every change kept as an encrypted draft until saved, and signing off seals a version.
 */
export function HearingEditor({
  caseId,
  hearingId,
  provisions,
  onSaved,
  closeLabel,
  onClose,
}: {
  caseId: string;
  /** null: a new hearing. */
  hearingId: string | null;
  provisions: readonly Provision[];
  onSaved: (record: HearingRecord) => void;
  /** The Back button's name: where it leads ("Back to the case", or "Back" to a list the hearing was opened from). */
  closeLabel: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const editor = useHearingEditor({ caseId, hearingId, onSaved, onDeleted: onClose });
  const sources = useCaseSources(caseId);
  const { form, record, caseRecord } = editor;

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void editor.save();
      return;
    }
    const section = event.altKey && !event.ctrlKey ? SECTIONS[Number(event.key) - 1] : undefined;
    if (section) {
      event.preventDefault();
      document.getElementById(sectionHeadingId(section))?.focus();
    }
  }

  if (editor.loadError)
    return (
      <p role="alert" className="error">
        {errorMessage(t, editor.loadError)}
      </p>
    );
  if (!form || !caseRecord) return <p>{t('common.loading')}</p>;

  const fields = form.fields;
  // The heading names what is stored (not what is being typed), so the form's name holds still while editing.
  const stored = record?.hearing.value;
  const heading = !stored
    ? t('hearing.headingNew', { case: caseRecord.title })
    : stored.court
      ? t('hearing.headingAt', { case: caseRecord.title, date: formats.date(stored.date), court: stored.court })
      : t('hearing.headingOn', { case: caseRecord.title, date: formats.date(stored.date) });
  const saveStateText = {
    clean: editor.restoredDraft ? t('editor.draftRestored') : record ? t('editor.saved') : t('hearing.notSavedYet'),
    unsaved: t('editor.unsaved'),
    'draft-saved': t('editor.draftSaved'),
  }[editor.draftState];
  const versionText = !record
    ? t('hearing.newRecord')
    : record.hearing.state === 'final'
      ? t('hearing.versionFinal', { n: record.hearing.version })
      : t('hearing.versionDraft', { n: record.hearing.version });
  const evidence = sources
    ? evidenceOptions(sources, {
        annotation: (quote, document, page) =>
          page === null
            ? t('hearing.quoteIn', { quote, document })
            : t('hearing.quoteOnPage', { quote, document, page }),
      })
    : [];
  const delays = editor.events
    .filter((event) => event.kind === 'arrest')
    .map((arrest) => {
      const range = daysBetween(arrest.date, fields.date);
      return (
        range &&
        `${arrest.person || t('timeline.wholeCase')}: ${t('timeline.days', { n: formatDayRange(range, formats.number) })}`
      );
    })
    .filter(Boolean);

  const section = (id: Section, children: ReactNode) => (
    <section className="hearing-section" aria-labelledby={sectionHeadingId(id)}>
      <h3 id={sectionHeadingId(id)} tabIndex={-1}>
        {t(`hearing.section.${id}`)}
      </h3>
      {children}
    </section>
  );

  return (
    <form
      className="hearing-editor"
      autoComplete="off"
      aria-labelledby="hearing-heading"
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void editor.save();
      }}
    >
      <h2 id="hearing-heading">{heading}</h2>
      <div className="hearing-status">
        <p className="save-state" aria-live="polite">
          {saveStateText}
        </p>
        <p>{versionText}</p>
      </div>
      <nav aria-label={t('hearing.sections')} className="section-nav">
        {SECTIONS.map((id, index) => (
          <button
            key={id}
            type="button"
            aria-keyshortcuts={`Alt+${index + 1}`}
            onClick={() => document.getElementById(sectionHeadingId(id))?.focus()}
          >
            {t(`hearing.section.${id}`)}
          </button>
        ))}
      </nav>
      <p className="muted">{t('hearing.keyboardHelp')}</p>

      {section('basics', <BasicsSection form={form} onChange={editor.change} />)}
      {section('observers', <ObserversSection form={form} onChange={editor.change} />)}
      {section('accused', <AccusedSection form={form} provisions={provisions} onChange={editor.change} />)}
      {section('participants', <ParticipantsSection form={form} onChange={editor.change} />)}
      {section(
        'indicators',
        <IndicatorsSection
          form={form}
          evidence={evidence}
          hints={delays.length > 0 ? { 'undue-delay': t('hearing.daysSinceArrest', { list: delays.join('; ') }) } : {}}
          onChange={editor.change}
        />,
      )}
      {section('assessment', <AssessmentSection form={form} onChange={editor.change} />)}

      <StatusMessage message={editor.message} />
      <HearingActions
        version={record?.hearing.version ?? 1}
        signOffDisabled={record?.hearing.state === 'final' && editor.draftState === 'clean'}
        canDelete={record !== null}
        onSignOff={editor.signOff}
        closeLabel={closeLabel}
        onClose={onClose}
        onDelete={editor.remove}
      />

      {record && <HearingHistory record={record} sources={sources} />}
    </form>
  );
}
