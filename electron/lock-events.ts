/** Lock requests from the main process to the renderer. */
import type { BrowserWindow, PowerMonitor } from 'electron';
import { IPC, type LockReason } from './host-api';

/** Sends a lock request to `win` if it is still alive. */
export function sendLockRequest(win: BrowserWindow | null, reason: LockReason): void {
  if (win === null || win.isDestroyed()) return;
  win.webContents.send(IPC.lockRequest, reason);
}

/** The system events after which an unattended vault must be locked. */
export const POWER_LOCK_EVENTS = {
  suspend: 'suspend',
  'lock-screen': 'lock-screen',
  // macOS fast user switching: another user now has the screen.
  'user-did-resign-active': 'user-switch',
} as const satisfies Record<string, LockReason>;

export function watchPowerEvents(powerMonitor: PowerMonitor, requestLock: (reason: LockReason) => void): void {
  powerMonitor.on('suspend', () => requestLock(POWER_LOCK_EVENTS.suspend));
  powerMonitor.on('lock-screen', () => requestLock(POWER_LOCK_EVENTS['lock-screen']));
  powerMonitor.on('user-did-resign-active', () => requestLock(POWER_LOCK_EVENTS['user-did-resign-active']));
}
