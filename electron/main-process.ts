/**
 * Wires the main process together. Everything that must happen before
 * `ready` (sandbox, scheme privileges, single-instance lock) runs
 * synchronously at the top of `startMainProcess`.
 */
import path from 'node:path';
import { app, dialog, ipcMain, powerMonitor, protocol, session, type BrowserWindow } from 'electron';
import type { LockReason } from './host-api';
import { APP_PRIVILEGED_SCHEME, registerAppProtocol } from './app-protocol';
import { restrictDataDir, restrictUmask } from './data-dir';
import { HostFiles } from './host-files';
import { registerIpcHandlers } from './ipc-handlers';
import { sendLockRequest, watchPowerEvents } from './lock-events';
import { installApplicationMenu } from './menu';
import { applySessionPolicy } from './session-policy';
import { hardenWebContents } from './web-contents-policy';
import { createMainWindow } from './window';

export function startMainProcess(): void {
  const isPackaged = app.isPackaged;
  const policy = { allowDevTools: !isPackaged };

  restrictUmask(process.platform);
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([APP_PRIVILEGED_SCHEME]);

  // A second copy would share (and race on) the same IndexedDB profile.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const files = new HostFiles();
  let mainWindow: BrowserWindow | null = null;
  const requestLock = (reason: LockReason): void => sendLockRequest(mainWindow, reason);

  app.on('second-instance', () => {
    if (mainWindow === null || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('session-created', (created) => applySessionPolicy(created, policy));
  app.on('window-all-closed', () => app.quit());

  // Close picked files and delete unfinished saves before exiting.
  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    cleanedUp = true;
    void files.dispose().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(() => {
      restrictDataDir(app.getPath('userData'), process.platform);
      const ses = session.defaultSession;
      applySessionPolicy(ses, policy);
      registerAppProtocol(ses, path.join(app.getAppPath(), 'dist'));
      installApplicationMenu({ appName: app.name, platform: process.platform, isPackaged, requestLock });
      registerIpcHandlers({
        ipcMain,
        dialog,
        getWindow: () => mainWindow,
        files,
        appVersion: app.getVersion(),
      });
      watchPowerEvents(powerMonitor, requestLock);

      const win = createMainWindow({
        preloadPath: path.join(app.getAppPath(), 'dist-electron', 'preload.cjs'),
        isPackaged,
      });
      mainWindow = win;
      // Tokens belong to one renderer lifetime: a crash or reload drops them.
      win.webContents.on('render-process-gone', () => void files.dispose());
      win.webContents.on('did-start-loading', () => void files.dispose());
      win.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch(() => {
      console.error('Evidence Vault: startup failed.');
      app.exit(1);
    });
}
