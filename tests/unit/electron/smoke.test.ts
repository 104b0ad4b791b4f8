import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';

/**
 * Electron fakes (tests/support/electron-fakes.ts) for the wiring tests
 * (startMainProcess); the smoke module itself takes its dependencies as arguments.
 */
const fake = await vi.hoisted(async () => {
  const { FakeWindow, makeApp, makeSession } = await import('../../support/electron-fakes');

  type Handler = (event: unknown, ...args: unknown[]) => unknown;
  const state = {
    log: [] as string[],
    paths: new Map<string, string>(),
    handlers: new Map<string, Handler>(),
    resolveReady: () => {},
    app: undefined as unknown as ReturnType<typeof makeApp>['app'],
    FakeWindow,
  };

  function reset(base: string): void {
    state.log = [];
    state.paths = new Map([
      ['base', base],
      ['temp', base],
      ['appData', base],
    ]);
    state.handlers = new Map();
    FakeWindow.created = [];
    const made = makeApp({
      log: () => state.log,
      isPackaged: false,
      hasLock: true,
      getPath: (name) => state.paths.get(name) ?? state.paths.get('base') ?? '',
      setPath: (name, value) => {
        state.log.push(`setPath ${name}`);
        state.paths.set(name, value);
      },
      hasSwitch: () => false,
    });
    state.app = made.app;
    state.resolveReady = made.resolveReady;
  }

  return { state, reset, makeSession };
});

vi.mock('electron', () => ({
  get app() {
    return fake.state.app;
  },
  protocol: { registerSchemesAsPrivileged: vi.fn() },
  get session() {
    return { defaultSession: fake.makeSession() };
  },
  get ipcMain() {
    return {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        fake.state.handlers.set(channel, handler),
    };
  },
  powerMonitor: { on: vi.fn() },
  Menu: { buildFromTemplate: vi.fn(() => ({})), setApplicationMenu: vi.fn() },
  dialog: {},
  BrowserWindow: fake.state.FakeWindow,
}));

