import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { hostOs, type Platform } from '../../platform';
import { takeSecret, type VaultSettings } from '../../vault';
import { errorMessage, NewPassphraseFields, PassphraseField, StatusMessage, usePassphraseEstimate } from '../../ui';
import { BackupTab } from '../../backups';
import { ProvisionsEditor } from './ProvisionsEditor';
import { RecoveryKeyNotice } from '../gate/RecoveryKeyNotice';
import { RekeyProgress, useRekeyStatus } from '../gate/RekeyProgress';
import { queryKeys, useLock, useRefresh, useVault } from '../../session';

/**
 * After a passphrase change or a new recovery key: a recovery key to write
 * down (if one was made), then the re-key's progress until it ends, then
 * what came of it. A cancelled re-key leaves the old passphrase and
 * recovery key in force, and says so (a new recovery key shown meanwhile
 * does not work).
 */
function RekeyFollowUp({
  platform,
  recoveryKey,
  heading,
  finishedText,
  onClose,
}: {
  platform: Platform;
  recoveryKey: string | null;
  /** The action it follows (its section's heading). */
  heading: string;
  finishedText: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const { lockByUser } = useLock();
  const [keyWritten, setKeyWritten] = useState(recoveryKey === null);
  const status = useRekeyStatus(vault, true);
  if (!keyWritten && recoveryKey)
    return (
      <RecoveryKeyNotice
        recoveryKey={recoveryKey}
        platform={platform}
        onDone={() => setKeyWritten(true)}
        note={t('rekey.newRecoveryNote')}
      />
    );
  if (status === null || status.running)
    return status ? <RekeyProgress vault={vault} status={status} /> : <p role="status">{t('rekey.starting')}</p>;
  const text =
    status.outcome === 'failed'
      ? t(status.direction === 'forward' ? 'rekey.failed' : 'rekey.failedBack', {
          reason: errorMessage(t, { code: status.failed }),
        })
      : status.outcome === 'finished'
        ? finishedText
        : t(recoveryKey ? 'rekey.cancelledWithKey' : 'rekey.cancelled');
  const warning =
    status.outcome !== 'finished'
      ? null
      : status.unchecked
        ? t('rekey.unchecked')
        : status.leftOut > 0
          ? t('rekey.leftOut', { count: status.leftOut })
          : null;
  return (
    <section aria-labelledby="rekey-done-heading">
      <h3 id="rekey-done-heading">{heading}</h3>
      <StatusMessage message={{ ok: status.outcome === 'finished', text }} />
      {warning && <StatusMessage message={{ ok: false, text: warning }} />}
      {status.outcome === 'failed' ? (
        <button type="button" onClick={() => void lockByUser()}>
          {t('lock.button')}
        </button>
      ) : (
        <button type="button" onClick={onClose}>
          {t('recovery.continue')}
        </button>
      )}
    </section>
  );
}

/**
 * What locks the vault and whether screenshots are blocked, on this system:
 * said plainly next to the auto-lock setting, so nobody counts on a
 * protection their system does not give (docs/threat-model.md).
 */
function LockCoverage({ id, kind }: { id: string; kind: Platform['kind'] }) {
  const { t } = useTranslation();
  const os = hostOs();
  let text: string;
  if (kind === 'browser') text = t('settings.lockCoverage.browser');
  else if (os === 'linux') text = t('settings.lockCoverage.linux');
  else if (os === 'macos') text = t('settings.lockCoverage.macos');
  else if (os === 'windows') text = t('settings.lockCoverage.windows');
  else text = t('settings.lockCoverage.other');
  return (
    <p id={id} className="hint">
      {text}
    </p>
  );
}

function StorageInfo() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<{ persisted: boolean; usageMiB: number; quotaMiB: number } | null>(null);
  useEffect(() => {
    void (async () => {
      if (!navigator.storage) return;
      const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
      const { usage = 0, quota = 0 } = await navigator.storage.estimate();
      setInfo({ persisted, usageMiB: usage / 2 ** 20, quotaMiB: quota / 2 ** 20 });
    })();
  }, []);
  if (!info) return null;
  return (
    <section aria-labelledby="storage-heading">
      <h3 id="storage-heading">{t('settings.storage')}</h3>
      <p>{info.persisted ? t('settings.persisted') : t('settings.notPersisted')}</p>
      <p>{t('settings.usage', { used: Math.round(info.usageMiB * 10) / 10, quota: Math.round(info.quotaMiB) })}</p>
    </section>
  );
}

