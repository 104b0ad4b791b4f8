import { browserPlatform } from './browser-platform';
import { electronPlatform } from './electron-platform';
import type { Platform } from './types';

export type { LockReason, PickedFile, Platform, PrintOutcome, SaveSink } from './types';
export { browserPickedFile } from './browser-platform';
export { FileTooLargeError, readTextFile, saveTextFile } from './text-files';

/** The Electron bridge when the preload provided it, else the browser. */
export function choosePlatform(): Platform {
  return window.vaultHost ? electronPlatform(window.vaultHost) : browserPlatform(__APP_VERSION__);
}
