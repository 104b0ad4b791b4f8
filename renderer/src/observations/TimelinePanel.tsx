import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useDraft, useRefresh, useVault, useVaultQuery } from '../session';
import { ConfirmDeleteButton, errorMessage, useFormats } from '../ui';
import {
  TIMELINE_EVENT_KINDS,
  draftNames,
  type HearingRecord,
  type TimelineEventFields,
  type TimelineEventRecord,
  type TimelineSource,
} from '../vault';
import { isApproximateDate } from './approximate-dates';
import { ChoiceField, TextAreaField, TextField } from './form-fields';
import { buildTimeline, detentionSpells, type TimelineItem } from './timeline';
import { annotationPage, annotationQuote, useCaseSources, type CaseSources } from './use-case-sources';
import { detentionText } from './labels';

/** Names the case records are offered for "whom it concerns". */
type Loaded = { events: TimelineEventRecord[]; hearings: HearingRecord[]; people: string[] };

function emptyEvent(): TimelineEventFields {
  return { kind: 'arrest', date: '', person: '', description: '', sources: [] };
}

function isEventFields(value: unknown): value is TimelineEventFields {
  const candidate = value as Partial<TimelineEventFields> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.date === 'string' &&
    typeof candidate.kind === 'string' &&
    Array.isArray(candidate.sources)
  );
}

/** Labels for what a timeline entry rests on. */
export function useSourceLabel(sources: CaseSources | null, hearings: readonly HearingRecord[]) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (source: TimelineSource): string => {
    if (source.kind === 'hearing') {
      const hearing = hearings.find((entry) => entry.id === source.id);
      return hearing
        ? t('timeline.hearingSource', { date: formats.date(hearing.hearing.value.date) })
        : t('report.missingEvidence');
    }
    if (source.kind === 'document')
      return sources?.documents.find((entry) => entry.id === source.id)?.name ?? t('report.missingEvidence');
    const annotation = sources?.annotations.find((entry) => entry.id === source.id);
    if (!annotation) return t('report.missingEvidence');
    const document = sources?.documents.find((entry) => entry.id === annotation.documentId);
    return t('report.evidenceQuote', {
      quote: annotationQuote(annotation).slice(0, 80),
      document: document?.name ?? '?',
      page: annotationPage(annotation) ?? '—',
    });
  };
}

/**
 * A case's timeline: the events the team records (with approximate dates and
 * their sources) and every hearing, by date; pre-trial detention computed.
 */
export function TimelinePanel({
  caseId,
  onOpenHearing,
}: {
  caseId: string;
  onOpenHearing: (hearingId: string) => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const vault = useVault();
  const refresh = useRefresh();
  const sources = useCaseSources(caseId);
  const eventsQuery = useVaultQuery(queryKeys.caseTimeline(caseId), (client) => client.listTimelineEvents(caseId));
  const hearingsQuery = useVaultQuery(queryKeys.caseHearings(caseId), (client) => client.listHearings(caseId));
  const caseQuery = useVaultQuery(queryKeys.case(caseId), (client) => client.getCase(caseId));
  /** A delete that failed (reading errors come from the queries). */
  const [actionError, setActionError] = useState<unknown>(null);
  /** The event being edited: 'new', an event id, or null (form closed). */
  const [editing, setEditing] = useState<string | null>(null);
  const events = eventsQuery.data;
  const hearings = hearingsQuery.data;
  const record = caseQuery.data;
  const loaded = useMemo<Loaded | null>(
    () =>
      events && hearings && record
        ? {
            events,
            hearings,
            // Sensitive people are not offered: a name picked here travels in every bundle with the event, even
            // when the bundle withholds that person (docs/bundle-format.md, "Withheld people").
            people: [
              ...new Set([
                ...record.people.filter((person) => !person.sensitive).map((person) => person.name),
                ...hearings.flatMap((hearing) =>
                  hearing.hearing.value.accused.filter((accused) => !accused.sensitive).map((accused) => accused.name),
                ),
              ]),
            ],
          }
        : null,
    [events, hearings, record],
  );
  const error = eventsQuery.error ?? hearingsQuery.error ?? caseQuery.error ?? actionError;
  const pending = eventsQuery.isPending || hearingsQuery.isPending || caseQuery.isPending;

  const sourceLabel = useSourceLabel(sources, loaded?.hearings ?? []);
  const items = loaded ? buildTimeline(loaded.events, loaded.hearings) : [];
  const spells = detentionSpells(items);

  return (
    <section aria-labelledby="timeline-heading" className="timeline-panel">
      <h2 id="timeline-heading">{t('timeline.heading')}</h2>
      {error !== null && (
        <p role="alert" className="error">
          {errorMessage(t, error)}
        </p>
      )}
      {pending && error === null && <p>{t('common.loading')}</p>}
      {spells.length > 0 && (
        <ul aria-label={t('timeline.detention')} className="detention">
          {spells.map((spell) => (
            <li key={`${spell.person}-${spell.arrest}`}>{detentionText(t, spell, formats)}</li>
          ))}
        </ul>
      )}
      {loaded && items.length === 0 && <p>{t('timeline.none')}</p>}
      <ol className="timeline">
        {items.map((item) => (
          <TimelineEntry
            key={item.key}
            item={item}
            sourceLabel={sourceLabel}
            onOpenHearing={onOpenHearing}
            onEdit={() => setEditing(item.id)}
            onDelete={async () => {
              try {
                await vault.deleteTimelineEvent(caseId, item.id);
                await refresh(queryKeys.caseTimeline(caseId));
              } catch (caught) {
                setActionError(caught);
              }
            }}
          />
        ))}
      </ol>
      {editing && loaded ? (
        <EventForm
          key={editing}
          caseId={caseId}
          event={editing === 'new' ? null : (loaded.events.find((entry) => entry.id === editing) ?? null)}
          people={loaded.people}
          sources={sources}
          hearings={loaded.hearings}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void refresh(queryKeys.caseTimeline(caseId));
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t('timeline.add')}
        </button>
      )}
    </section>
  );
}

