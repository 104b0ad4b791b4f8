import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useDraft, useRefresh, useVault, useVaultQuery } from '../session';
import { errorMessage, type OutcomeMessage } from '../ui';
import { draftNames, hearingFieldsSchema, type HearingFields, type HearingRecord } from '../vault';
import { fieldsFromForm, formFromFields, isHearingForm, newHearingForm, type HearingForm } from './hearing-form';

export type FormChange = (update: (form: HearingForm) => HearingForm) => void;

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
 * Everything the hearing form does apart from showing itself: reading the case, the hearing and any
 * encrypted draft; keeping every change as a draft (flushed before an auto-lock, restored after it);
 * saving, signing off and deleting.
 */
export function useHearingEditor({
  caseId,
  hearingId,
  onSaved,
  onDeleted,
}: {
  caseId: string;
  hearingId: string | null;
  onSaved: (record: HearingRecord) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const draftName = draftNames.hearing(caseId, hearingId);
  const draft = useDraft<HearingForm>(vault, draftName);
  const caseRecord = useVaultQuery(queryKeys.case(caseId), (client) => client.getCase(caseId));
  const hearings = useVaultQuery(queryKeys.caseHearings(caseId), (client) => client.listHearings(caseId));
  const events = useVaultQuery([...queryKeys.case(caseId), 'timeline'], (client) =>
    client.listTimelineEvents(caseId).catch(() => []),
  );
  // The draft changes with every keystroke, so it is read fresh each time the form opens: gcTime 0 drops it
  // from the cache as soon as the form closes, and a cached older draft can never be restored over a newer one.
  const savedDraft = useQuery({
    queryKey: ['draft', draftName],
    queryFn: async () => (await vault.loadDraft(draftName)) ?? null,
    gcTime: 0,
  });

  const [form, setForm] = useState<HearingForm | null>(null);
  /** The stored hearing as last saved here (null: not saved yet); undefined until read. */
  const [record, setRecord] = useState<HearingRecord | null | undefined>(undefined);
  const [restoredDraft, setRestoredDraft] = useState(false);
  const [message, setMessage] = useState<OutcomeMessage | null>(null);

  const found = hearingId ? hearings.data?.find((entry) => entry.id === hearingId) : null;
  const notFound = hearingId !== null && hearings.data !== undefined && found === undefined;
  const loadError =
    caseRecord.error ??
    hearings.error ??
    savedDraft.error ??
    (notFound ? Object.assign(new Error('not found'), { code: 'not-found' }) : null);

  // The form starts once everything is read (set while rendering: no effect, no flash of an empty form).
  if (form === null && !loadError && caseRecord.data && hearings.data && savedDraft.isSuccess && found !== undefined) {
    const saved: unknown = savedDraft.data;
    const fresh = newHearingForm();
    fresh.fields.court = caseRecord.data.court;
    const restored = isHearingForm(saved);
    setForm(
      restored
        ? { fields: { ...fresh.fields, ...saved.fields }, lists: saved.lists }
        : found
          ? formFromFields(found.hearing.value)
          : fresh,
    );
    setRecord(found);
    setRestoredDraft(restored);
  }

  const change: FormChange = (update) => {
    if (!form) return;
    const next = update(form);
    setForm(next);
    draft.update(next);
  };

  /** Stores the form as the hearing's current version; null (with a message) when it cannot. */
  async function store(): Promise<HearingRecord | null> {
    if (!form) return null;
    setMessage(null);
    const fields = fieldsFromForm(form);
    const problems = issuePaths(fields, t);
    if (problems) {
      setMessage({ ok: false, text: t('hearing.invalid', { fields: problems }) });
      return null;
    }
    try {
      const saved = await vault.saveHearing(caseId, hearingId, fields);
      await draft.discard();
      setRecord(saved);
      setRestoredDraft(false);
      setMessage({ ok: true, text: t('hearing.savedVersion', { n: saved.hearing.version }) });
      // Read again before anyone opens the saved hearing by its new id.
      await refresh(queryKeys.caseHearings(caseId));
      return saved;
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      return null;
    }
  }

  async function save() {
    const saved = await store();
    if (saved) onSaved(saved);
  }

  /** Signs off the current version (saving the form first when it changed). */
  async function signOff() {
    const unchanged = draft.state === 'clean' && !restoredDraft;
    const saved = unchanged && record ? record : await store();
    if (!saved) return;
    try {
      const final = await vault.finaliseHearing(caseId, saved.id);
      setRecord(final);
      setMessage({ ok: true, text: t('hearing.finalised', { n: final.hearing.version }) });
      await refresh(queryKeys.caseHearings(caseId));
      onSaved(final);
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
      onSaved(saved);
    }
  }

  async function remove() {
    if (!record) return;
    try {
      await draft.discard();
      await vault.deleteHearing(caseId, record.id);
      await refresh(queryKeys.caseHearings(caseId));
      onDeleted();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return {
    loadError,
    caseRecord: caseRecord.data ?? null,
    events: events.data ?? [],
    form,
    record: record ?? null,
    restoredDraft,
    draftState: draft.state,
    message,
    change,
    save,
    signOff,
    remove,
  };
}

export type HearingEditorState = ReturnType<typeof useHearingEditor>;
