import { browserPlatform } from './browser-platform';
import { electronPlatform } from './electron-platform';
import type { Platform } from './types';

export type { LockReason, PickedBackupFolder, PickedFile, Platform, PrintOutcome, SaveSink } from './types';
export { browserPickedFile } from './browser-platform';
export { FileTooLargeError, readTextFile, saveTextFile } from './text-files';
export { MAX_FILE_NAME_BYTES, safeFileName } from './file-names';
export { hostOs, hostOsFromUserAgent, type HostOs } from './host-os';

/** The Electron bridge when the preload provided it, else the browser. */
export function choosePlatform(): Platform {
  return window.vaultHost ? electronPlatform(window.vaultHost) : browserPlatform(__APP_VERSION__);
}
