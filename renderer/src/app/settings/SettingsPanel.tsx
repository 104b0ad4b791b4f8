import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { hostOs, type Platform } from '../../platform';
import { takeSecret, type VaultClient, type VaultSettings } from '../../vault';
import { errorMessage } from '../error-message';
import { ProvisionsEditor } from './ProvisionsEditor';
import { NewPassphraseFields } from '../gate/NewPassphraseFields';
import { RecoveryKeyNotice } from '../gate/RecoveryKeyNotice';
import { usePassphraseEstimate } from '../gate/use-passphrase-estimate';
import { StatusMessage } from '../StatusMessage';

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
      <p>{t('settings.usage', { used: info.usageMiB.toFixed(1), quota: info.quotaMiB.toFixed(0) })}</p>
    </section>
  );
}

function ChangePassphrase({ vault }: { vault: VaultClient }) {
  const { t } = useTranslation();
  const current = useRef<HTMLInputElement>(null);
  const next = useRef<HTMLInputElement>(null);
  const confirmation = useRef<HTMLInputElement>(null);
  const { estimate, onInput } = usePassphraseEstimate(vault);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.current?.value !== confirmation.current?.value) {
      setMessage({ ok: false, text: t('create.mismatch') });
      return;
    }
    try {
      takeSecret(confirmation.current);
      await vault.changePassphrase(takeSecret(current.current), takeSecret(next.current));
      setMessage({ ok: true, text: t('settings.passphraseChanged') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="change-heading">
      <h3 id="change-heading">{t('settings.changePassphrase')}</h3>
      <label>
        {t('settings.currentPassphrase')}
        <input ref={current} type="password" autoComplete="current-password" required />
      </label>
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

function ReplaceRecoveryKey({ vault }: { vault: VaultClient }) {
  const { t } = useTranslation();
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

  if (recoveryKey) return <RecoveryKeyNotice recoveryKey={recoveryKey} onDone={() => setRecoveryKey(null)} />;
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="replace-recovery-heading">
      <h3 id="replace-recovery-heading">{t('settings.replaceRecovery')}</h3>
      <p>{t('settings.replaceRecoveryExplain')}</p>
      <label>
        {t('settings.confirmWithPassphrase')}
        <input ref={passphrase} type="password" autoComplete="current-password" required />
      </label>
      <button type="submit">{t('settings.replaceRecovery')}</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

export function SettingsPanel({
  vault,
  platform,
  settings,
  onChange,
}: {
  vault: VaultClient;
  platform: Platform;
  settings: VaultSettings;
  onChange: (settings: VaultSettings) => void;
}) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(settings.autoLockMinutes);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      onChange(await vault.updateSettings({ ...settings, autoLockMinutes: minutes }));
      setError(null);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }

  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.heading')}</h2>
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
        <button type="submit">{t('settings.save')}</button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <ProvisionsEditor vault={vault} settings={settings} onChange={onChange} />
      <ChangePassphrase vault={vault} />
      <ReplaceRecoveryKey vault={vault} />
      <StorageInfo />
    </section>
  );
}