import { APP_ORIGIN, MAX_SMOKE_MESSAGE_LENGTH, SMOKE_REPORT_CHANNEL, SMOKE_STEPS } from '../../../electron/host-api';
import {
  SMOKE_TIMEOUT_MS,
  SMOKE_URL,
  isSmokeLaunch,
  startSmokeRun,
  useSmokeProfile,
  type SmokeRun,
} from '../../../electron/smoke';
import { createAppProtocolHandler } from '../../../electron/app-protocol';
import { isAppOriginUrl } from '../../../electron/app-origin';
import { isNavigationAllowed } from '../../../electron/web-contents-policy';
import { startMainProcess } from '../../../electron/main-process';
import { startAndBeReady } from '../../support/electron-fakes';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function frameEvent(sender: object, frame: { url: string; parent: object | null } | null): IpcMainInvokeEvent {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

const ok = (step: string, message = 'fine') => ({ step, ok: true, message });

describe('isSmokeLaunch', () => {
  it.each([
    [['electron', '.', '--smoke'], {}, true],
    [['/opt/Evidence Vault/evidence-vault', '--smoke'], {}, true],
    [['electron', '.'], { EVIDENCE_VAULT_SMOKE: '1' }, true],
    [['electron', '.'], {}, false],
    [['electron', '.'], { EVIDENCE_VAULT_SMOKE: '0' }, false],
    [['electron', '.'], { EVIDENCE_VAULT_SMOKE: 'true' }, false],
    [['electron', '.', '--smoke=1'], {}, false],
    [['electron', '.', '--smoky'], {}, false],
    // argv[0] is the executable, never an argument.
    [['--smoke'], {}, false],
  ])('%j with %j → %s', (argv, env, expected) => {
    expect(isSmokeLaunch(argv, env)).toBe(expected);
  });
});

describe('useSmokeProfile', () => {
  let temp: string;
  beforeEach(() => {
    temp = mkdtempSync(path.join(tmpdir(), 'ev-smoke-temp-'));
  });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  it('points userData and sessionData at a new, empty, owner-only folder under temp', () => {
    const setPath = vi.fn();
    const dir = useSmokeProfile({ getPath: () => temp, setPath });
    expect(path.dirname(dir)).toBe(temp);
    expect(path.basename(dir)).toMatch(/^evidence-vault-smoke-/);
    expect(readdirSync(dir)).toEqual([]);
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(setPath.mock.calls).toEqual([
      ['userData', dir],
      ['sessionData', dir],
    ]);
  });

  it('never reuses a folder', () => {
    const first = useSmokeProfile({ getPath: () => temp, setPath: vi.fn() });
    const second = useSmokeProfile({ getPath: () => temp, setPath: vi.fn() });
    expect(first).not.toBe(second);
  });
});

describe('the smoke URL', () => {
  it('is the app entry page with the marker, on the app origin (the sender check accepts it)', () => {
    expect(SMOKE_URL).toBe(`${APP_ORIGIN}/index.html?smoke=1`);
    expect(isAppOriginUrl(SMOKE_URL)).toBe(true);
  });

  it('cannot be reached by a navigation from the page: only the main process loads it', () => {
    expect(isNavigationAllowed(SMOKE_URL, true)).toBe(false);
  });

  it('is served by the app protocol as index.html', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ev-smoke-dist-'));
    try {
      writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
      mkdirSync(path.join(root, 'assets'));
      const response = await createAppProtocolHandler(root)(new Request(SMOKE_URL));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<title>app</title>');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

interface RunHarness {
  run: SmokeRun;
  lines: string[];
  exit: ReturnType<typeof vi.fn>;
  webContents: InstanceType<typeof fake.state.FakeWindow>['webContents'];
  window: InstanceType<typeof fake.state.FakeWindow>;
  report: (...args: unknown[]) => Promise<unknown>;
  handler: Handler;
}

function startRun(): RunHarness {
  const handlers = new Map<string, Handler>();
  const lines: string[] = [];
  const exit = vi.fn();
  const window = new fake.state.FakeWindow({});
  const run = startSmokeRun({
    ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) },
    getWindow: () => window as unknown as BrowserWindow,
    exit,
    print: (line) => lines.push(line),
    profileDir: '/tmp/evidence-vault-smoke-test',
  });
  const handler = handlers.get(SMOKE_REPORT_CHANNEL);
  if (handler === undefined) throw new Error('no smoke handler');
  const trusted = frameEvent(window.webContents, { url: SMOKE_URL, parent: null });
  const report = (...args: unknown[]) => Promise.resolve().then(() => handler(trusted, ...args));
  return { run, lines, exit, webContents: window.webContents, window, report, handler };
}

describe('startSmokeRun', () => {
  let h: RunHarness;
  beforeEach(() => {
    vi.useFakeTimers();
    h = startRun();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('registers only the report channel and names the throwaway profile', () => {
    expect(h.lines).toEqual(['smoke: started in the throwaway profile /tmp/evidence-vault-smoke-test']);
  });

  it('exits 0 once every step passed, with one line per step', async () => {
    await h.report(ok('self-test', 'vault worker answered, libsodium 1.0.22'));
    await h.report(ok('indexeddb'));
    expect(h.exit).not.toHaveBeenCalled();
    await h.report(ok('pdf-render', 'page 1 rendered'));
    expect(h.exit.mock.calls).toEqual([[0]]);
    expect(h.lines.slice(1)).toEqual([
      'smoke: self-test ok: vault worker answered, libsodium 1.0.22',
      'smoke: indexeddb ok: fine',
      'smoke: pdf-render ok: page 1 rendered',
      `smoke: passed (${SMOKE_STEPS.length} steps)`,
    ]);
    // The timer is gone: nothing more happens later.
    vi.advanceTimersByTime(SMOKE_TIMEOUT_MS * 2);
    expect(h.exit).toHaveBeenCalledTimes(1);
  });

  it('exits non-zero at a failed step and names it', async () => {
    await h.report(ok('self-test'));
    await h.report({ step: 'indexeddb', ok: false, message: 'QuotaExceededError: no space' });
    expect(h.exit.mock.calls).toEqual([[1]]);
    expect(h.lines.slice(-2)).toEqual([
      'smoke: indexeddb FAILED: QuotaExceededError: no space',
      'smoke: FAILED at indexeddb',
    ]);
    // Later reports change nothing.
    await h.report(ok('pdf-render'));
    expect(h.exit).toHaveBeenCalledTimes(1);
  });

  it('prints a step without a message as is', async () => {
    await h.report({ step: 'self-test', ok: false, message: '' });
    expect(h.lines.slice(-2)).toEqual(['smoke: self-test FAILED', 'smoke: FAILED at self-test']);
  });

  it.each([
    ['no argument', []],
    ['two arguments', [ok('self-test'), ok('indexeddb')]],
    ['a string', ['self-test ok']],
    ['null', [null]],
    ['an array', [['self-test', true, '']]],
    ['an unknown step', [ok('network')]],
    ['a missing message', [{ step: 'self-test', ok: true }]],
    ['a missing ok', [{ step: 'self-test', message: '' }]],
    ['ok as a string', [{ step: 'self-test', ok: 'true', message: '' }]],
    ['ok as a number', [{ step: 'self-test', ok: 1, message: '' }]],
    ['an extra field', [{ ...ok('self-test'), exitCode: 0 }]],
    ['a message as a number', [{ step: 'self-test', ok: true, message: 42 }]],
    ['an over-long message', [ok('self-test', 'x'.repeat(MAX_SMOKE_MESSAGE_LENGTH + 1))]],
    ['a newline in the message', [ok('self-test', 'fine\nsmoke: passed')]],
    ['a terminal escape in the message', [ok('self-test', '\u001b[2Jcleared')]],
    ['a C1 control in the message', [ok('self-test', '\u009b2J')]],
    ['a direction override in the message', [ok('self-test', 'ok \u202edeliaf')]],
  ])('refuses %s, prints nothing and keeps waiting', async (_label, args) => {
    await expect(h.report(...args)).rejects.toThrow(/Invalid arguments/);
    expect(h.lines).toHaveLength(1);
    expect(h.exit).not.toHaveBeenCalled();
  });

  it('accepts a message of exactly the maximum length', async () => {
    await expect(h.report(ok('self-test', 'x'.repeat(MAX_SMOKE_MESSAGE_LENGTH)))).resolves.toBeUndefined();
  });

  it.each([
    ['a foreign origin', { url: 'https://evil.example/', parent: null }],
    ['another host on the app scheme', { url: 'evidence-vault://evil/index.html?smoke=1', parent: null }],
    ['a subframe of the app', { url: SMOKE_URL, parent: {} }],
    ['a frame that is gone', null],
  ])('refuses a report from %s', async (_label, frame) => {
    const event = frameEvent(h.webContents, frame);
    await expect(Promise.resolve(h.handler(event, ok('self-test')))).rejects.toThrow(/refused/);
    expect(h.lines).toHaveLength(1);
    expect(h.exit).not.toHaveBeenCalled();
  });

  it('refuses a report from another webContents, even on the app origin', async () => {
    const event = frameEvent({ id: 99 }, { url: SMOKE_URL, parent: null });
    await expect(Promise.resolve(h.handler(event, ok('self-test')))).rejects.toThrow(/refused/);
    expect(h.exit).not.toHaveBeenCalled();
  });

  it('refuses reports out of order or twice', async () => {
    await expect(h.report(ok('indexeddb'))).rejects.toThrow(/out of order/);
    await h.report(ok('self-test'));
    await expect(h.report(ok('self-test'))).rejects.toThrow(/out of order/);
    expect(h.lines).toEqual([h.lines[0], 'smoke: self-test ok: fine']);
    expect(h.exit).not.toHaveBeenCalled();
  });

  it('times out naming the step it was waiting for', async () => {
    await h.report(ok('self-test'));
    vi.advanceTimersByTime(SMOKE_TIMEOUT_MS - 1);
    expect(h.exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(h.exit.mock.calls).toEqual([[1]]);
    expect(h.lines.at(-1)).toBe('smoke: FAILED at indexeddb: no report within 90 s');
    // A report arriving afterwards changes nothing.
    await h.report(ok('indexeddb'));
    expect(h.exit).toHaveBeenCalledTimes(1);
  });

  it('times out at the first step when the page never reports', () => {
    vi.advanceTimersByTime(SMOKE_TIMEOUT_MS);
    expect(h.lines.at(-1)).toBe('smoke: FAILED at self-test: no report within 90 s');
    expect(h.exit.mock.calls).toEqual([[1]]);
  });

  describe('window watch', () => {
    beforeEach(() => h.run.watchWindow(h.window as unknown as BrowserWindow));

    it('fails at once when the app page does not load', () => {
      h.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', SMOKE_URL, true);
      expect(h.exit.mock.calls).toEqual([[1]]);
      expect(h.lines.at(-1)).toBe('smoke: FAILED at self-test: the app page did not load (ERR_FILE_NOT_FOUND -6)');
    });

    it('ignores a subframe that does not load', () => {
      h.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'evidence-vault://app/x', false);
      expect(h.exit).not.toHaveBeenCalled();
    });

    it('fails when the renderer process ends, naming the awaited step', async () => {
      await h.report(ok('self-test'));
      await h.report(ok('indexeddb'));
      h.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      expect(h.exit.mock.calls).toEqual([[1]]);
      expect(h.lines.at(-1)).toBe('smoke: FAILED at pdf-render: the renderer process ended (crashed)');
    });

    it('fails when the window is closed before the end', () => {
      h.window.emit('closed');
      expect(h.exit.mock.calls).toEqual([[1]]);
      expect(h.lines.at(-1)).toBe('smoke: FAILED at self-test: the window was closed');
    });

    it('does not fail when the window closes after the run passed', async () => {
      for (const step of SMOKE_STEPS) await h.report(ok(step));
      h.window.emit('closed');
      expect(h.exit.mock.calls).toEqual([[0]]);
    });
  });
});

describe('startMainProcess in a smoke launch', () => {
  let base: string;
  let argv: string[];
  let written: string[];

  beforeEach(() => {
    base = mkdtempSync(path.join(tmpdir(), 'ev-smoke-main-'));
    fake.reset(base);
    argv = process.argv;
    written = [];
    vi.spyOn(process, 'umask').mockImplementation(() => 0o022);
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, callback?: () => void) => {
      written.push(chunk);
      if (typeof callback === 'function') callback();
      return true;
    }) as typeof process.stdout.write);
  });

  afterEach(() => {
    process.argv = argv;
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(base, { recursive: true, force: true });
  });

  const start = () => startAndBeReady(startMainProcess, fake.state.resolveReady);

  it('with --smoke: a fresh profile before the instance lock, the marked page, and exit 0 after three passes', async () => {
    process.argv = ['electron', '.', '--smoke'];
    const win = await start();

    const profile = fake.state.paths.get('userData') ?? '';
    expect(path.dirname(profile)).toBe(base);
    expect(path.basename(profile)).toMatch(/^evidence-vault-smoke-/);
    expect(fake.state.paths.get('sessionData')).toBe(profile);
    // The smoke profile wins over any other profile choice, and comes before the lock.
    expect(fake.state.log.lastIndexOf('setPath userData')).toBeLessThan(
      fake.state.log.indexOf('requestSingleInstanceLock'),
    );
    expect(win.loadURL).toHaveBeenCalledWith(SMOKE_URL);

    const handler = fake.state.handlers.get(SMOKE_REPORT_CHANNEL);
    if (handler === undefined) throw new Error('no smoke handler');
    const event = frameEvent(win.webContents, { url: SMOKE_URL, parent: null });
    for (const step of SMOKE_STEPS) await handler(event, ok(step));
    expect(fake.state.app.exit).toHaveBeenCalledWith(0);
    expect(written.join('')).toContain('smoke: passed');
    expect(written.join('')).toContain(`smoke: started in the throwaway profile ${profile}`);
  });

  it('with EVIDENCE_VAULT_SMOKE=1: a failed step exits 1 and the step is named on stdout', async () => {
    process.argv = ['electron', '.'];
    vi.stubEnv('EVIDENCE_VAULT_SMOKE', '1');
    const win = await start();
    const handler = fake.state.handlers.get(SMOKE_REPORT_CHANNEL);
    if (handler === undefined) throw new Error('no smoke handler');
    const event = frameEvent(win.webContents, { url: SMOKE_URL, parent: null });
    await handler(event, { step: 'self-test', ok: false, message: 'Argon2id known answer' });
    expect(fake.state.app.exit).toHaveBeenCalledWith(1);
    expect(fake.state.app.exit).not.toHaveBeenCalledWith(0);
    expect(written.join('')).toContain('smoke: FAILED at self-test');
  });

  it('without the flag: the normal page, no smoke channel, no smoke profile', async () => {
    process.argv = ['electron', '.'];
    vi.stubEnv('EVIDENCE_VAULT_SMOKE', '');
    const win = await start();
    expect(win.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/index.html`);
    expect(fake.state.handlers.has(SMOKE_REPORT_CHANNEL)).toBe(false);
    expect(fake.state.app.setPath).not.toHaveBeenCalledWith('sessionData', expect.anything());
    expect(readdirSync(base).filter((name) => name.startsWith('evidence-vault-smoke-'))).toEqual([]);
  });
});
