import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/noto-sans-khmer/400.css';
import '@fontsource/noto-sans-khmer/700.css';
import './styles/tokens.css';
import './styles/app.css';
import './ui/react-aria.css';
import { initI18n } from './i18n';
import { choosePlatform } from './platform';
import { VaultRunner, connectVault, startVaultWorker } from './vault';
import { App } from './app/App';
import { isSmokeRun, startSmoke } from './smoke';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

initI18n();

if (isSmokeRun(window.location.search)) {
  // A smoke launch (`npm start -- --smoke`): the start-up checks instead of the app.
  startSmoke(rootElement, startVaultWorker(), window.vaultHost);
} else {
  // The first vault worker starts here, outside React (StrictMode would start two); each lock starts a fresh one.
  const runner = new VaultRunner(connectVault);
  createRoot(rootElement).render(
    <StrictMode>
      <App platform={choosePlatform()} runner={runner} />
    </StrictMode>,
  );
}
