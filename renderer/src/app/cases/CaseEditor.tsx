import { errorMessage, localId, SelectField } from '../../ui';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CASE_STATUSES,
  PERSON_ROLES,
  type CaseKeyDate,
  type CasePerson,
  type CaseRecord,
  type CaseStatus,
  type PersonRole,
  type VaultClient,
} from '../../vault';
import { emptyForm, fieldsFromForm, formFromFields, isCaseFormState, type CaseFormState } from './case-form';
import { useDraft } from '../../session';

interface CaseEditorProps {
  vault: VaultClient;
  /** null: a new case. */
  caseId: string | null;
  onSaved: (record: CaseRecord) => void;
  onDeleted: () => void;
  onShowHistory: (caseId: string) => void;
}

type Loaded = { record: CaseRecord | null; restoredDraft: boolean };

/** Edits one case; every change is kept as an encrypted draft until saved. */
export function CaseEditor({ vault, caseId, onSaved, onDeleted, onShowHistory }: CaseEditorProps) {
  const { t } = useTranslation();
  const draft = useDraft<CaseFormState>(vault, `case:${caseId ?? 'new'}`);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [form, setForm] = useState<CaseFormState>(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const record = caseId ? await vault.getCase(caseId) : null;
        const saved = await vault.loadDraft(`case:${caseId ?? 'new'}`);
        if (!current) return;
        const restoredDraft = isCaseFormState(saved);
        setForm(restoredDraft ? saved : record ? formFromFields(record) : emptyForm());
        setLoaded({ record, restoredDraft });
      } catch (caught) {
        if (current) setLoadError(caught);
      }
    })();
    return () => {
      current = false;
    };
    // Not on `t`: switching language must not reload the form and drop unsaved keystrokes.
  }, [vault, caseId]);

  function change(next: Partial<CaseFormState>) {
    const updated = { ...form, ...next };
    setForm(updated);
    draft.update(updated);
  }

  function updatePerson(id: string, patch: Partial<CasePerson>) {
    change({ people: form.people.map((person) => (person.id === id ? { ...person, ...patch } : person)) });
  }

  function updateKeyDate(id: string, patch: Partial<CaseKeyDate>) {
    change({ keyDates: form.keyDates.map((keyDate) => (keyDate.id === id ? { ...keyDate, ...patch } : keyDate)) });
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const fields = fieldsFromForm(form);
      const record = caseId ? await vault.updateCase(caseId, fields) : await vault.createCase(fields);
      await draft.discard();
      setLoaded({ record, restoredDraft: false });
      onSaved(record);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  async function setArchived(archived: boolean) {
    if (!caseId) return;
    try {
      const record = await vault.setCaseArchived(caseId, archived);
      setLoaded({ record, restoredDraft: false });
      onSaved(record);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  async function remove() {
    if (!caseId) return;
    try {
      await draft.discard();
      await vault.deleteCase(caseId);
      onDeleted();
    } catch (caught) {
      setError(errorMessage(t, caught));
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

  const saveStateText = {
    clean: loaded.restoredDraft ? t('editor.draftRestored') : t('editor.saved'),
    unsaved: t('editor.unsaved'),
    'draft-saved': t('editor.draftSaved'),
  }[draft.state];

  return (
    <form
      className="case-editor"
      autoComplete="off"
      onSubmit={(event) => void save(event)}
      aria-labelledby="editor-heading"
    >
      <h2 id="editor-heading">{caseId ? t('editor.editHeading') : t('editor.newHeading')}</h2>
      <p className="save-state" aria-live="polite">
        {saveStateText}
      </p>
      <label>
        {t('editor.title')}
        <input
          value={form.title}
          required
          maxLength={200}
          onChange={(event) => change({ title: event.target.value })}
        />
      </label>
      <label>
        {t('editor.references')}
        <input value={form.referencesText} onChange={(event) => change({ referencesText: event.target.value })} />
      </label>
      <SelectField
        label={t('editor.status')}
        value={form.status}
        onChange={(event) => change({ status: event.target.value as CaseStatus })}
      >
        {CASE_STATUSES.map((value) => (
          <option key={value} value={value}>
            {t(`status.${value}`)}
          </option>
        ))}
      </SelectField>
      <label>
        {t('editor.jurisdiction')}
        <input value={form.jurisdiction} onChange={(event) => change({ jurisdiction: event.target.value })} />
      </label>
      <label>
        {t('editor.court')}
        <input value={form.court} onChange={(event) => change({ court: event.target.value })} />
      </label>
      <label>
        {t('editor.tags')}
        <input value={form.tagsText} onChange={(event) => change({ tagsText: event.target.value })} />
      </label>
      <label>
        {t('editor.summary')}
        <textarea value={form.summary} rows={5} onChange={(event) => change({ summary: event.target.value })} />
      </label>

      <fieldset>
        <legend>{t('editor.people')}</legend>
        {form.people.map((person, index) => (
          <div key={person.id} className="row-group" role="group" aria-label={t('editor.personN', { n: index + 1 })}>
            <label>
              {t('editor.personName')}
              <input value={person.name} onChange={(event) => updatePerson(person.id, { name: event.target.value })} />
            </label>
            <SelectField
              label={t('editor.personRole')}
              value={person.role}
              onChange={(event) => updatePerson(person.id, { role: event.target.value as PersonRole })}
            >
              {PERSON_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </SelectField>
            <label className="inline">
              <input
                type="checkbox"
                checked={person.sensitive}
                onChange={(event) => updatePerson(person.id, { sensitive: event.target.checked })}
              />
              {t('editor.personSensitive')}
            </label>
            <label>
              {t('editor.personNotes')}
              <input
                value={person.notes}
                onChange={(event) => updatePerson(person.id, { notes: event.target.value })}
              />
            </label>
            <button type="button" onClick={() => change({ people: form.people.filter((p) => p.id !== person.id) })}>
              {t('editor.removePerson')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            change({
              people: [...form.people, { id: localId(), name: '', role: 'accused', sensitive: false, notes: '' }],
            })
          }
        >
          {t('editor.addPerson')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('editor.keyDates')}</legend>
        {form.keyDates.map((keyDate, index) => (
          <div key={keyDate.id} className="row-group" role="group" aria-label={t('editor.dateN', { n: index + 1 })}>
            <label>
              {t('editor.dateLabel')}
              <input
                value={keyDate.label}
                onChange={(event) => updateKeyDate(keyDate.id, { label: event.target.value })}
              />
            </label>
            <label>
              {t('editor.dateValue')}
              <input
                value={keyDate.date}
                placeholder="2025-07-17"
                pattern="\d{4}(-\d{2}(-\d{2})?)?"
                onChange={(event) => updateKeyDate(keyDate.id, { date: event.target.value })}
              />
            </label>
            <button
              type="button"
              onClick={() => change({ keyDates: form.keyDates.filter((d) => d.id !== keyDate.id) })}
            >
              {t('editor.removeDate')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => change({ keyDates: [...form.keyDates, { id: localId(), label: '', date: '' }] })}
        >
          {t('editor.addDate')}
        </button>
      </fieldset>

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit">{t('editor.save')}</button>
        {caseId && loaded.record && (
          <>
            <button type="button" onClick={() => void setArchived(!loaded.record!.archived)}>
              {loaded.record.archived ? t('editor.restore') : t('editor.archive')}
            </button>
            <button type="button" onClick={() => onShowHistory(caseId)}>
              {t('editor.history')}
            </button>
            {confirmingDelete ? (
              <span role="group" aria-label={t('editor.confirmDelete')}>
                {t('editor.confirmDelete')}{' '}
                <button type="button" className="danger" onClick={() => void remove()}>
                  {t('editor.deleteForever')}
                </button>
                <button type="button" onClick={() => setConfirmingDelete(false)}>
                  {t('common.cancel')}
                </button>
              </span>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirmingDelete(true)}>
                {t('editor.delete')}
              </button>
            )}
          </>
        )}
      </div>
    </form>
  );
}