function ChangePassphrase({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const vault = useVault();
  const current = useRef<HTMLInputElement>(null);
  const next = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  const { estimate, onInput } = usePassphraseEstimate(vault);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [started, setStarted] = useState<{ recoveryKey: string | null } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.current?.value !== confirmation.current?.value) {
      setMessage({ ok: false, text: t('create.mismatch') });
      return;
    }
    try {
      takeSecret(confirmation.current);
      setStarted(await vault.changePassphrase(takeSecret(current.current), takeSecret(next.current)));
      setMessage(null);
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  if (started)
    return (
      <RekeyFollowUp
        platform={platform}
        recoveryKey={started.recoveryKey}
        heading={t('settings.changePassphrase')}
        finishedText={t(started.recoveryKey ? 'settings.passphraseChangedNewKey' : 'settings.passphraseChanged')}
        onClose={() => setStarted(null)}
      />
    );

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="change-heading">
      <h3 id="change-heading">{t('settings.changePassphrase')}</h3>
      <PassphraseField label={t('settings.currentPassphrase')} inputRef={current} autoComplete="current-password" />
      <NewPassphraseFields
        label={t('unlock.newPassphrase')}
        passphraseRef={next}
        confirmationRef={confirmation}
        estimate={estimate}
        onInput={onInput}
      />
      <button type="submit">{t('settings.changePassphrase')}</button>
      <StatusMessage message={message} />
    </form>
  );
}

function ReplaceRecoveryKey({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const vault = useVault();
  const passphrase = useRef<HTMLInputElement>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setRecoveryKey((await vault.replaceRecoveryKey(takeSecret(passphrase.current))).recoveryKey);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  if (recoveryKey)
    return (
      <RekeyFollowUp
        platform={platform}
        recoveryKey={recoveryKey}
        heading={t('settings.replaceRecovery')}
        finishedText={t('settings.recoveryReplaced')}
        onClose={() => setRecoveryKey(null)}
      />
    );
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="replace-recovery-heading">
      <h3 id="replace-recovery-heading">{t('settings.replaceRecovery')}</h3>
      <p>{t('settings.replaceRecoveryExplain')}</p>
      <PassphraseField
        label={t('settings.confirmWithPassphrase')}
        inputRef={passphrase}
        autoComplete="current-password"
      />
      <button type="submit">{t('settings.replaceRecovery')}</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

const SETTINGS_TABS = ['general', 'security', 'backup', 'provisions', 'storage'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export function SettingsPanel({
  platform,
  settings,
  onChange,
  tab = 'general',
  onTabChange,
}: {
  platform: Platform;
  settings: VaultSettings;
  onChange: (settings: VaultSettings) => void;
  /** The tab shown: part of the workspace's view, so a link can open one (the home screen's "Settings → Backup"). */
  tab?: SettingsTab;
  onTabChange: (tab: SettingsTab) => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const [minutes, setMinutes] = useState(settings.autoLockMinutes);
  const [buddhistEra, setBuddhistEra] = useState(settings.buddhistEra);
  const refresh = useRefresh();
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      onChange(await vault.updateSettings({ ...settings, autoLockMinutes: minutes, buddhistEra }));
      // Dates across the observations read the setting through the session's cache.
      await refresh(queryKeys.settings);
      setError(null);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  return (
    <section aria-labelledby="settings-heading" className="settings">
      <h2 id="settings-heading">{t('settings.heading')}</h2>
      {/* One tab per kind of setting, each with its own one primary action; panels stay mounted so a re-key's
          progress or a half-typed form survives looking at another tab. */}
      <Tabs className="settings-tabs" selectedKey={tab} onSelectionChange={(key) => onTabChange(key as SettingsTab)}>
        <TabList aria-label={t('settings.sections')} className="tab-list">
          {SETTINGS_TABS.map((id) => (
            <Tab key={id} id={id} className="tab">
              {t(`settings.tab.${id}`)}
            </Tab>
          ))}
        </TabList>
        <TabPanel id="general" className="tab-panel" shouldForceMount>
          <form autoComplete="off" onSubmit={(event) => void save(event)}>
            <label>
              {t('settings.autoLock')}
              <input
                type="number"
                min={1}
                max={60}
                value={minutes}
                onChange={(event) => setMinutes(Number(event.target.value))}
                aria-describedby="lock-coverage"
              />
            </label>
            <LockCoverage id="lock-coverage" kind={platform.kind} />
            <label className="inline">
              <input type="checkbox" checked={buddhistEra} onChange={(event) => setBuddhistEra(event.target.checked)} />
              {t('settings.buddhistEra')}
            </label>
            <button type="submit" className="primary">
              {t('settings.save')}
            </button>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
          </form>
        </TabPanel>
        <TabPanel id="security" className="tab-panel" shouldForceMount>
          <ChangePassphrase platform={platform} />
          <ReplaceRecoveryKey platform={platform} />
        </TabPanel>
        <TabPanel id="backup" className="tab-panel" shouldForceMount>
          <BackupTab platform={platform} settings={settings} onSettingsChange={onChange} />
        </TabPanel>
        <TabPanel id="provisions" className="tab-panel" shouldForceMount>
          <ProvisionsEditor settings={settings} onChange={onChange} />
        </TabPanel>
        <TabPanel id="storage" className="tab-panel" shouldForceMount>
          <StorageInfo />
        </TabPanel>
      </Tabs>
    </section>
  );
}
