import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { VaultHostApi } from '../../../electron/host-api';
import { IPC, SMOKE_REPORT_CHANNEL } from '../../../electron/host-api';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const exposed: { key: string; api: unknown }[] = [];
  const ipcRenderer = {
    invoke: vi.fn((..._args: unknown[]) => Promise.resolve('ok')),
    on: vi.fn((channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
  };
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      exposed.push({ key, api });
    }),
  };
  /** Simulates main → renderer delivery, with the event object first. */
  function emit(channel: string, ...args: unknown[]): void {
    const event = { sender: ipcRenderer, senderId: 0, ports: [] };
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  }
  return { ipcRenderer, contextBridge, exposed, listeners, emit };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

let api: VaultHostApi;

beforeAll(async () => {
  await import('../../../electron/preload');
  api = electron.exposed[0]?.api as VaultHostApi;
});

describe('exposed surface', () => {
  it('exposes exactly one key, vaultHost', () => {
    // Recorded by the fake itself: mock call history may be cleared between tests.
    expect(electron.exposed.map((e) => e.key)).toEqual(['vaultHost']);
  });

  it('exposes exactly the VaultHostApi methods, all functions', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'appVersion',
        'openFiles',
        'readFileChunk',
        'closeFile',
        'beginSave',
        'writeSaveChunk',
        'endSave',
        'printToPdf',
        'pickBackupFolder',
        'listBackupFiles',
        'readBackupChunk',
        'beginBackupFile',
        'appendBackupFile',
        'endBackupFile',
        'removeBackupFile',
        'reopenBackupFolder',
        'onLockRequest',
        'reportSmoke',
      ].sort(),
    );
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('never exposes ipcRenderer', () => {
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|send|invoke/i);
  });
});

describe('invoke wrappers', () => {
  const bytes = new Uint8Array([1]);
  it.each([
    ['appVersion', () => api.appVersion(), [IPC.appVersion]],
    ['openFiles', () => api.openFiles(), [IPC.openFiles]],
    ['readFileChunk', () => api.readFileChunk('t', 5, 10), [IPC.readFileChunk, 't', 5, 10]],
    ['closeFile', () => api.closeFile('t'), [IPC.closeFile, 't']],
    ['beginSave', () => api.beginSave('out.evb'), [IPC.beginSave, 'out.evb']],
    ['writeSaveChunk', () => api.writeSaveChunk('t', bytes), [IPC.writeSaveChunk, 't', bytes]],
    ['endSave', () => api.endSave('t', true), [IPC.endSave, 't', true]],
    ['printToPdf', () => api.printToPdf('report.pdf'), [IPC.printToPdf, 'report.pdf']],
    ['pickBackupFolder', () => api.pickBackupFolder('restore'), [IPC.pickBackupFolder, 'restore']],
    ['listBackupFiles', () => api.listBackupFiles('f'), [IPC.listBackupFiles, 'f']],
    ['readBackupChunk', () => api.readBackupChunk('f', 'n', 5, 10), [IPC.readBackupChunk, 'f', 'n', 5, 10]],
    ['beginBackupFile', () => api.beginBackupFile('f', 'n'), [IPC.beginBackupFile, 'f', 'n']],
    ['appendBackupFile', () => api.appendBackupFile('t', bytes), [IPC.appendBackupFile, 't', bytes]],
    ['endBackupFile', () => api.endBackupFile('t', false), [IPC.endBackupFile, 't', false]],
    ['removeBackupFile', () => api.removeBackupFile('f', 'n'), [IPC.removeBackupFile, 'f', 'n']],
    ['reopenBackupFolder', () => api.reopenBackupFolder('r'), [IPC.reopenBackupFolder, 'r']],
    [
      'reportSmoke',
      () => api.reportSmoke({ step: 'self-test', ok: true, message: 'fine' }),
      [SMOKE_REPORT_CHANNEL, { step: 'self-test', ok: true, message: 'fine' }],
    ],
  ] as const)('%s invokes its channel with the arguments', async (_method, call, expected) => {
    electron.ipcRenderer.invoke.mockClear();
    await call();
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([expected]);
  });
});

describe('writeSaveChunk copies', () => {
  it('sends an exact-size copy of a view on a larger buffer', async () => {
    electron.ipcRenderer.invoke.mockClear();
    const big = new Uint8Array(1024).map((_, i) => i % 256);
    const view = big.subarray(100, 110);
    await api.writeSaveChunk('t', view);
    const sent = electron.ipcRenderer.invoke.mock.calls[0]?.[2] as Uint8Array;
    expect(sent).toBeInstanceOf(Uint8Array);
    expect(sent.buffer.byteLength).toBe(10);
    expect([...sent]).toEqual([...view]);
  });
});

describe('appendBackupFile copies', () => {
  it('sends an exact-size copy of a view on a larger buffer', async () => {
    electron.ipcRenderer.invoke.mockClear();
    const big = new Uint8Array(1024).map((_, i) => i % 256);
    const view = big.subarray(200, 216);
    await api.appendBackupFile('t', view);
    const sent = electron.ipcRenderer.invoke.mock.calls[0]?.[2] as Uint8Array;
    expect(sent.buffer.byteLength).toBe(16);
    expect([...sent]).toEqual([...view]);
  });
});

describe('onLockRequest', () => {
  it('passes only the reason, never the IpcRendererEvent', () => {
    const listener = vi.fn();
    const unsubscribe = api.onLockRequest(listener);
    electron.emit(IPC.lockRequest, 'suspend');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual(['suspend']);
    unsubscribe();
  });

  it('does not subscribe the page listener itself', () => {
    const listener = vi.fn();
    const unsubscribe = api.onLockRequest(listener);
    const registered = electron.ipcRenderer.on.mock.calls.at(-1)?.[1];
    expect(registered).not.toBe(listener);
    unsubscribe();
  });

  it.each(['menu', 'suspend', 'lock-screen', 'user-switch'])('delivers %s', (reason) => {
    const listener = vi.fn();
    const unsubscribe = api.onLockRequest(listener);
    electron.emit(IPC.lockRequest, reason);
    expect(listener).toHaveBeenCalledWith(reason);
    unsubscribe();
  });

  it.each([['reboot'], [42], [{ reason: 'menu' }], [undefined], [null]])('drops an invalid reason %j', (reason) => {
    const listener = vi.fn();
    const unsubscribe = api.onLockRequest(listener);
    electron.emit(IPC.lockRequest, reason);
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('unsubscribe removes the wrapper', () => {
    const listener = vi.fn();
    const unsubscribe = api.onLockRequest(listener);
    unsubscribe();
    electron.emit(IPC.lockRequest, 'menu');
    expect(listener).not.toHaveBeenCalled();
    expect(electron.listeners.get(IPC.lockRequest)?.size ?? 0).toBe(0);
  });

  it('refuses a non-function listener', () => {
    expect(() => api.onLockRequest('x' as unknown as () => void)).toThrow(TypeError);
  });
});
