import { useTranslation } from 'react-i18next';
import { localId, useFormats } from '../ui';
import { provisionLabel, type Provision } from '../vault';
import { CheckField, ChoiceField, TextAreaField, TextField } from './form-fields';
import {
  joinMonths,
  newAccused,
  newCharge,
  newVerdict,
  numberOrNull,
  splitMonths,
  withoutAccused,
  type Accused,
  type Charge,
  type HearingForm,
  type Verdict,
} from './hearing-form';

const SEXES = ['female', 'male', 'other', 'unknown'] as const;
const CUSTODY = ['detained', 'bailed', 'free', 'unknown'] as const;
const PRESENCE = ['in-person', 'video', 'absent', 'in-absentia', 'unknown'] as const;
const YES_NO = ['yes', 'no', 'partly', 'unknown'] as const;
const COUNSEL_KINDS = ['chosen', 'state-appointed', 'ngo', 'none', 'unknown'] as const;
const FREEDOMS = ['expression', 'assembly', 'association'] as const;
const OUTCOMES = ['convicted', 'acquitted', 'dismissed', 'requalified', 'pending'] as const;

type Change = (update: (form: HearingForm) => HearingForm) => void;

/** Each accused: who they are, their lawyer, the charges and the verdict on each. */
export function AccusedSection({
  form,
  provisions,
  onChange,
}: {
  form: HearingForm;
  provisions: readonly Provision[];
  onChange: Change;
}) {
  const { t } = useTranslation();
  const updateAccused = (id: string, update: (accused: Accused) => Accused) =>
    onChange((current) => ({
      ...current,
      fields: {
        ...current.fields,
        accused: current.fields.accused.map((accused) => (accused.id === id ? update(accused) : accused)),
      },
    }));
  const listId = 'provision-vocabulary';

  return (
    <>
      <datalist id={listId}>
        {provisions.map((provision) => (
          <option key={provision.id} value={provisionLabel(provision)}>
            {provision.name}
          </option>
        ))}
      </datalist>
      {form.fields.accused.map((accused, index) => (
        <fieldset key={accused.id} className="accused">
          <legend>
            {t('hearing.accusedN', {
              n: index + 1,
              name: accused.withheld ? t('person.withheld', { role: t('role.accused') }) : accused.name,
            })}
          </legend>
          <AccusedDetails
            accused={accused}
            affiliations={form.lists[`affiliations:${accused.id}`] ?? ''}
            onAccused={(update) => updateAccused(accused.id, update)}
            onAffiliations={(text) =>
              onChange((current) => ({ ...current, lists: { ...current.lists, [`affiliations:${accused.id}`]: text } }))
            }
          />
          <h4>{t('hearing.charges')}</h4>
          {accused.charges.map((charge, chargeIndex) => (
            <ChargeFields
              key={charge.id}
              charge={charge}
              position={chargeIndex + 1}
              listId={listId}
              provisions={provisions}
              verdict={accused.verdicts.find((verdict) => verdict.chargeId === charge.id) ?? null}
              onCharge={(next) =>
                updateAccused(accused.id, (current) => ({
                  ...current,
                  charges: current.charges.map((entry) => (entry.id === charge.id ? next : entry)),
                }))
              }
              onVerdict={(next) =>
                updateAccused(accused.id, (current) => ({
                  ...current,
                  verdicts: [
                    ...current.verdicts.filter((entry) => entry.chargeId !== charge.id),
                    ...(next ? [next] : []),
                  ],
                }))
              }
              onRemove={() =>
                updateAccused(accused.id, (current) => ({
                  ...current,
                  charges: current.charges.filter((entry) => entry.id !== charge.id),
                  verdicts: current.verdicts.filter((entry) => entry.chargeId !== charge.id),
                }))
              }
            />
          ))}
          <div className="actions">
            <button
              type="button"
              onClick={() =>
                updateAccused(accused.id, (current) => ({
                  ...current,
                  charges: [...current.charges, newCharge(localId())],
                }))
              }
            >
              {t('hearing.addCharge')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                onChange((current) => ({ ...current, fields: withoutAccused(current.fields, accused.id) }))
              }
            >
              {t('hearing.removeAccused', { n: index + 1 })}
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange((current) => ({
            ...current,
            fields: { ...current.fields, accused: [...current.fields.accused, newAccused(localId())] },
          }))
        }
      >
        {t('hearing.addAccused')}
      </button>
    </>
  );
}

function AccusedDetails({
  accused,
  affiliations,
  onAccused,
  onAffiliations,
}: {
  accused: Accused;
  affiliations: string;
  onAccused: (update: (accused: Accused) => Accused) => void;
  onAffiliations: (text: string) => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<Accused>) => onAccused((current) => ({ ...current, ...patch }));
  const setCounsel = (patch: Partial<Accused['counsel']>) =>
    onAccused((current) => ({ ...current, counsel: { ...current.counsel, ...patch } }));
  return (
    <div className="form-grid">
      {accused.withheld ? (
        // Withheld by a bundle's sender: shown by the mark, in this language, not by the stored placeholder. A
        // name typed over it replaces the placeholder and ends the mark.
        <TextField
          label={t('hearing.accusedName')}
          value=""
          placeholder={t('person.withheld', { role: t('role.accused') })}
          title={t('person.withheldHint')}
          maxLength={200}
          onValue={(name) => onAccused(({ withheld: _mark, ...current }) => ({ ...current, name }))}
        />
      ) : (
        <TextField
          label={t('hearing.accusedName')}
          value={accused.name}
          required
          maxLength={200}
          onValue={(name) => set({ name })}
        />
      )}
      <CheckField
        label={t('hearing.withholdName')}
        checked={accused.sensitive}
        onValue={(sensitive) => set({ sensitive })}
      />
      <ChoiceField
        label={t('hearing.sex')}
        value={accused.sex}
        options={SEXES}
        optionLabel={(v) => t(`hearing.sexes.${v}`)}
        onValue={(sex) => set({ sex })}
      />
      <TextField
        label={t('hearing.age')}
        type="number"
        min={0}
        max={130}
        value={accused.age === null ? '' : String(accused.age)}
        onValue={(text) => set({ age: numberOrNull(text) })}
      />
      <CheckField label={t('hearing.juvenile')} checked={accused.juvenile} onValue={(juvenile) => set({ juvenile })} />
      <TextField label={t('hearing.affiliations')} value={affiliations} onValue={onAffiliations} />
      <ChoiceField
        label={t('hearing.custody')}
        value={accused.custody}
        options={CUSTODY}
        optionLabel={(v) => t(`hearing.custodies.${v}`)}
        onValue={(custody) => set({ custody })}
      />
      <ChoiceField
        label={t('hearing.presence')}
        value={accused.presence}
        options={PRESENCE}
        optionLabel={(v) => t(`hearing.presences.${v}`)}
        onValue={(presence) => set({ presence })}
      />
      <ChoiceField
        label={t('hearing.counselPresent')}
        value={accused.counsel.present}
        options={YES_NO}
        optionLabel={(v) => t(`hearing.counselPresence.${v}`)}
        onValue={(present) => setCounsel({ present })}
      />
      <ChoiceField
        label={t('hearing.counselKind')}
        value={accused.counsel.kind}
        options={COUNSEL_KINDS}
        optionLabel={(v) => t(`hearing.counselKinds.${v}`)}
        onValue={(kind) => setCounsel({ kind })}
      />
      <ChoiceField
        label={t('hearing.consultedPrivately')}
        value={accused.counsel.consultedPrivately}
        options={YES_NO}
        optionLabel={(v) => t(`yesNo.${v}`)}
        onValue={(consultedPrivately) => setCounsel({ consultedPrivately })}
      />
      <TextAreaField
        label={t('hearing.counselNotes')}
        value={accused.counsel.notes}
        onValue={(notes) => setCounsel({ notes })}
      />
    </div>
  );
}

function ChargeFields({
  charge,
  position,
  listId,
  provisions,
  verdict,
  onCharge,
  onVerdict,
  onRemove,
}: {
  charge: Charge;
  position: number;
  listId: string;
  provisions: readonly Provision[];
  verdict: Verdict | null;
  onCharge: (charge: Charge) => void;
  onVerdict: (verdict: Verdict | null) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<Charge>) => onCharge({ ...charge, ...patch });

  function chooseProvision(text: string) {
    // Picking a known provision fills in the offence as reported, unless one was typed.
    const known = provisions.find((provision) => provisionLabel(provision) === text);
    set({ provision: text, offence: charge.offence === '' && known ? known.name : charge.offence });
  }

  return (
    <div className="row-group charge" role="group" aria-label={t('hearing.chargeN', { n: position })}>
      <div className="form-grid">
        <TextField
          label={t('hearing.provision')}
          value={charge.provision}
          list={listId}
          required
          onValue={chooseProvision}
        />
        <TextField label={t('hearing.offence')} value={charge.offence} onValue={(offence) => set({ offence })} />
        <TextField
          label={t('hearing.allegedDates')}
          value={charge.allegedDates}
          placeholder="2025-03"
          onValue={(allegedDates) => set({ allegedDates })}
        />
        <TextField
          label={t('hearing.maxPenalty')}
          value={charge.maxPenalty}
          onValue={(maxPenalty) => set({ maxPenalty })}
        />
        <TextAreaField
          label={t('hearing.allegedFacts')}
          value={charge.allegedFacts}
          onValue={(allegedFacts) => set({ allegedFacts })}
        />
        <CheckField
          label={t('hearing.requalified')}
          checked={charge.requalified}
          onValue={(requalified) => set({ requalified })}
        />
        <fieldset className="inline-choices">
          <legend>{t('hearing.concernsFreedoms')}</legend>
          {FREEDOMS.map((freedom) => (
            <CheckField
              key={freedom}
              label={t(`hearing.freedoms.${freedom}`)}
              checked={charge.concernsFreedoms.includes(freedom)}
              onValue={(checked) =>
                set({
                  concernsFreedoms: checked
                    ? [...charge.concernsFreedoms, freedom]
                    : charge.concernsFreedoms.filter((entry) => entry !== freedom),
                })
              }
            />
          ))}
        </fieldset>
      </div>
      {verdict ? (
        <VerdictFields verdict={verdict} onVerdict={onVerdict} />
      ) : (
        <button type="button" onClick={() => onVerdict(newVerdict(charge.id))}>
          {t('hearing.addVerdict')}
        </button>
      )}
      <button type="button" className="danger" onClick={onRemove}>
        {t('hearing.removeCharge', { n: position })}
      </button>
    </div>
  );
}

function VerdictFields({ verdict, onVerdict }: { verdict: Verdict; onVerdict: (verdict: Verdict | null) => void }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const set = (patch: Partial<Verdict>) => onVerdict({ ...verdict, ...patch });
  const prison = splitMonths(verdict.prisonMonths);
  return (
    <fieldset className="verdict">
      <legend>{t('hearing.verdict')}</legend>
      <div className="form-grid">
        <ChoiceField
          label={t('hearing.outcome')}
          value={verdict.outcome}
          options={OUTCOMES}
          optionLabel={(v) => t(`hearing.outcomes.${v}`)}
          onValue={(outcome) => set({ outcome })}
        />
        <TextField
          label={t('hearing.prisonYears')}
          type="number"
          min={0}
          value={prison.years}
          onValue={(years) => set({ prisonMonths: joinMonths(years, prison.months) })}
        />
        <TextField
          label={t('hearing.prisonMonths')}
          type="number"
          min={0}
          value={prison.months}
          onValue={(months) => set({ prisonMonths: joinMonths(prison.years, months) })}
        />
        <TextField
          label={t('hearing.suspendedMonths')}
          type="number"
          min={0}
          value={verdict.suspendedMonths === null ? '' : String(verdict.suspendedMonths)}
          onValue={(text) => set({ suspendedMonths: numberOrNull(text) })}
        />
        <TextField
          label={t('hearing.fineAmount')}
          type="number"
          min={0}
          value={verdict.fine === null ? '' : String(verdict.fine.amount)}
          onValue={(text) => {
            const amount = numberOrNull(text);
            set({ fine: amount === null ? null : { amount, currency: verdict.fine?.currency ?? 'KHR' } });
          }}
        />
        <TextField
          label={t('hearing.fineCurrency')}
          value={verdict.fine?.currency ?? ''}
          list="fine-currencies"
          disabled={verdict.fine === null}
          onValue={(currency) => verdict.fine && set({ fine: { ...verdict.fine, currency } })}
        />
        {verdict.fine && (
          <p className="fine-shown" aria-live="polite">
            {formats.money(verdict.fine.amount, verdict.fine.currency)}
          </p>
        )}
        <datalist id="fine-currencies">
          <option value="KHR">{t('hearing.riels')}</option>
          <option value="USD">USD</option>
        </datalist>
        <TextField
          label={t('hearing.otherPenalties')}
          value={verdict.otherPenalties}
          onValue={(otherPenalties) => set({ otherPenalties })}
        />
        <TextField
          label={t('hearing.timeServedDays')}
          type="number"
          min={0}
          value={verdict.timeServedDays === null ? '' : String(verdict.timeServedDays)}
          onValue={(text) => set({ timeServedDays: numberOrNull(text) })}
        />
        <ChoiceField
          label={t('hearing.pronouncedPublicly')}
          value={verdict.pronouncedPublicly}
          options={YES_NO}
          optionLabel={(v) => t(`yesNo.${v}`)}
          onValue={(pronouncedPublicly) => set({ pronouncedPublicly })}
        />
        <ChoiceField
          label={t('hearing.writtenJudgment')}
          value={verdict.writtenJudgmentObtained}
          options={YES_NO}
          optionLabel={(v) => t(`yesNo.${v}`)}
          onValue={(writtenJudgmentObtained) => set({ writtenJudgmentObtained })}
        />
        <ChoiceField
          label={t('hearing.appealLodged')}
          value={verdict.appealLodged}
          options={YES_NO}
          optionLabel={(v) => t(`yesNo.${v}`)}
          onValue={(appealLodged) => set({ appealLodged })}
        />
        <TextField
          label={t('hearing.appealDeadline')}
          value={verdict.appealDeadline}
          placeholder="2025-08-17"
          onValue={(appealDeadline) => set({ appealDeadline })}
        />
      </div>
      <button type="button" className="danger" onClick={() => onVerdict(null)}>
        {t('hearing.removeVerdict')}
      </button>
    </fieldset>
  );
}
