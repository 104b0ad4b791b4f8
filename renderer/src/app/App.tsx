import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform';
import type { EngineHealth, VaultConnection } from '../vault';
import { EngineStatus } from './EngineStatus';
import { LanguageSwitch } from './LanguageSwitch';
import { VaultGate } from './VaultGate';
import { INITIAL_VIEW, type WorkspaceView } from './Workspace';

export interface AppProps {
  platform: Platform;
  firstVault: VaultConnection;
  connectVault: () => VaultConnection;
}

export function App({ platform, firstVault, connectVault }: AppProps) {
  const { t } = useTranslation();
  const [{ connection, generation }, setCurrent] = useState({ connection: firstVault, generation: 0 });
  const vault = connection.client;
  const [view, setView] = useState<WorkspaceView>(INITIAL_VIEW);
  // After a lock the worker is ended and a new one started: whatever it decrypted, and every copy its crypto
  // library left in freed memory, goes with it (the keys were already wiped). The vault on disk is unchanged.
  const restartVault = useCallback(() => {
    connection.stop();
    setCurrent({ connection: connectVault(), generation: generation + 1 });
  }, [connection, generation, connectVault]);
  const [version, setVersion] = useState<string | null>(null);
  const [health, setHealth] = useState<EngineHealth | null>(null);

  useEffect(() => {
    void platform.appVersion().then(setVersion);
  }, [platform]);

  useEffect(() => {
    document.title = t('app.name');
  }, [t]);

  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {health?.ok === false ? null : health?.ok ? (
          <VaultGate
            key={generation}
            vault={vault}
            platform={platform}
            onLocked={restartVault}
            view={view}
            onNavigate={setView}
          />
        ) : null}
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
