import type { Page } from '@playwright/test';
import { createVault } from './vault-helpers';

/**
 * The renderer as the Electron shell runs it, in Chromium: a stand-in for the preload's `window.vaultHost`
 * keeps one backup folder in page memory (what main would write on a USB stick), with a switch for whether
 * the stick is plugged in. Only the calls a backup makes are served; the rest refuse.
 */
export async function withStandInHost(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const files = new Map<string, Uint8Array>();
    const open = new Map<string, { name: string; parts: Uint8Array[] }>();
    const state = { present: true, picks: 0, reopened: 0 };
    const REF = 'c3RhbmQtaW4tZm9sZGVyLXJlZg';
    let next = 0;
    const folder = () => ({ token: `folder-${++next}`, name: 'EVIDENCE-USB', ref: REF });
    const refuse = () => Promise.reject(new Error('not served by the stand-in host'));
    Object.assign(window, {
      __backupFolder: { files, state },
      vaultHost: {
        appVersion: () => Promise.resolve('0.0.0-e2e'),
        openFiles: () => Promise.resolve([]),
        readFileChunk: refuse,
        closeFile: () => Promise.resolve(),
        beginSave: () => Promise.resolve(null),
        writeSaveChunk: refuse,
        endSave: refuse,
        printToPdf: () => Promise.resolve({ kind: 'cancelled' }),
        pickBackupFolder: () => {
          state.picks += 1;
          return Promise.resolve(folder());
        },
        reopenBackupFolder: (ref: string) => {
          state.reopened += 1;
          return Promise.resolve(ref === REF && state.present ? folder() : null);
        },
        listBackupFiles: () => Promise.resolve([...files].map(([name, bytes]) => ({ name, size: bytes.byteLength }))),
        readBackupChunk: (_folder: string, name: string, offset: number, length: number) =>
          Promise.resolve(files.get(name)!.slice(offset, offset + length)),
        beginBackupFile: (_folder: string, name: string) => {
          const token = `file-${++next}`;
          open.set(token, { name, parts: [] });
          return Promise.resolve(token);
        },
        appendBackupFile: (token: string, bytes: Uint8Array) => {
          open.get(token)!.parts.push(bytes.slice());
          return Promise.resolve();
        },
        endBackupFile: (token: string, commit: boolean) => {
          const file = open.get(token)!;
          open.delete(token);
          if (commit) {
            const whole = new Uint8Array(file.parts.reduce((sum, part) => sum + part.byteLength, 0));
            let at = 0;
            for (const part of file.parts) {
              whole.set(part, at);
              at += part.byteLength;
            }
            files.set(file.name, whole);
          }
          return Promise.resolve();
        },
        removeBackupFile: (_folder: string, name: string) => {
          files.delete(name);
          return Promise.resolve();
        },
        onLockRequest: () => () => undefined,
        reportSmoke: refuse,
      },
    });
  });
}

export type FolderState = { runs: string[]; picks: number; reopened: number };

export async function folderState(page: Page): Promise<FolderState> {
  return page.evaluate(() => {
    const { files, state } = (
      window as unknown as {
        __backupFolder: { files: Map<string, Uint8Array>; state: { picks: number; reopened: number } };
      }
    ).__backupFolder;
    return { runs: [...files.keys()].filter((name) => name.endsWith('.run')).sort(), ...state };
  });
}

export async function setStickPresent(page: Page, present: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { __backupFolder: { state: { present: boolean } } }).__backupFolder.state.present = value;
  }, present);
}

/** A new vault in the renderer as the Electron shell runs it, with the stand-in host; Settings → Backup open. */
export async function electronVaultAtBackupSettings(page: Page): Promise<void> {
  await withStandInHost(page);
  await page.goto('/');
  await createVault(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Backup' }).click();
}
