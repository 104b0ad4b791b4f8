import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, expectLocked, newCase, unlock } from './vault-helpers';

/**
 * The renderer as the Electron shell runs it, in Chromium: a stand-in for the preload's `window.vaultHost`
 * keeps one backup folder in page memory (what main would write on a USB stick), with a switch for whether
 * the stick is plugged in. Only the calls a backup makes are served; the rest refuse.
 */
async function withStandInHost(page: Page): Promise<void> {
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

type FolderState = { runs: string[]; picks: number; reopened: number };

async function folderState(page: Page): Promise<FolderState> {
  return page.evaluate(() => {
    const { files, state } = (
      window as unknown as {
        __backupFolder: { files: Map<string, Uint8Array>; state: { picks: number; reopened: number } };
      }
    ).__backupFolder;
    return { runs: [...files.keys()].filter((name) => name.endsWith('.run')).sort(), ...state };
  });
}

async function setStickPresent(page: Page, present: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { __backupFolder: { state: { present: boolean } } }).__backupFolder.state.present = value;
  }, present);
}

test('Electron: the Lock button offers "Back up now" when the last backup folder is connected and the vault changed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await withStandInHost(page);
  await page.goto('/');
  await createVault(page);

  // The first backup: the folder is picked in the (stand-in) dialog.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Backup' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/^Run 1 saved: .* Saved to EVIDENCE-USB\.$/)).toBeVisible({ timeout: 60_000 });
  expect((await folderState(page)).runs).toHaveLength(1);

  // Nothing changed since: Lock locks at once.
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await expectLocked(page);
  await unlock(page);

  // A change, then Lock: the offer, named after the folder; backing up writes run 2, then the vault locks.
  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, 'Zqlock-offer case made after the backup');
  await page.getByRole('button', { name: 'Lock vault' }).click();
  const offer = page.getByRole('dialog', { name: 'Back up before locking?' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('The backup folder “EVIDENCE-USB” is connected.');
  const axe = await new AxeBuilder({ page }).include('.modal').analyze();
  expect(axe.violations).toEqual([]);
  await offer.getByRole('button', { name: 'Back up, then lock' }).click();
  await expectLocked(page);
  const afterOffer = await folderState(page);
  expect(afterOffer.runs).toHaveLength(2);
  expect(afterOffer.picks).toBe(1);

  // A change, but the stick is not plugged in: no offer, the vault locks.
  await unlock(page);
  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, 'Zqlock-offer case made with the stick out');
  await setStickPresent(page, false);
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await expectLocked(page);
  expect((await folderState(page)).runs).toHaveLength(2);

  // The stick back: the offer again; "Lock without backing up" writes nothing.
  await unlock(page);
  await setStickPresent(page, true);
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await offer.getByRole('button', { name: 'Lock without backing up' }).click();
  await expectLocked(page);
  expect((await folderState(page)).runs).toHaveLength(2);

  // The shortcut is the quick lock: it never waits for an offer.
  await unlock(page);
  await page.keyboard.press('Control+L');
  await expectLocked(page);
});
