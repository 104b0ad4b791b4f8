import type { TFunction } from 'i18next';
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../session';
import { ConfirmDeleteButton, errorMessage, localId, StatusMessage } from '../ui';
import {
  HEARING_STAGES,
  hearingFieldsSchema,
  type HearingFields,
  type HearingRecord,
  type Provision,
  type TimelineEventRecord,
  type VaultClient,
} from '../vault';
import { AccusedSection } from './AccusedSection';
import { daysBetween, formatDayCount, isApproximateDate } from './approximate-dates';
import { AssessmentSection } from './AssessmentSection';
import { CheckField, ChoiceField, TextAreaField, TextField } from './form-fields';
import { fieldsFromForm, formFromFields, isHearingForm, newHearingForm, type HearingForm } from './hearing-form';
import { HearingSummary } from './HearingSummary';
import { IndicatorsSection } from './IndicatorsSection';
import { evidenceOptions, useCaseSources } from './use-case-sources';

const YES_NO = ['yes', 'no', 'partly', 'unknown'] as const;
const ACCESS = ['permitted', 'restricted', 'denied'] as const;
const REQUESTED_BY = ['prosecution', 'defence', 'court', 'other', 'unknown'] as const;
const SECTIONS = ['basics', 'observers', 'accused', 'participants', 'indicators', 'assessment'] as const;
type Section = (typeof SECTIONS)[number];

type Loaded = { record: HearingRecord | null; restoredDraft: boolean; events: TimelineEventRecord[] };
type Change = (update: (form: HearingForm) => HearingForm) => void;

function sectionHeadingId(section: Section) {
  return `hearing-section-${section}`;
}

/** Readable names for the fields a failed check points at ("Date", "Accused 1 › Name"). */
function issuePaths(fields: HearingFields, t: TFunction): string {
  const result = hearingFieldsSchema.safeParse(fields);
  if (result.success) return '';
  const paths = result.error.issues.map((issue) =>
    issue.path
      .map((part) =>
        typeof part === 'number' ? String(part + 1) : t(`hearing.path.${String(part)}`, { defaultValue: String(part) }),
      )
      .join(' › '),
  );
  return [...new Set(paths)].join('; ');
}

/**
 * The hearing form: keyboard first (Ctrl+S saves, Alt+1…6 jump between
 * sections, which can be filled in any order), every change kept as an
 * encrypted draft until saved, and finalising signs a version off.
 */
