import { proxy } from 'comlink';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../platform';
import {
  takeSecret,
  vaultErrorCode,
  vaultErrorDetail,
  type BackupSetFound,
  type BackupSource,
  type RestoreProgress,
  type RestoreSecret,
  type VaultClient,
} from '../../vault';
import { errorMessage, SelectField } from '../../ui';
import { TaskProgress, useProgressMeter, type ProgressMeter } from '../../ui/progress';
import { GateHeader } from './GateHeader';
import { SecretFields, SecretModeSwitch, useSecretFields } from './SecretFields';

interface Picked {
  source: BackupSource;
  sets: BackupSetFound[];
}

/**
 * The first screen's other way in: a vault restored from a backup's files. The files are read without a key to
 * offer the set and run (the latest by default); the passphrase of the time, or the recovery key and a new
 * passphrase, open it; the vault checks the whole set before it writes anything, so a wrong secret or a damaged,
 * incomplete or altered backup leaves this computer without a vault, as it was. A restored vault opens unlocked.
 */
export function RestoreFromBackup({
  vault,
  platform,
  onRestored,
  onCancel,
}: {
  vault: VaultClient;
  platform: Platform;
  onRestored: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [setId, setSetId] = useState<string | null>(null);
  const [seq, setSeq] = useState<number | null>(null);
  const [reading, setReading] = useState(false);
  const [busy, setBusy] = useState(false);
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  // Restored with the recovery key from runs without a recovery tag: said before the vault opens.
  const [unproven, setUnproven] = useState(false);
  // Kept as data and put into words at each render: the first screen has a language switch.
  const [error, setError] = useState<{ key: string } | { error: unknown } | null>(null);
  const fields = useSecretFields(vault);
  const { mode, passphrase, recoveryKey, newPassphrase, confirmation, estimate } = fields;

  const chosenSet = picked?.sets.find((set) => set.set === setId) ?? picked?.sets[0] ?? null;

  async function pick() {
    setError(null);
    const files = await platform.pickBackupFiles();
    if (!files) return;
    setReading(true);
    try {
      const sets = await vault.inspectBackup(proxy(files.source));
      if (sets.length === 0) {
        setPicked(null);
        setError({ key: 'errors.backup.not-a-backup' });
        return;
      }
      setPicked({ source: files.source, sets });
      setSetId(sets[0]!.set);
      setSeq(sets[0]!.runs.at(-1) ?? null);
    } catch (caught) {
      setPicked(null);
      setError({ error: caught });
    } finally {
      setReading(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!picked || !chosenSet) return;
    setError(null);
    let secret: RestoreSecret;
    if (mode === 'passphrase') secret = { kind: 'passphrase', passphrase: takeSecret(passphrase.current) };
    else {
      if (newPassphrase.current?.value !== confirmation.current?.value) {
        setError({ key: 'create.mismatch' });
        return;
      }
      if (estimate && !estimate.acceptable) {
        setError({ key: 'errors.weak-passphrase' });
        return;
      }
      takeSecret(confirmation.current);
      secret = {
        kind: 'recovery-key',
        recoveryKey: recoveryKey.current?.value ?? '',
        newPassphrase: takeSecret(newPassphrase.current),
      };
    }
    setBusy(true);
    clearProgress();
    // Shown from the first pack restored ("working" until then).
    let meter: ProgressMeter | null = null;
    try {
      const outcome = await vault.restoreBackup(
        proxy(picked.source),
        secret,
        { set: chosenSet.set, seq: seq ?? undefined, where: platform.kind === 'browser' ? 'downloads' : 'folder' },
        proxy((next: RestoreProgress) => {
          meter ??= startProgress(next.total);
          meter.report(next.restored, next.total);
        }),
      );
      fields.clearRecoveryKey();
      if (outcome.proof === 'none') setUnproven(true);
      else onRestored();
    } catch (caught) {
      setError({ error: caught });
      setBusy(false);
      clearProgress();
      (mode === 'passphrase' ? passphrase : recoveryKey).current?.focus();
    }
  }

  const runs = chosenSet ? [...chosenSet.runs].reverse() : [];
  const latest = chosenSet?.runs.at(-1);
  // A refused backup: the format's reason, and that nothing was written (a wrong secret says so itself).
  const errorText =
    error === null
      ? null
      : 'key' in error
        ? t(error.key)
        : vaultErrorDetail(error.error) === 'cancelled'
          ? t('restore.cancelled')
          : vaultErrorCode(error.error) === 'backup-refused'
            ? `${errorMessage(t, error.error)} ${t('restore.nothingChanged')}`
            : errorMessage(t, error.error);
  if (unproven)
    return (
      <section className="gate gate-card" aria-labelledby="restore-unproven-heading">
        <GateHeader
          icon="restore"
          headingId="restore-unproven-heading"
          heading={t('restore.unprovenTitle')}
          explain={t('restore.unproven')}
        />
        <button type="button" className="primary" onClick={onRestored} autoFocus>
          {t('restore.unprovenContinue')}
        </button>
      </section>
    );
  return (
    <form className="gate gate-card" onSubmit={(event) => void submit(event)} aria-labelledby="restore-heading">
      <GateHeader
        icon="restore"
        headingId="restore-heading"
        heading={t('restore.heading')}
        explain={t('restore.explain')}
      />
      {!picked ? (
        <button type="button" className="primary" disabled={reading} onClick={() => void pick()}>
          {t('restore.pick')}
        </button>
      ) : (
        <>
          {picked.sets.length > 1 && (
            <SelectField
              label={t('restore.set')}
              value={chosenSet?.set}
              disabled={busy}
              onChange={(event) => {
                const next = picked.sets.find((set) => set.set === event.target.value);
                setSetId(event.target.value);
                setSeq(next?.runs.at(-1) ?? null);
              }}
            >
              {picked.sets.map((set) => (
                <option key={set.set} value={set.set}>
                  {t('restore.setOption', { vault: set.vault, count: set.runs.length })}
                </option>
              ))}
            </SelectField>
          )}
          {picked.sets.length === 1 && (
            <p className="restore-found">{t('restore.setOption', { vault: chosenSet!.vault, count: runs.length })}</p>
          )}
          <SelectField
            label={t('restore.run')}
            value={seq ?? undefined}
            disabled={busy}
            onChange={(event) => setSeq(Number(event.target.value))}
          >
            {runs.map((run) => (
              <option key={run} value={run}>
                {run === latest ? t('restore.runLatest', { seq: run }) : t('restore.runOption', { seq: run })}
              </option>
            ))}
          </SelectField>
          <p className="hint">{t(mode === 'passphrase' ? 'restore.passphraseExplain' : 'restore.recoveryExplain')}</p>
          <SecretFields fields={fields} disabled={busy} />
        </>
      )}
      {errorText && (
        <p role="alert" className="error">
          {errorText}
        </p>
      )}
      {reading && <p role="status">{t('restore.reading')}</p>}
      {picked && (
        <button type="submit" className="primary" disabled={busy}>
          {t('restore.submit')}
        </button>
      )}
      {busy &&
        (progress ? (
          <div className="restore-progress">
            <TaskProgress
              label={t('restore.progressLabel')}
              progress={progress}
              onCancel={() => void vault.cancelRestore()}
            />
          </div>
        ) : (
          <p role="status">{t('restore.working')}</p>
        ))}
      {picked && <SecretModeSwitch fields={fields} disabled={busy} onSwitch={() => setError(null)} />}
      <div className="restore-links">
        {picked && (
          <button type="button" className="link" disabled={busy || reading} onClick={() => void pick()}>
            {t('restore.pickOther')}
          </button>
        )}
        <button type="button" className="link" disabled={busy} onClick={onCancel}>
          {t('restore.back')}
        </button>
      </div>
    </form>
  );
}
