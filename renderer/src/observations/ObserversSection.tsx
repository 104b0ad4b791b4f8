import { useTranslation } from 'react-i18next';
import { localId } from '../ui';
import type { HearingFields } from '../vault';
import { ChoiceField, TextAreaField, TextField } from './form-fields';
import type { HearingForm } from './hearing-form';
import type { FormChange } from './use-hearing-editor';

const YES_NO = ['yes', 'no', 'partly', 'unknown'] as const;
const ACCESS = ['permitted', 'restricted', 'denied'] as const;

/** Who observed the hearing, whether they were let in and could take notes. */
export function ObserversSection({ form, onChange }: { form: HearingForm; onChange: FormChange }) {
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