export function HearingEditor({
  vault,
  caseId,
  hearingId,
  provisions,
  onSaved,
  onClose,
}: {
  vault: VaultClient;
  caseId: string;
  /** null: a new hearing. */
  hearingId: string | null;
  provisions: readonly Provision[];
  onSaved: (record: HearingRecord) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const draftName = `case:${caseId}/hearing:${hearingId ?? 'new'}`;
  const draft = useDraft<HearingForm>(vault, draftName);
  const sources = useCaseSources(vault, caseId);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [form, setForm] = useState<HearingForm>(newHearingForm);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmingFinalise, setConfirmingFinalise] = useState(false);
  const [shownVersion, setShownVersion] = useState<number | null>(null);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const [caseRecord, hearings, events, saved] = await Promise.all([
          vault.getCase(caseId),
          hearingId ? vault.listHearings(caseId) : Promise.resolve([]),
          vault.listTimelineEvents(caseId).catch(() => []),
          vault.loadDraft(draftName),
        ]);
        const record = hearingId ? hearings.find((entry) => entry.id === hearingId) : null;
        if (record === undefined) throw Object.assign(new Error('not found'), { code: 'not-found' });
        if (!current) return;
        const restoredDraft = isHearingForm(saved);
        const fresh = newHearingForm();
        fresh.fields.court = caseRecord.court;
        setForm(
          restoredDraft
            ? { fields: { ...fresh.fields, ...saved.fields }, lists: saved.lists }
            : record
              ? formFromFields(record.hearing.value)
              : fresh,
        );
        setLoaded({ record, restoredDraft, events });
      } catch (caught) {
        if (current) setLoadError(caught);
      }
    })();
    return () => {
      current = false;
    };
    // Not on `t`: switching language must not reload the form and drop keystrokes.
  }, [vault, caseId, hearingId, draftName]);

  const change: Change = (update) => {
    const next = update(form);
    setForm(next);
    draft.update(next);
  };
  const setFields = (patch: Partial<HearingFields>) =>
    change((current) => ({ ...current, fields: { ...current.fields, ...patch } }));

  /** Stores the form as the hearing's current version; null (with a message) when it cannot. */
  async function store(): Promise<HearingRecord | null> {
    setMessage(null);
    const fields = fieldsFromForm(form);
    const problems = issuePaths(fields, t);
    if (problems) {
      setMessage({ ok: false, text: t('hearing.invalid', { fields: problems }) });
      return null;
    }
    try {
      const record = await vault.saveHearing(caseId, hearingId, fields);
      await draft.discard();
      setLoaded((previous) => previous && { ...previous, record, restoredDraft: false });
      setMessage({ ok: true, text: t('hearing.savedVersion', { n: record.hearing.version }) });
      return record;
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      return null;
    }
  }

  async function save() {
    const record = await store();
    if (record) onSaved(record);
  }

  async function finaliseNow() {
    setConfirmingFinalise(false);
    const unchanged = draft.state === 'clean' && !loaded?.restoredDraft;
    const record = unchanged && loaded?.record ? loaded.record : await store();
    if (!record) return;
    try {
      const final = await vault.finaliseHearing(caseId, record.id);
      setLoaded((previous) => previous && { ...previous, record: final });
      setMessage({ ok: true, text: t('hearing.finalised', { n: final.hearing.version }) });
      onSaved(final);
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      onSaved(record);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
      return;
    }
    const section = event.altKey && !event.ctrlKey ? SECTIONS[Number(event.key) - 1] : undefined;
    if (section) {
      event.preventDefault();
      document.getElementById(sectionHeadingId(section))?.focus();
    }
  }

  if (!loaded)
    return loadError ? (
      <p role="alert" className="error">
        {errorMessage(t, loadError)}
      </p>
    ) : (
      <p>{t('common.loading')}</p>
    );

  const { record } = loaded;
  const fields = form.fields;
  const dateValid = isApproximateDate(fields.date);
  const saveStateText = {
    clean: loaded.restoredDraft ? t('editor.draftRestored') : record ? t('editor.saved') : t('hearing.notSavedYet'),
    unsaved: t('editor.unsaved'),
    'draft-saved': t('editor.draftSaved'),
  }[draft.state];
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
  const delays = loaded.events
    .filter((event) => event.kind === 'arrest')
    .map((arrest) => {
      const range = daysBetween(arrest.date, fields.date);
      return (
        range && `${arrest.person || t('timeline.wholeCase')}: ${t('timeline.days', { n: formatDayCount(range) })}`
      );
    })
    .filter(Boolean);
  const shown = record?.hearing.history.find((entry) => entry.version === shownVersion);

  const section = (id: Section, title: string, children: ReactNode) => (
    <section className="hearing-section" aria-labelledby={sectionHeadingId(id)}>
      <h3 id={sectionHeadingId(id)} tabIndex={-1}>
        {title}
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
        void save();
      }}
    >
      <h2 id="hearing-heading">{hearingId ? t('hearing.editHeading') : t('hearing.newHeading')}</h2>
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

      {section(
        'basics',
        t('hearing.section.basics'),
        <div className="form-grid">
          <TextField
            label={t('hearing.date')}
            value={fields.date}
            required
            placeholder="2025-07-17"
            aria-invalid={!dateValid}
            aria-describedby="hearing-date-help"
            onValue={(date) => setFields({ date })}
          />
          <p id="hearing-date-help" className="muted">
            {t('hearing.dateHelp')}
          </p>
          <TextField
            label={t('hearing.scheduledStart')}
            type="time"
            value={fields.scheduledStart}
            onValue={(scheduledStart) => setFields({ scheduledStart })}
          />
          <TextField
            label={t('hearing.actualStart')}
            type="time"
            value={fields.actualStart}
            onValue={(actualStart) => setFields({ actualStart })}
          />
          <TextField
            label={t('hearing.actualEnd')}
            type="time"
            value={fields.actualEnd}
            onValue={(actualEnd) => setFields({ actualEnd })}
          />
          <ChoiceField
            label={t('hearing.stage')}
            value={fields.stage}
            options={HEARING_STAGES}
            optionLabel={(v) => t(`stage.${v}`)}
            onValue={(stage) => setFields({ stage })}
          />
          <TextField
            label={t('hearing.court')}
            value={fields.court}
            maxLength={200}
            onValue={(court) => setFields({ court })}
          />
          <TextField
            label={t('hearing.chamber')}
            value={fields.chamber}
            maxLength={200}
            onValue={(chamber) => setFields({ chamber })}
          />
          <TextField
            label={t('hearing.languages')}
            value={form.lists.languages ?? ''}
            onValue={(languages) => change((current) => ({ ...current, lists: { ...current.lists, languages } }))}
          />
          <CheckField
            label={t('hearing.adjourned')}
            checked={!fields.held}
            onValue={(adjourned) =>
              setFields({
                held: !adjourned,
                adjournment: adjourned ? (fields.adjournment ?? { reason: '', requestedBy: 'unknown' }) : null,
              })
            }
          />
          {fields.adjournment && (
            <>
              <TextAreaField
                label={t('hearing.adjournmentReason')}
                value={fields.adjournment.reason}
                onValue={(reason) => setFields({ adjournment: { ...fields.adjournment!, reason } })}
              />
              <ChoiceField
                label={t('hearing.requestedBy')}
                value={fields.adjournment.requestedBy}
                options={REQUESTED_BY}
                optionLabel={(v) => t(`hearing.requesters.${v}`)}
                onValue={(requestedBy) => setFields({ adjournment: { ...fields.adjournment!, requestedBy } })}
              />
            </>
          )}
        </div>,
      )}

      {section('observers', t('hearing.section.observers'), <ObserversFields form={form} onChange={change} />)}

      {section(
        'accused',
        t('hearing.section.accused'),
        <AccusedSection form={form} provisions={provisions} onChange={change} />,
      )}

      {section('participants', t('hearing.section.participants'), <ParticipantsFields form={form} onChange={change} />)}

      {section(
        'indicators',
        t('hearing.section.indicators'),
        <IndicatorsSection
          form={form}
          evidence={evidence}
          hints={delays.length > 0 ? { 'undue-delay': t('hearing.daysSinceArrest', { list: delays.join('; ') }) } : {}}
          onChange={change}
        />,
      )}

      {section('assessment', t('hearing.section.assessment'), <AssessmentSection form={form} onChange={change} />)}

      <StatusMessage message={message} />
      <div className="actions sticky-actions">
        <button type="submit" aria-keyshortcuts="Control+S">
          {t('hearing.save')}
        </button>
        {confirmingFinalise ? (
          <span role="group" aria-label={t('hearing.finaliseConfirm', { n: record?.hearing.version ?? 1 })}>
            {t('hearing.finaliseConfirm', { n: record?.hearing.version ?? 1 })}{' '}
            <button type="button" onClick={() => void finaliseNow()}>
              {t('hearing.finaliseYes')}
            </button>
            <button type="button" onClick={() => setConfirmingFinalise(false)}>
              {t('common.cancel')}
            </button>
          </span>
        ) : (
          <button
            type="button"
            disabled={record?.hearing.state === 'final' && draft.state === 'clean'}
            onClick={() => setConfirmingFinalise(true)}
          >
            {t('hearing.finalise')}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t('hearing.close')}
        </button>
        {record && (
          <ConfirmDeleteButton
            text={t('hearing.delete')}
            label={t('hearing.delete')}
            confirmText={t('hearing.deleteForever')}
            onConfirm={async () => {
              try {
                await draft.discard();
                await vault.deleteHearing(caseId, record.id);
                onClose();
              } catch (caught) {
                setMessage({ ok: false, text: errorMessage(t, caught) });
              }
            }}
          />
        )}
      </div>

      {record && record.hearing.history.length > 0 && (
        <section aria-labelledby="hearing-history-heading" className="hearing-history">
          <h3 id="hearing-history-heading">{t('hearing.history')}</h3>
          <ul>
            {record.hearing.history.map((entry) => (
              <li key={entry.version}>
                {t('hearing.historyEntry', {
                  n: entry.version,
                  date: new Date(entry.finalisedAt).toLocaleString(i18n.language),
                  by: entry.finalisedBy,
                })}{' '}
                <button
                  type="button"
                  aria-expanded={shownVersion === entry.version}
                  onClick={() => setShownVersion(shownVersion === entry.version ? null : entry.version)}
                >
                  {shownVersion === entry.version
                    ? t('hearing.hideVersion', { n: entry.version })
                    : t('hearing.showVersion', { n: entry.version })}
                </button>
              </li>
            ))}
          </ul>
          {shown && <HearingSummary fields={shown.value} headingLevel={4} sources={sources} />}
        </section>
      )}
    </form>
  );
}

