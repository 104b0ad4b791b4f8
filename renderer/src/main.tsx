import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/noto-sans-khmer/400.css';
import '@fontsource/noto-sans-khmer/700.css';
import './styles/app.css';
import { initI18n } from './i18n';
import { choosePlatform } from './platform';
import { startVaultWorker } from './vault';
import { App } from './app/App';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

initI18n();
const platform = choosePlatform();
const vault = startVaultWorker();

createRoot(rootElement).render(
  <StrictMode>
    <App platform={platform} vault={vault} />
  </StrictMode>,
);
