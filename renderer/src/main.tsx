import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/noto-sans-khmer/400.css';
import '@fontsource/noto-sans-khmer/700.css';
import './styles/app.css';
import { initI18n } from './i18n';
import { choosePlatform } from './platform';
import { connectVault } from './vault';
import { App } from './app/App';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

initI18n();
const platform = choosePlatform();
// The first vault worker starts here, outside React (StrictMode would start two); each lock starts a fresh one.
const firstVault = connectVault();

createRoot(rootElement).render(
  <StrictMode>
    <App platform={platform} firstVault={firstVault} connectVault={connectVault} />
  </StrictMode>,
);
