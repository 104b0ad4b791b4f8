import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

const electron = vi.hoisted(() => {
  const windows: { options: BrowserWindowConstructorOptions; instance: FakeWindow }[] = [];
  class FakeWindow {
    setContentProtection = vi.fn();
    once = vi.fn();
    show = vi.fn();
    loadURL = vi.fn(() => Promise.resolve());
    constructor(options: BrowserWindowConstructorOptions) {
      windows.push({ options, instance: this });
    }
  }
  return { windows, BrowserWindow: FakeWindow };
});

vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow }));

import { createMainWindow } from '../../../electron/window';
import { APP_ORIGIN } from '../../../electron/host-api';

const PRELOAD = '/opt/evidence-vault/resources/app.asar/dist-electron/preload.cjs';

function create(isPackaged: boolean): { prefs: WebPreferences; instance: InstanceType<typeof electron.BrowserWindow> } {
  electron.windows.length = 0;
  createMainWindow({ preloadPath: PRELOAD, isPackaged });
  const created = electron.windows[0];
  if (created === undefined) throw new Error('no window was created');
  return { prefs: created.options.webPreferences ?? {}, instance: created.instance };
}

describe('main window webPreferences (packaged)', () => {
  let prefs: WebPreferences;
  beforeEach(() => {
    prefs = create(true).prefs;
  });

  // One case per option: dropping any of them from window.ts fails one test.
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['devTools', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
  ] as const)('%s is %s', (option, value) => {
    expect(prefs[option]).toBe(value);
  });

  it('uses the bundled preload', () => {
    expect(prefs.preload).toBe(PRELOAD);
  });
});

describe('main window in development', () => {
  it('allows DevTools only when not packaged', () => {
    expect(create(false).prefs.devTools).toBe(true);
  });

  it('keeps every other hardening option', () => {
    const { prefs } = create(false);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
  });
});

describe('main window behaviour', () => {
  it('enables content protection', () => {
    const { instance } = create(true);
    expect(instance.setContentProtection).toHaveBeenCalledWith(true);
  });

  it('loads the app entry from the privileged scheme, never file://', () => {
    const { instance } = create(true);
    expect(instance.loadURL).toHaveBeenCalledTimes(1);
    expect(instance.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/index.html`);
  });

  it('stays hidden until ready-to-show', () => {
    electron.windows.length = 0;
    createMainWindow({ preloadPath: PRELOAD, isPackaged: true });
    const created = electron.windows[0];
    expect(created?.options.show).toBe(false);
    expect(created?.instance.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
  });
});
