/**
 * Wires the main process together. Everything that must happen before
 * `ready` (sandbox, scheme privileges, single-instance lock) runs
 * synchronously at the top of `startMainProcess`.
 */
import path from 'node:path';
import { app, dialog, ipcMain, powerMonitor, protocol, session, type BrowserWindow } from 'electron';
import type { LockReason } from './host-api';
import { APP_PRIVILEGED_SCHEME, registerAppProtocol } from './app-protocol';
import { BackupFolders } from './backup-folder';
import { BackupFolderRefs } from './backup-folder-refs';
import { developmentDataDir, restrictDataDir, restrictUmask } from './data-dir';
import { HostFiles } from './host-files';
import { registerIpcHandlers } from './ipc-handlers';
import { sendLockRequest, watchPowerEvents } from './lock-events';
import { watchLinuxSessionLock } from './linux-session-lock';
import { installApplicationMenu } from './menu';
import { applySessionPolicy } from './session-policy';
import { hardenWebContents } from './web-contents-policy';
import { isSmokeLaunch, startSmokeRun, useSmokeProfile } from './smoke';
import { createMainWindow } from './window';

/** Exits once what was written to stdout has been handed over (pipes are
 * asynchronous on some platforms), or after 2 s whatever happens. */
function exitAfterOutput(code: number): void {
  const fallback = setTimeout(() => app.exit(code), 2000);
  process.stdout.write('', () => {
    clearTimeout(fallback);
    app.exit(code);
  });
}

export function startMainProcess(): void {
  const isPackaged = app.isPackaged;
  const policy = { allowDevTools: !isPackaged };

  restrictUmask(process.platform);
  // The renderer sandbox is what keeps a hostile PDF away from the system;
  // started without it the app would still run, so refuse instead.
  if (app.commandLine.hasSwitch('no-sandbox') || process.env.ELECTRON_DISABLE_SANDBOX !== undefined) {
    console.error('Evidence Vault: refusing to start with the Chromium sandbox turned off (--no-sandbox).');
    app.exit(1);
    return;
  }
  // An unpackaged start (`npm start`) keeps its own profile, so it neither
  // touches an installed copy's vault nor quits on that copy's instance
  // lock (the lock lives in the profile folder).
  if (!isPackaged) app.setPath('userData', developmentDataDir(app.getPath('appData'), app.name));
  // A smoke launch (`--smoke`, the first run on a new platform) gets a fresh,
  // empty profile instead: it never opens or locks a real vault.
  const smokeProfile = isSmokeLaunch(process.argv, process.env) ? useSmokeProfile(app) : null;
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([APP_PRIVILEGED_SCHEME]);

  // A second copy would share (and race on) the same IndexedDB profile.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const files = new HostFiles();
  const backups = new BackupFolders();
  /** Closes picked files, forgets backup folders and removes unfinished saves and backup files. */
  const disposeHostFiles = (): Promise<unknown> => Promise.all([files.dispose(), backups.dispose()]);
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

  // Close picked files and delete unfinished saves and backup files before exiting.
  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    cleanedUp = true;
    void disposeHostFiles().finally(() => app.quit());
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
        backups,
        // The key lives with the vault's profile: a ref opens only in this installation (and this profile).
        backupRefs: new BackupFolderRefs(app.getPath('userData')),
        appVersion: app.getVersion(),
      });
      watchPowerEvents(powerMonitor, requestLock);
      // Linux has no 'lock-screen' event: watch the session's lock on D-Bus
      // (best effort, silent when the tools are missing). The monitors end at
      // quit; if the app dies without quitting, they may run on until a write
      // to their closed pipe fails.
      const sessionLock = watchLinuxSessionLock({
        platform: process.platform,
        sessionId: process.env.XDG_SESSION_ID,
        requestLock,
      });
      app.on('will-quit', () => sessionLock.stop());
      const smoke =
        smokeProfile === null
          ? null
          : startSmokeRun({
              ipcMain,
              getWindow: () => mainWindow,
              print: (line) => void process.stdout.write(`${line}\n`),
              exit: exitAfterOutput,
              profileDir: smokeProfile,
            });

      const win = createMainWindow({
        preloadPath: path.join(app.getAppPath(), 'dist-electron', 'preload.cjs'),
        isPackaged,
        smoke: smoke !== null,
      });
      mainWindow = win;
      smoke?.watchWindow(win);
      // Tokens belong to one renderer lifetime: a crash or reload drops them.
      win.webContents.on('render-process-gone', () => void disposeHostFiles());
      win.webContents.on('did-start-loading', () => void disposeHostFiles());
      win.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch(() => {
      console.error('Evidence Vault: startup failed.');
      app.exit(1);
    });
}
