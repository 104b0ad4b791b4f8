import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustomScheme } from 'electron';

/** Minimal Electron fakes (tests/support/electron-fakes.ts), rebuilt for every test. */
const fake = await vi.hoisted(async () => {
  const { Emitter, FakeWindow, makeApp, makeSession } = await import('../../support/electron-fakes');

  const state = {
    log: [] as string[],
    switches: [] as string[],
    resolveReady: () => {},
    userData: '',
    app: undefined as unknown as ReturnType<typeof makeApp>['app'],
    defaultSession: makeSession(),
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    ipcMain: { handle: vi.fn() },
    powerMonitor: new Emitter(),
    Menu: { buildFromTemplate: vi.fn(() => ({})), setApplicationMenu: vi.fn() },
    makeSession,
    FakeWindow,
  };

  function reset(hasLock = true): void {
    state.log = [];
    state.switches = [];
    FakeWindow.created = [];
    const made = makeApp({
      log: () => state.log,
      isPackaged: true,
      hasLock,
      getPath: (name) => (name === 'appData' ? '/home/monitor/.config' : state.userData),
      setPath: (name, value) => {
        state.log.push(`setPath ${name} ${value}`);
      },
      hasSwitch: (name) => state.switches.includes(name),
    });
    state.app = made.app;
    state.resolveReady = () => {
      state.log.push('ready');
      made.resolveReady();
    };
    state.defaultSession = makeSession();
    state.protocol = {
      registerSchemesAsPrivileged: vi.fn(() => {
        state.log.push('registerSchemesAsPrivileged');
      }),
    };
    state.ipcMain = { handle: vi.fn() };
    state.powerMonitor = new Emitter();
    state.Menu = { buildFromTemplate: vi.fn(() => ({})), setApplicationMenu: vi.fn() };
  }

  return { state, reset };
});

vi.mock('electron', () => ({
  get app() {
    return fake.state.app;
  },
  get protocol() {
    return fake.state.protocol;
  },
  get session() {
    return { defaultSession: fake.state.defaultSession };
  },
  get ipcMain() {
    return fake.state.ipcMain;
  },
  get powerMonitor() {
    return fake.state.powerMonitor;
  },
  get Menu() {
    return fake.state.Menu;
  },
  dialog: {},
  BrowserWindow: fake.state.FakeWindow,
}));

// No real D-Bus monitors in these tests: the watcher has its own (linux-session-lock.test.ts).
const sessionLock = vi.hoisted(() => {
  const stop = vi.fn();
  const watch = vi.fn((_options: { platform: NodeJS.Platform; requestLock: (reason: 'lock-screen') => void }) => ({
    stop,
  }));
  return { stop, watch };
});
vi.mock('../../../electron/linux-session-lock', () => ({ watchLinuxSessionLock: sessionLock.watch }));

import { startMainProcess } from '../../../electron/main-process';
import { APP_SCHEME, IPC } from '../../../electron/host-api';
import { flush, startAndBeReady as startAndBeReadyWith } from '../../support/electron-fakes';

const startAndBeReady = () => startAndBeReadyWith(startMainProcess, fake.state.resolveReady);

let umask: { mockRestore: () => void; calls: () => unknown[][] };

beforeEach(() => {
  fake.reset();
  fake.state.userData = mkdtempSync(path.join(tmpdir(), 'ev-userdata-'));
  chmodSync(fake.state.userData, 0o755);
  // Do not change the test worker's own umask.
  const spy = vi.spyOn(process, 'umask').mockImplementation(() => 0o022);
  umask = { mockRestore: () => spy.mockRestore(), calls: () => spy.mock.calls };
});

afterEach(() => {
  umask.mockRestore();
  rmSync(fake.state.userData, { recursive: true, force: true });
});

