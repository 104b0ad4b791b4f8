/** The one application window. */
import { BrowserWindow } from 'electron';
import { APP_INDEX_URL } from './app-protocol';
import { SMOKE_URL } from './smoke';

export interface MainWindowOptions {
  /** Absolute path of dist-electron/preload.cjs. */
  preloadPath: string;
  /** Packaged builds get no DevTools. */
  isPackaged: boolean;
  /** A smoke launch (smoke.ts): the entry page gets the marker that runs the start-up checks. */
  smoke?: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // The options stay an inline literal so Electronegativity can read them;
  // prettier-ignore keeps each eng-disable comment on the line it refers to.
  // prettier-ignore
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK -- middle-click opens nothing: every window.open and navigation is denied (web-contents-policy.ts)
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: 'Evidence Vault',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK -- our sandboxed contextBridge shim (preload.ts), exposing only VaultHostApi
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !options.isPackaged,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      enableWebSQL: false,
      // pdf.js draws with 2D canvas; WebGL is only GPU attack surface here.
      webgl: false,
      autoplayPolicy: 'document-user-activation-required',
    },
  });
  // Keeps evidence out of screenshots and screen recordings (Windows, macOS).
  win.setContentProtection(true);
  win.once('ready-to-show', () => win.show());
  win.loadURL(options.smoke === true ? SMOKE_URL : APP_INDEX_URL).catch(() => {
    console.error('Evidence Vault: the app page failed to load.');
  });
  return win;
}
