import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, MenuItemConstructorOptions, PowerMonitor } from 'electron';

const electron = vi.hoisted(() => ({
  Menu: {
    buildFromTemplate: vi.fn((template: unknown) => ({ template })),
    setApplicationMenu: vi.fn(),
  },
}));
vi.mock('electron', () => ({ Menu: electron.Menu }));

import { buildMenuTemplate, installApplicationMenu } from '../../../electron/menu';
import { sendLockRequest, watchPowerEvents } from '../../../electron/lock-events';
import { IPC, type LockReason } from '../../../electron/host-api';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function template(overrides: { platform?: NodeJS.Platform; isPackaged?: boolean } = {}) {
  const requestLock = vi.fn<(reason: LockReason) => void>();
  const items = buildMenuTemplate({
    appName: 'Evidence Vault',
    platform: overrides.platform ?? 'linux',
    isPackaged: overrides.isPackaged ?? true,
    requestLock,
  });
  return { items: flatten(items), requestLock };
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'has "Lock vault" on CmdOrCtrl+L sending a menu lock (%s)',
    (platform) => {
      const { items, requestLock } = template({ platform });
      const lock = items.find((item) => item.label === 'Lock vault');
      expect(lock?.accelerator).toBe('CmdOrCtrl+L');
      const click = lock?.click as (() => void) | undefined;
      click?.();
      expect(requestLock).toHaveBeenCalledWith('menu');
    },
  );

  it('offers the standard text-editing roles', () => {
    const roles = template().items.map((item) => item.role);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) expect(roles).toContain(role);
  });

  it('has no reload or DevTools in packaged builds', () => {
    const roles = template({ isPackaged: true }).items.map((item) => item.role);
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('forceReload');
    expect(roles).not.toContain('toggleDevTools');
  });

  it('has reload and DevTools in development', () => {
    const roles = template({ isPackaged: false }).items.map((item) => item.role);
    expect(roles).toContain('reload');
    expect(roles).toContain('toggleDevTools');
  });

  it.each(['linux', 'win32', 'darwin'] as const)('has Quit (%s)', (platform) => {
    expect(template({ platform }).items.map((item) => item.role)).toContain('quit');
  });

  it('installs the built menu', () => {
    installApplicationMenu({ appName: 'Evidence Vault', platform: 'linux', isPackaged: true, requestLock: vi.fn() });
    expect(electron.Menu.buildFromTemplate).toHaveBeenCalledTimes(1);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(
      electron.Menu.buildFromTemplate.mock.results[0]?.value,
    );
  });
});

describe('power events', () => {
  it.each([
    ['suspend', 'suspend'],
    ['lock-screen', 'lock-screen'],
    ['user-did-resign-active', 'user-switch'],
  ])('%s sends a %s lock request', (eventName, reason) => {
    const monitor = new EventEmitter();
    const requestLock = vi.fn();
    watchPowerEvents(monitor as unknown as PowerMonitor, requestLock);
    monitor.emit(eventName);
    expect(requestLock).toHaveBeenCalledTimes(1);
    expect(requestLock).toHaveBeenCalledWith(reason);
  });
});

describe('sendLockRequest', () => {
  it('sends the reason on the lockRequest channel', () => {
    const send = vi.fn();
    const win = { isDestroyed: () => false, webContents: { send } } as unknown as BrowserWindow;
    sendLockRequest(win, 'lock-screen');
    expect(send).toHaveBeenCalledWith(IPC.lockRequest, 'lock-screen');
  });

  it('ignores a missing or destroyed window', () => {
    const send = vi.fn();
    sendLockRequest(null, 'menu');
    sendLockRequest({ isDestroyed: () => true, webContents: { send } } as unknown as BrowserWindow, 'menu');
    expect(send).not.toHaveBeenCalled();
  });
});