describe('before ready', () => {
  it('enables the sandbox for all renderers before ready', () => {
    startMainProcess();
    expect(fake.state.app.enableSandbox).toHaveBeenCalledTimes(1);
    fake.state.resolveReady();
    expect(fake.state.log.indexOf('enableSandbox')).toBeLessThan(fake.state.log.indexOf('ready'));
  });

  it('registers the app scheme as standard, secure, fetch-capable before ready', () => {
    startMainProcess();
    fake.state.resolveReady();
    expect(fake.state.log.indexOf('registerSchemesAsPrivileged')).toBeLessThan(fake.state.log.indexOf('ready'));
    const schemes = fake.state.protocol.registerSchemesAsPrivileged.mock.calls[0] as unknown as [CustomScheme[]];
    expect(schemes[0]).toEqual([
      { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('restricts the umask to owner-only (POSIX)', () => {
    startMainProcess();
    if (process.platform !== 'win32') expect(umask.calls()).toContainEqual([0o077]);
  });

  it('refuses to start with the sandbox turned off, by switch or by environment', () => {
    fake.state.switches = ['no-sandbox'];
    startMainProcess();
    expect(fake.state.app.exit).toHaveBeenCalledWith(1);
    expect(fake.state.app.enableSandbox).not.toHaveBeenCalled();

    fake.reset();
    vi.stubEnv('ELECTRON_DISABLE_SANDBOX', '1');
    try {
      startMainProcess();
      expect(fake.state.app.exit).toHaveBeenCalledWith(1);
      expect(fake.state.FakeWindow.created).toHaveLength(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('gives an unpackaged start its own profile before taking the instance lock', () => {
    fake.state.app.isPackaged = false;
    startMainProcess();
    const setPath = fake.state.log.indexOf('setPath userData /home/monitor/.config/Evidence Vault (development)');
    expect(setPath).toBeGreaterThanOrEqual(0);
    expect(setPath).toBeLessThan(fake.state.log.indexOf('requestSingleInstanceLock'));
  });

  it('keeps the installed profile for a packaged start', () => {
    startMainProcess();
    expect(fake.state.app.setPath).not.toHaveBeenCalled();
  });

  it('quits without creating a window when another instance holds the lock', async () => {
    fake.reset(false);
    startMainProcess();
    fake.state.resolveReady();
    await flush();
    expect(fake.state.app.quit).toHaveBeenCalled();
    expect(fake.state.FakeWindow.created).toHaveLength(0);
  });
});

describe('after ready', () => {
  it('creates one hardened window with the bundled preload', async () => {
    const win = await startAndBeReady();
    expect(fake.state.FakeWindow.created).toHaveLength(1);
    expect(win.options.webPreferences?.preload).toBe(
      path.join('/opt/evidence-vault/resources/app.asar', 'dist-electron', 'preload.cjs'),
    );
    expect(win.options.webPreferences?.sandbox).toBe(true);
    expect(win.options.webPreferences?.devTools).toBe(false);
    expect(win.setContentProtection).toHaveBeenCalledWith(true);
  });

  it('serves the renderer through protocol.handle on the session', async () => {
    await startAndBeReady();
    expect(fake.state.defaultSession.protocol.handle).toHaveBeenCalledWith(APP_SCHEME, expect.any(Function));
  });

  it('applies the session policy to the default session', async () => {
    await startAndBeReady();
    expect(fake.state.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(fake.state.defaultSession.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
    expect(fake.state.defaultSession.webRequest.onBeforeRequest).toHaveBeenCalledTimes(1);
  });

  it('registers a handler for every invoke channel', async () => {
    await startAndBeReady();
    const channels = fake.state.ipcMain.handle.mock.calls.map((call: unknown[]) => call[0]);
    const expected = Object.entries(IPC)
      .filter(([key]) => key !== 'lockRequest')
      .map(([, channel]) => channel);
    expect([...channels].sort()).toEqual(expected.sort());
  });

  it('makes the profile directory owner-only', async () => {
    await startAndBeReady();
    if (process.platform !== 'win32') expect(statSync(fake.state.userData).mode & 0o777).toBe(0o700);
  });

  it('installs the application menu', async () => {
    await startAndBeReady();
    expect(fake.state.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it('forwards power events to the window as lock requests', async () => {
    const win = await startAndBeReady();
    fake.state.powerMonitor.emit('lock-screen');
    fake.state.powerMonitor.emit('suspend');
    fake.state.powerMonitor.emit('user-did-resign-active');
    expect(win.webContents.send.mock.calls).toEqual([
      [IPC.lockRequest, 'lock-screen'],
      [IPC.lockRequest, 'suspend'],
      [IPC.lockRequest, 'user-switch'],
    ]);
  });
});

describe('Linux session lock', () => {
  it('forwards the session lock as a lock request and stops the monitors at quit', async () => {
    sessionLock.watch.mockClear();
    sessionLock.stop.mockClear();
    const win = await startAndBeReady();
    expect(sessionLock.watch).toHaveBeenCalledTimes(1);
    const options = sessionLock.watch.mock.calls[0]?.[0];
    expect(options?.platform).toBe(process.platform);
    options?.requestLock('lock-screen');
    expect(win.webContents.send).toHaveBeenCalledWith(IPC.lockRequest, 'lock-screen');
    expect(sessionLock.stop).not.toHaveBeenCalled();
    fake.state.app.emit('will-quit');
    expect(sessionLock.stop).toHaveBeenCalledTimes(1);
  });
});

describe('app events', () => {
  it('focuses (and restores) the existing window on a second instance', async () => {
    const win = await startAndBeReady();
    fake.state.app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('hardens every new webContents', () => {
    startMainProcess();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    fake.state.app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    const events = contents.on.mock.calls.map((call: unknown[]) => call[0]);
    expect(events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
  });

  it('applies the session policy to every new session', () => {
    startMainProcess();
    const created = fake.state.makeSession();
    fake.state.app.emit('session-created', created);
    expect(created.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(created.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });

  it('quits when the window is closed', () => {
    startMainProcess();
    fake.state.app.emit('window-all-closed');
    expect(fake.state.app.quit).toHaveBeenCalled();
  });

  it('cleans up open files and partial saves before quitting', async () => {
    startMainProcess();
    const event = { preventDefault: vi.fn() };
    fake.state.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await flush();
    expect(fake.state.app.quit).toHaveBeenCalledTimes(1);
    // The second before-quit (from our own quit()) goes through.
    const second = { preventDefault: vi.fn() };
    fake.state.app.emit('before-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});
