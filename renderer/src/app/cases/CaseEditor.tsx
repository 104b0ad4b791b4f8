import { History, Plus, Trash2 } from 'lucide-react';
import { ConfirmDialog, errorMessage, localId, MoreActionsMenu, SelectField } from '../../ui';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CASE_STATUSES,
  PERSON_ROLES,
  draftNames,
  type CaseKeyDate,
  type CasePerson,
  type CaseRecord,
  type CaseStatus,
  type PersonRole,
} from '../../vault';
import { emptyForm, fieldsFromForm, formFromFields, isCaseFormState, type CaseFormState } from './case-form';
import { queryKeys, useDraft, useRefresh, useVault } from '../../session';

interface CaseEditorProps {
  /** null: a new case. */
  caseId: string | null;
  onSaved: (record: CaseRecord) => void;
  onDeleted: () => void;
  onShowHistory: (caseId: string) => void;
}

type Loaded = { record: CaseRecord | null; restoredDraft: boolean };

/** Edits one case; every change is kept as an encrypted draft until saved. */
export function CaseEditor({ caseId, onSaved, onDeleted, onShowHistory }: CaseEditorProps) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const draft = useDraft<CaseFormState>(vault, draftNames.case(caseId));
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [form, setForm] = useState<CaseFormState>(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  // Deliberately a hand-written effect, not a query: the record and the draft seed the form ONCE per case. A query
  // would read again whenever ['case', id] is refreshed (this editor's own save, an import, another view's
  // write) or the editor remounts, and re-seeding would overwrite what the user is typing; a draft in the cache
  // would also be stale as soon as the user types.
  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const record = caseId ? await vault.getCase(caseId) : null;
        const saved = await vault.loadDraft(draftNames.case(caseId));
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
      // Other views showing the case (its timeline's people, report, the reader's links) read it again.
      void refresh(queryKeys.case(record.id));
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
      void refresh(queryKeys.case(record.id));
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
    clean: loaded.restoredDraft ? t('editor.draftRestored') : caseId ? t('editor.saved') : t('editor.notSavedYet'),
    unsaved: t('editor.unsaved'),
    'draft-saved': t('editor.draftSaved'),
  }[draft.state];

  const record = loaded.record;
  return (
    <form
      className="case-editor"
      autoComplete="off"
      onSubmit={(event) => void save(event)}
      aria-labelledby="editor-heading"
    >
      <div className="form-bar">
        <h2 id="editor-heading" className={caseId ? 'visually-hidden' : undefined}>
          {caseId ? t('editor.editHeading') : t('editor.newHeading')}
        </h2>
        <p className="save-state" aria-live="polite">
          {saveStateText}
        </p>
        <div className="form-bar-actions">
          {caseId && (
            <button type="button" onClick={() => onShowHistory(caseId)}>
              <History aria-hidden="true" size={16} />
              {t('editor.history')}
            </button>
          )}
          <button type="submit" className="primary">
            {t('editor.save')}
          </button>
          {caseId && record && (
            <MoreActionsMenu
              label={t('editor.moreActions')}
              actions={[
                {
                  id: 'archive',
                  label: record.archived ? t('editor.restore') : t('editor.archive'),
                  onAction: () => void setArchived(!record.archived),
                },
                { id: 'delete', label: t('editor.delete'), danger: true, onAction: () => setConfirmingDelete(true) },
              ]}
            />
          )}
        </div>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="form-grid">
        <label className="span-2">
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
        <label className="span-2">
          {t('editor.tags')}
          <input value={form.tagsText} onChange={(event) => change({ tagsText: event.target.value })} />
        </label>
        <label className="span-2">
          {t('editor.summary')}
          <textarea value={form.summary} rows={5} onChange={(event) => change({ summary: event.target.value })} />
        </label>
      </div>

      <fieldset>
        <legend>{t('editor.people')}</legend>
        {form.people.map((person, index) => (
          <div key={person.id} className="row-group" role="group" aria-label={t('editor.personN', { n: index + 1 })}>
            {person.withheld ? (
              // Withheld by a bundle's sender: shown by the mark, in this language, not by the stored placeholder.
              // A name typed over it replaces the placeholder and ends the mark.
              <label>
                {t('editor.personName')}
                <input
                  value=""
                  placeholder={t('person.withheld', { role: t(`role.${person.role}`) })}
                  title={t('person.withheldHint')}
                  onChange={(event) => {
                    const { withheld: _mark, ...rest } = person;
                    change({
                      people: form.people.map((other) =>
                        other.id === person.id ? { ...rest, name: event.target.value } : other,
                      ),
                    });
                  }}
                />
              </label>
            ) : (
              <label>
                {t('editor.personName')}
                <input
                  value={person.name}
                  onChange={(event) => updatePerson(person.id, { name: event.target.value })}
                />
              </label>
            )}
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
            <label className="grow">
              {t('editor.personNotes')}
              <input
                value={person.notes}
                onChange={(event) => updatePerson(person.id, { notes: event.target.value })}
              />
            </label>
            <button
              type="button"
              className="icon-button quiet"
              aria-label={t('editor.removePersonN', { n: index + 1 })}
              title={t('editor.removePerson')}
              onClick={() => change({ people: form.people.filter((p) => p.id !== person.id) })}
            >
              <Trash2 aria-hidden="true" size={16} />
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
          <Plus aria-hidden="true" size={16} />
          {t('editor.addPerson')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('editor.keyDates')}</legend>
        {form.keyDates.map((keyDate, index) => (
          <div key={keyDate.id} className="row-group" role="group" aria-label={t('editor.dateN', { n: index + 1 })}>
            <label className="grow">
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
              className="icon-button quiet"
              aria-label={t('editor.removeDateN', { n: index + 1 })}
              title={t('editor.removeDate')}
              onClick={() => change({ keyDates: form.keyDates.filter((d) => d.id !== keyDate.id) })}
            >
              <Trash2 aria-hidden="true" size={16} />
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => change({ keyDates: [...form.keyDates, { id: localId(), label: '', date: '' }] })}
        >
          <Plus aria-hidden="true" size={16} />
          {t('editor.addDate')}
        </button>
      </fieldset>

      <ConfirmDialog
        open={confirmingDelete}
        onOpenChange={setConfirmingDelete}
        title={t('editor.delete')}
        body={t('editor.confirmDelete')}
        confirmLabel={t('editor.deleteForever')}
        onConfirm={remove}
      />
    </form>
  );
}