function ObserversFields({ form, onChange }: { form: HearingForm; onChange: Change }) {
  const { t } = useTranslation();
  const observers = form.fields.observers;
  const setObservers = (next: HearingFields['observers']) =>
    onChange((current) => ({ ...current, fields: { ...current.fields, observers: next } }));
  const update = (id: string, patch: Partial<HearingFields['observers'][number]>) =>
    setObservers(observers.map((observer) => (observer.id === id ? { ...observer, ...patch } : observer)));
  return (
    <>
      {observers.map((observer, index) => (
        <div key={observer.id} className="row-group" role="group" aria-label={t('hearing.observerN', { n: index + 1 })}>
          <div className="form-grid">
            <TextField
              label={t('hearing.observerPseudonym')}
              value={observer.pseudonym}
              required
              onValue={(pseudonym) => update(observer.id, { pseudonym })}
            />
            <ChoiceField
              label={t('hearing.access')}
              value={observer.access}
              options={ACCESS}
              optionLabel={(v) => t(`hearing.accessLevels.${v}`)}
              onValue={(access) => update(observer.id, { access })}
            />
            <ChoiceField
              label={t('hearing.notesAllowed')}
              value={observer.notesAllowed}
              options={YES_NO}
              optionLabel={(v) => t(`yesNo.${v}`)}
              onValue={(notesAllowed) => update(observer.id, { notesAllowed })}
            />
            <TextAreaField
              label={t('hearing.accessNotes')}
              value={observer.notes}
              onValue={(notes) => update(observer.id, { notes })}
            />
          </div>
          <button
            type="button"
            className="danger"
            onClick={() => setObservers(observers.filter((entry) => entry.id !== observer.id))}
          >
            {t('hearing.removeObserver', { n: index + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          setObservers([
            ...observers,
            { id: localId(), pseudonym: '', access: 'permitted', notesAllowed: 'unknown', notes: '' },
          ])
        }
      >
        {t('hearing.addObserver')}
      </button>
    </>
  );
}

function ParticipantsFields({ form, onChange }: { form: HearingForm; onChange: Change }) {
  const { t } = useTranslation();
  const participants = form.fields.participants;
  const set = (patch: Partial<HearingFields['participants']>) =>
    onChange((current) => ({
      ...current,
      fields: { ...current.fields, participants: { ...current.fields.participants, ...patch } },
    }));
  const setInterpreter = (patch: Partial<HearingFields['participants']['interpreter']>) =>
    set({ interpreter: { ...participants.interpreter, ...patch } });
  const yesNo = (v: (typeof YES_NO)[number]) => t(`yesNo.${v}`);
  return (
    <div className="form-grid">
      <TextField label={t('hearing.judges')} value={participants.judges} onValue={(judges) => set({ judges })} />
      <TextField
        label={t('hearing.prosecutors')}
        value={participants.prosecutors}
        onValue={(prosecutors) => set({ prosecutors })}
      />
      <TextField
        label={t('hearing.civilParties')}
        value={participants.civilParties}
        onValue={(civilParties) => set({ civilParties })}
      />
      <TextAreaField
        label={t('hearing.witnesses')}
        value={participants.witnesses}
        onValue={(witnesses) => set({ witnesses })}
      />
      <ChoiceField
        label={t('hearing.interpreterNeeded')}
        value={participants.interpreter.needed}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(needed) => setInterpreter({ needed })}
      />
      <ChoiceField
        label={t('hearing.interpreterProvided')}
        value={participants.interpreter.provided}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(provided) => setInterpreter({ provided })}
      />
      <TextField
        label={t('hearing.interpreterFor')}
        value={participants.interpreter.forWhom}
        onValue={(forWhom) => setInterpreter({ forWhom })}
      />
      <ChoiceField
        label={t('hearing.publicPresent')}
        value={participants.publicPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(publicPresent) => set({ publicPresent })}
      />
      <ChoiceField
        label={t('hearing.mediaPresent')}
        value={participants.mediaPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(mediaPresent) => set({ mediaPresent })}
      />
      <ChoiceField
        label={t('hearing.diplomatsPresent')}
        value={participants.diplomatsPresent}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(diplomatsPresent) => set({ diplomatsPresent })}
      />
      <ChoiceField
        label={t('hearing.securityVisible')}
        value={participants.securityVisible}
        options={YES_NO}
        optionLabel={yesNo}
        onValue={(securityVisible) => set({ securityVisible })}
      />
    </div>
  );
}
