import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform';
import type { EngineHealth, VaultClient } from '../vault';
import { EngineStatus } from './EngineStatus';
import { LanguageSwitch } from './LanguageSwitch';
import { VaultGate } from './VaultGate';

export interface AppProps {
  platform: Platform;
  vault: VaultClient;
}

export function App({ platform, vault }: AppProps) {
  const { t } = useTranslation();
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
        {health?.ok === false ? null : health?.ok ? <VaultGate vault={vault} platform={platform} /> : null}
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
