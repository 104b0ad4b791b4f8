/**
 * Minimal Electron fakes for the main-process wiring tests (tests/unit/electron).
 *
 * vi.mock factories are hoisted above the imports, so a test file loads this
 * module inside vi.hoisted:
 *
 *   const fake = await vi.hoisted(async () => {
 *     const { FakeWindow, makeApp, makeSession } = await import('../../support/electron-fakes');
 *     …
 *   });
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

/** An EventEmitter reduced to what the main process uses; `emit` calls the listeners in order. */
export class Emitter {
  listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }
  emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(...args);
  }
}

/** A session: what the session policy and the app protocol set on it. */
export function makeSession() {
  return Object.assign(new Emitter(), {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    setBluetoothPairingHandler: vi.fn(),
    setDisplayMediaRequestHandler: vi.fn(),
    setSpellCheckerEnabled: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn(), onHeadersReceived: vi.fn() },
    protocol: { handle: vi.fn() },
  });
}

/** A BrowserWindow; every one made is in `FakeWindow.created` (a test empties it). */
export class FakeWindow extends Emitter {
  static created: FakeWindow[] = [];
  webContents = Object.assign(new Emitter(), { send: vi.fn() });
  setContentProtection = vi.fn();
  loadURL = vi.fn((_url: string) => Promise.resolve());
  isDestroyed = vi.fn(() => false);
  isMinimized = vi.fn(() => true);
  restore = vi.fn();
  focus = vi.fn();
  show = vi.fn();
  constructor(public options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.created.push(this);
  }
}

export interface AppFakeOptions {
  /** Where the calls whose order matters are named; read at each call, so a test may swap the array. */
  log: () => string[];
  isPackaged: boolean;
  /** What requestSingleInstanceLock answers. */
  hasLock: boolean;
  getPath: (name: string) => string;
  setPath: (name: string, value: string) => void;
  hasSwitch: (name: string) => boolean;
}

/** Electron's app, ready once `resolveReady` is called. */
export function makeApp(options: AppFakeOptions) {
  let resolveReady = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = () => resolve();
  });
  const app = Object.assign(new Emitter(), {
    isPackaged: options.isPackaged,
    name: 'Evidence Vault',
    commandLine: { hasSwitch: vi.fn(options.hasSwitch) },
    enableSandbox: vi.fn(() => options.log().push('enableSandbox')),
    requestSingleInstanceLock: vi.fn(() => {
      options.log().push('requestSingleInstanceLock');
      return options.hasLock;
    }),
    whenReady: vi.fn(() => ready),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: vi.fn(options.getPath),
    setPath: vi.fn(options.setPath),
    getAppPath: vi.fn(() => '/opt/evidence-vault/resources/app.asar'),
    getVersion: vi.fn(() => '0.1.0'),
  });
  return { app, resolveReady };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs `start` (startMainProcess), makes the app ready, and returns the first window it made. */
export async function startAndBeReady(start: () => void, resolveReady: () => void): Promise<FakeWindow> {
  start();
  resolveReady();
  await flush();
  const win = FakeWindow.created[0];
  if (win === undefined) throw new Error('no window');
  return win;
}