function TimelineEntry({
  item,
  sourceLabel,
  onOpenHearing,
  onEdit,
  onDelete,
}: {
  item: TimelineItem;
  sourceLabel: (source: TimelineSource) => string;
  onOpenHearing: (id: string) => void;
  onEdit: () => void;
  onDelete: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const title = `${formats.date(item.date)} — ${t(`timeline.kind.${item.kind}`)}${item.person ? `: ${item.person}` : ''}`;
  return (
    <li className={`timeline-item ${item.origin}`}>
      <strong>{title}</strong>
      {item.description && <p>{item.description}</p>}
      {item.origin === 'event' && item.sources.length > 0 && (
        <ul className="sources" aria-label={t('timeline.sourcesOf', { title })}>
          {item.sources.map((source) => (
            <li key={`${source.kind}-${source.id}`}>{sourceLabel(source)}</li>
          ))}
        </ul>
      )}
      <span className="row-actions">
        {item.origin === 'hearing' ? (
          <button type="button" onClick={() => onOpenHearing(item.id)}>
            {t('timeline.openHearing', { title })}
          </button>
        ) : (
          <>
            <button type="button" onClick={onEdit} aria-label={t('timeline.editEvent', { title })}>
              {t('timeline.edit')}
            </button>
            <ConfirmDeleteButton
              text={t('timeline.delete')}
              label={t('timeline.deleteEvent', { title })}
              confirmText={t('timeline.deleteForever')}
              onConfirm={onDelete}
            />
          </>
        )}
      </span>
    </li>
  );
}

function EventForm({
  caseId,
  event,
  people,
  sources,
  hearings,
  onDone,
}: {
  caseId: string;
  event: TimelineEventRecord | null;
  people: readonly string[];
  sources: CaseSources | null;
  hearings: readonly HearingRecord[];
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const draft = useDraft<TimelineEventFields>(vault, draftNames.event(caseId, event?.id ?? null));
  const [fields, setFields] = useState<TimelineEventFields>(() =>
    event
      ? {
          kind: event.kind,
          date: event.date,
          person: event.person,
          description: event.description,
          sources: event.sources,
        }
      : emptyEvent(),
  );
  const [error, setError] = useState<string | null>(null);
  const sourceLabel = useSourceLabel(sources, hearings);

  useEffect(() => {
    let current = true;
    vault.loadDraft(draftNames.event(caseId, event?.id ?? null)).then(
      (saved) => current && isEventFields(saved) && setFields(saved),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [vault, caseId, event?.id]);

  const change = (patch: Partial<TimelineEventFields>) => {
    const next = { ...fields, ...patch };
    setFields(next);
    draft.update(next);
  };

  const choices: TimelineSource[] = [
    ...hearings.map((record) => ({ kind: 'hearing' as const, id: record.id })),
    ...(sources?.annotations ?? []).map((record) => ({ kind: 'annotation' as const, id: record.id })),
    ...(sources?.documents ?? []).map((record) => ({ kind: 'document' as const, id: record.id })),
  ];

  async function save(submit: FormEvent) {
    submit.preventDefault();
    if (!isApproximateDate(fields.date)) {
      setError(t('timeline.badDate'));
      return;
    }
    try {
      await vault.saveTimelineEvent(caseId, event?.id ?? null, { ...fields, person: fields.person.trim() });
      await draft.discard();
      onDone(true);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  return (
    <form
      className="event-form"
      autoComplete="off"
      aria-labelledby="event-form-heading"
      onSubmit={(submit) => void save(submit)}
    >
      <h3 id="event-form-heading">{event ? t('timeline.editHeading') : t('timeline.newHeading')}</h3>
      <div className="form-grid">
        <ChoiceField
          label={t('timeline.eventKind')}
          value={fields.kind}
          options={TIMELINE_EVENT_KINDS}
          optionLabel={(kind) => t(`timeline.kind.${kind}`)}
          onValue={(kind) => change({ kind })}
        />
        <TextField
          label={t('timeline.date')}
          value={fields.date}
          required
          placeholder="2025-03"
          aria-invalid={fields.date !== '' && !isApproximateDate(fields.date)}
          onValue={(date) => change({ date })}
        />
        <TextField
          label={t('timeline.person')}
          value={fields.person}
          list="timeline-people"
          onValue={(person) => change({ person })}
        />
        <datalist id="timeline-people">
          {people.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <TextAreaField
          label={t('timeline.description')}
          value={fields.description}
          onValue={(description) => change({ description })}
        />
        <label>
          {t('timeline.sources')}
          <select
            multiple
            size={Math.min(5, Math.max(2, choices.length))}
            value={fields.sources.map((source) => `${source.kind}:${source.id}`)}
            onChange={(select) =>
              change({
                sources: Array.from(select.target.selectedOptions, (option) => {
                  const [kind, id] = option.value.split(':') as [TimelineSource['kind'], string];
                  return { kind, id };
                }),
              })
            }
          >
            {choices.map((source) => (
              <option key={`${source.kind}:${source.id}`} value={`${source.kind}:${source.id}`}>
                {sourceLabel(source)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="save-state" aria-live="polite">
        {draft.state === 'unsaved' ? t('editor.unsaved') : draft.state === 'draft-saved' ? t('editor.draftSaved') : ''}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit">{t('timeline.save')}</button>
        <button
          type="button"
          onClick={() => {
            void draft.discard();
            onDone(false);
          }}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
