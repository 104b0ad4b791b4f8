import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, formatSize, StatusMessage } from '../ui';
import { TaskProgress, useProgressMeter } from '../ui/progress';
import type { Platform } from '../platform';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import type {
  BundleExportRequest,
  BundleSendContents,
  CaseRecord,
  CaseSummary,
  ContactView,
  HearingRecord,
} from '../vault';
import { personName, SendSummary } from './BundleContents';
import { VerificationBadge } from './ContactsPanel';
import { writeBundleExport } from './write-bundle';
import './bundles.css';

type CaseChoice = BundleExportRequest['cases'][number];

/** The largest file FAT32 holds (4 GiB − 1 byte): many USB sticks are formatted so. */
const FAT32_MAX_FILE_BYTES = 4 * 1024 ** 3 - 1;

function defaultChoice(caseId: string): CaseChoice {
  return { caseId, documentIds: 'all', annotations: true, hearings: true, timeline: true };
}

/**
 * Sends cases to contacts as one signed, encrypted bundle: choose the cases
 * (whole, or some documents and parts), the recipients, whether to keep a
 * copy readable by yourself and whether to include the custody log. Written
 * as a stream with a progress bar; a cancel leaves no file behind.
 */
export function SendBundle({
  platform,
  cases,
  contacts,
}: {
  platform: Platform;
  cases: readonly CaseSummary[];
  contacts: readonly ContactView[];
}) {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const [chosen, setChosen] = useState<CaseChoice[]>([]);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [includeSelf, setIncludeSelf] = useState(false);
  const [includeCustodyLog, setIncludeCustodyLog] = useState(true);
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const sending = useRef<AbortController | null>(null);
  const estimate = useBundleEstimate(chosen, recipients, includeSelf, includeCustodyLog);
  const refresh = useRefresh();
  // The cases' people and documents are read afresh each time this form opens: they may have changed since.
  useEffect(() => {
    void refresh(['case']);
  }, [refresh]);

  const choiceOf = (caseId: string) => chosen.find((entry) => entry.caseId === caseId);
  const setChoice = (caseId: string, patch: Partial<CaseChoice>) =>
    setChosen(chosen.map((entry) => (entry.caseId === caseId ? { ...entry, ...patch } : entry)));

  async function send(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    if (chosen.length === 0 || (recipients.length === 0 && !includeSelf)) {
      setMessage({ ok: false, text: t('send.chooseSomething') });
      return;
    }
    let exportId: string | null = null;
    let saved = false;
    const date = new Date().toISOString().slice(0, 10);
    const sink = await platform.beginSave(`evidence-${date}.evbundle`, 'application/octet-stream');
    if (!sink) return;
    const controller = new AbortController();
    sending.current = controller;
    try {
      const started = await vault.beginBundleExport({ cases: chosen, recipients, includeSelf, includeCustodyLog });
      exportId = started.exportId;
      const meter = startProgress(started.approximateBytes);
      await writeBundleExport(
        vault,
        exportId,
        (piece) => sink.write(piece),
        // Bytes sealed by the vault and written to the file.
        (written) => meter.report(written, Math.max(written, started.approximateBytes)),
        controller.signal,
      );
      const check = await sink.commit();
      saved = true;
      await vault.finishBundleExport(exportId);
      setMessage({ ok: true, text: t('send.done', { items: started.items, size: check.size, sha256: check.sha256 }) });
    } catch (caught) {
      // A saved file stays (the user has it); only an unfinished one is removed.
      if (!saved) await sink.abort();
      if (exportId) await vault.cancelBundleExport(exportId).catch(() => undefined);
      setMessage(
        controller.signal.aborted
          ? { ok: false, text: t('send.cancelled') }
          : { ok: false, text: errorMessage(t, caught) },
      );
    } finally {
      sending.current = null;
      clearProgress();
    }
  }

  return (
    <form
      className="send-bundle"
      autoComplete="off"
      aria-labelledby="send-heading"
      onSubmit={(event) => void send(event)}
    >
      <h2 id="send-heading">{t('send.heading')}</h2>
      <fieldset>
        <legend>{t('send.cases')}</legend>
        {cases.length === 0 && <p>{t('send.noCases')}</p>}
        {cases.map((entry) => {
          const choice = choiceOf(entry.id);
          return (
            <div key={entry.id} className="send-case">
              <label className="inline">
                <input
                  type="checkbox"
                  checked={choice !== undefined}
                  onChange={(event) =>
                    setChosen(
                      event.target.checked
                        ? [...chosen, defaultChoice(entry.id)]
                        : chosen.filter((other) => other.caseId !== entry.id),
                    )
                  }
                />
                {entry.title}
              </label>
              {choice && (
                <CaseParts title={entry.title} choice={choice} onChange={(patch) => setChoice(entry.id, patch)} />
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>{t('send.recipients')}</legend>
        {contacts.length === 0 && <p>{t('send.noContacts')}</p>}
        {contacts.map((contact) => (
          <div key={contact.id}>
            <label className="inline">
              <input
                type="checkbox"
                checked={recipients.includes(contact.id)}
                onChange={(event) =>
                  setRecipients(
                    event.target.checked ? [...recipients, contact.id] : recipients.filter((id) => id !== contact.id),
                  )
                }
              />
              {contact.name}
            </label>{' '}
            <VerificationBadge contact={contact} />
            {!contact.verified && recipients.includes(contact.id) && (
              <p className="hint">{t('send.unverifiedWarning', { name: contact.name })}</p>
            )}
          </div>
        ))}
        <label className="inline">
          <input type="checkbox" checked={includeSelf} onChange={(event) => setIncludeSelf(event.target.checked)} />
          {t('send.includeSelf')}
        </label>
      </fieldset>
      <label className="inline">
        <input
          type="checkbox"
          checked={includeCustodyLog}
          onChange={(event) => setIncludeCustodyLog(event.target.checked)}
        />
        {t('send.includeCustodyLog')}
      </label>
      {estimate && (
        <p>{t('send.estimate', { items: estimate.items, size: formatSize(estimate.bytes, i18n.language) })}</p>
      )}
      {estimate && <SendSummary contents={estimate.contents} />}
      {estimate && estimate.bytes > FAT32_MAX_FILE_BYTES && (
        <p className="hint" role="alert">
          {t('send.tooLargeForFat32')}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={progress !== null}>
          {t('send.create')}
        </button>
      </div>
      {progress && (
        <TaskProgress label={t('send.progress')} progress={progress} onCancel={() => sending.current?.abort()} />
      )}
      <StatusMessage message={message} />
    </form>
  );
}

/**
 * The size the chosen bundle would have, asked of the vault a moment after
 * the choices settle. An estimate is shown only for the choices it was made
 * for: none while a newer one is on its way, none if the vault could not say.
 */
function useBundleEstimate(
  cases: CaseChoice[],
  recipients: string[],
  includeSelf: boolean,
  includeCustodyLog: boolean,
): { items: number; bytes: number; contents: BundleSendContents } | null {
  const request = useMemo<BundleExportRequest>(
    () => ({ cases, recipients, includeSelf, includeCustodyLog }),
    [cases, recipients, includeSelf, includeCustodyLog],
  );
  // The request the choices settled on, a moment after the last change (a timer, not a read: the read is the query).
  const [settled, setSettled] = useState<BundleExportRequest | null>(null);
  useEffect(() => {
    if (request.cases.length === 0) return;
    const timer = setTimeout(() => setSettled(request), 300);
    return () => clearTimeout(timer);
  }, [request]);
  const current = settled === request;
  // A failed estimate shows none.
  const estimate = useVaultQuery(
    queryKeys.bundleEstimate(request),
    (vault) => vault.estimateBundleExport(request),
    current,
  );
  return current && estimate.status === 'success' ? estimate.data : null;
}

/** A sensitive person of a case or sensitive accused of its hearings, as the send form lists them. */
interface SensitiveChoice {
  id: string;
  name: string;
  role: string;
  fields: ('name' | 'notes')[];
  placeholder: boolean;
  /** An accused: the dates of the hearings that name them. */
  dates?: string[];
}

/** The sensitive people of a case, then the sensitive accused of the hearings sent (once each). */
function sensitiveChoices(record: CaseRecord | undefined, hearings: readonly HearingRecord[]): SensitiveChoice[] {
  const people: SensitiveChoice[] = (record?.people ?? [])
    .filter((person) => person.sensitive)
    .map((person) => ({
      id: person.id,
      name: person.name,
      role: person.role,
      fields: person.notes.trim() === '' ? ['name'] : ['name', 'notes'],
      placeholder: person.withheld === true,
    }));
  const accused = new Map<string, SensitiveChoice>();
  for (const hearing of hearings)
    for (const version of [hearing.hearing.value, ...hearing.hearing.history.map((entry) => entry.value)])
      for (const person of version.accused.filter((entry) => entry.sensitive)) {
        const known = accused.get(person.id);
        if (known) {
          if (!known.dates!.includes(version.date)) known.dates!.push(version.date);
          continue;
        }
        const notes = person.affiliations.length > 0 || person.counsel.notes.trim() !== '';
        accused.set(person.id, {
          id: person.id,
          name: person.name,
          role: 'accused',
          fields: notes ? ['name', 'notes'] : ['name'],
          placeholder: person.withheld === true,
          dates: [version.date],
        });
      }
  return [...people, ...accused.values()];
}

/**
 * Which parts of one case go in the bundle; documents can be picked one by one. The case's sensitive people
 * and its hearings' sensitive accused are listed with what of them would travel, each withheld unless the
 * sender chooses to send them.
 */
function CaseParts({
  title,
  choice,
  onChange,
}: {
  title: string;
  choice: CaseChoice;
  onChange: (patch: Partial<CaseChoice>) => void;
}) {
  const { t } = useTranslation();
  const { data: documents } = useVaultQuery(queryKeys.caseDocuments(choice.caseId), (vault) =>
    vault.listDocuments(choice.caseId),
  );
  const { data: record } = useVaultQuery(queryKeys.case(choice.caseId), (vault) => vault.getCase(choice.caseId));
  const { data: hearings } = useVaultQuery(queryKeys.caseHearings(choice.caseId), (vault) =>
    vault.listHearings(choice.caseId),
  );
  const sensitive = sensitiveChoices(record, choice.hearings ? (hearings ?? []) : []);
  const sent = choice.sendSensitive ?? [];
  const selected = (id: string) => choice.documentIds === 'all' || choice.documentIds.includes(id);
  const toggle = (id: string, on: boolean) => {
    const current =
      choice.documentIds === 'all' ? (documents ?? []).map((document) => document.id) : choice.documentIds;
    const next = on ? [...current, id] : current.filter((other) => other !== id);
    onChange({ documentIds: documents && next.length === documents.length ? 'all' : next });
  };
  return (
    <div className="case-parts" role="group" aria-label={t('send.partsOf', { title })}>
      {(['annotations', 'hearings', 'timeline'] as const).map((part) => (
        <label key={part} className="inline">
          <input
            type="checkbox"
            checked={choice[part]}
            onChange={(event) => onChange({ [part]: event.target.checked })}
          />
          {t(`send.part.${part}`)}
        </label>
      ))}
      {documents && documents.length > 0 && (
        <details>
          <summary>
            {t('send.documentsChosen', {
              chosen: documents.filter((document) => selected(document.id)).length,
              total: documents.length,
            })}
          </summary>
          {documents.map((document) => (
            <label key={document.id} className="inline">
              <input
                type="checkbox"
                checked={selected(document.id)}
                onChange={(event) => toggle(document.id, event.target.checked)}
              />
              {document.name}
            </label>
          ))}
        </details>
      )}
      {sensitive.length > 0 && (
        <fieldset className="send-sensitive">
          <legend>{t('send.sensitiveHeading', { title })}</legend>
          {sensitive.map((person) => {
            const fields = person.fields.map((field) => t(`bundleContents.field.${field}`)).join(', ');
            const name = personName(t, person);
            return (
              <div key={person.id}>
                <p>
                  {person.dates
                    ? t('send.sensitiveDefendant', { name, dates: person.dates.join(', '), fields })
                    : t('send.sensitivePerson', { name, role: t(`role.${person.role}`), fields })}
                </p>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={!sent.includes(person.id)}
                    onChange={(event) =>
                      onChange({
                        sendSensitive: event.target.checked
                          ? sent.filter((id) => id !== person.id)
                          : [...sent, person.id],
                      })
                    }
                  />
                  {t('send.withholdPerson', { name, fields })}
                </label>
              </div>
            );
          })}
          <p className="hint">{t('send.withheldHelp')}</p>
        </fieldset>
      )}
    </div>
  );
}
