import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform';
import type { EngineHealth, VaultRunner } from '../vault';
import { EngineStatus } from './EngineStatus';
import { LanguageSwitch } from './LanguageSwitch';
import { RecoveryKeyNotice } from './gate/RecoveryKeyNotice';
import { VaultGate } from './VaultGate';
import './shell/shell.css';
import { INITIAL_VIEW, withoutSearchWords, type WorkspaceView } from './Workspace';

export interface AppProps {
  platform: Platform;
  /** Runs the vault worker: each lock ends it and starts a fresh one (vault/vault-runner.ts). */
  runner: VaultRunner;
}

export function App({ platform, runner }: AppProps) {
  const { t } = useTranslation();
  const { client: vault, generation, creation } = useSyncExternalStore(runner.subscribe, runner.current);
  // Where the user was (ids only) survives the lock that replaces the worker and remounts the gate below.
  const [view, setView] = useState<WorkspaceView>(INITIAL_VIEW);
  // Each lock starts a new worker generation: the words of a search do not wait for the next unlock in memory.
  const [viewGeneration, setViewGeneration] = useState(generation);
  if (viewGeneration !== generation) {
    setViewGeneration(generation);
    setView(withoutSearchWords(view));
  }
  const [version, setVersion] = useState<string | null>(null);
  const [health, setHealth] = useState<EngineHealth | null>(null);

  useEffect(() => {
    void platform.appVersion().then(setVersion);
  }, [platform]);

  useEffect(() => {
    document.title = t('app.name');
  }, [t]);

  const gate =
    creation?.outcome === 'created' ? (
      // A lock came while the vault was being created: its recovery key is shown now, over the locked vault.
      <RecoveryKeyNotice
        platform={platform}
        recoveryKey={creation.recoveryKey}
        note={t('lock.createdDuringLock')}
        onDone={runner.dismissCreation}
      />
    ) : (
      <>
        {creation && (
          <p role="alert" className="error">
            {t(creation.outcome === 'not-created' ? 'lock.notCreated' : 'lock.creationUnknown')}{' '}
            <button type="button" onClick={runner.dismissCreation}>
              {t('lock.dismiss')}
            </button>
          </p>
        )}
        <VaultGate
          key={generation}
          vault={vault}
          platform={platform}
          onLock={runner.lock}
          onCreateVault={runner.createVault}
          view={view}
          onNavigate={setView}
        />
      </>
    );

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {health?.ok === false ? null : health?.ok ? gate : null}
        <EngineStatus vault={vault} onHealth={setHealth} />
      </main>
      <footer className="app-footer">
        <span>{t('app.tagline')}</span>
        <span>{t(`app.host.${platform.kind}`)}</span>
        {version !== null && <span>{t('app.version', { version })}</span>}
      </footer>
    </div>
  );
}
