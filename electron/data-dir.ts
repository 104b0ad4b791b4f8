/** File-system hardening of the profile directory. */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The profile folder of an unpackaged (development) start, beside the
 * installed app's `<appData>/<name>`. */
export function developmentDataDir(appData: string, appName: string): string {
  return path.join(appData, `${appName} (development)`);
}

/** Owner-only permissions for everything the main process and the
 * Chromium processes it spawns create (POSIX; Windows ignores umask). */
export function restrictUmask(platform: NodeJS.Platform): void {
  if (platform !== 'win32') process.umask(0o077);
}

/**
 * The profile holds the encrypted vault (IndexedDB) and Chromium state: make
 * it 0700 so other local users cannot list or copy it. On Windows the
 * per-user profile ACL is the only protection (documented gap: no DACL code).
 */
export function restrictDataDir(dir: string, platform: NodeJS.Platform): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform !== 'win32') chmodSync(dir, 0o700);
}
