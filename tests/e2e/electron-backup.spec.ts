import { axeOn } from '../support/axe';
import { expect, test } from './fixtures';
import { electronVaultAtBackupSettings, folderState, setStickPresent } from './stand-in-host';
import { expectLocked, newCase, unlock } from './vault-helpers';

test('Electron: the Lock button offers "Back up now" when the last backup folder is connected and the vault changed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The first backup: the folder is picked in the (stand-in) dialog.
  await electronVaultAtBackupSettings(page);
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
  const axe = await axeOn(page).include('.modal').analyze();
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

  // The stick back: the offer again. The lock shortcut while it is open locks at once, and the offer is gone after
  // the next unlock; "Lock without backing up" writes nothing.
  await unlock(page);
  await setStickPresent(page, true);
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await expect(offer).toBeVisible();
  await page.keyboard.press('Control+L');
  await expectLocked(page);
  await unlock(page);
  await expect(offer).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await offer.getByRole('button', { name: 'Lock without backing up' }).click();
  await expectLocked(page);
  expect((await folderState(page)).runs).toHaveLength(2);

  // The shortcut is the quick lock: it never waits for an offer.
  await unlock(page);
  await page.keyboard.press('Control+L');
  await expectLocked(page);
});

test('Electron: "Remove older runs" keeps the last runs in the folder, after a confirm that names it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await electronVaultAtBackupSettings(page);
  for (let seq = 1; seq <= 3; seq++) {
    await page.getByRole('button', { name: 'Cases' }).click();
    await newCase(page, `Zqprune case ${seq}`);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Backup' }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByText(new RegExp(`^Run ${seq} saved: `))).toBeVisible({ timeout: 60_000 });
  }
  expect((await folderState(page)).runs).toHaveLength(3);

  await page.getByLabel('Runs to keep').fill('1');
  await page.getByRole('button', { name: 'Remove older runs…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Keep only the last 1 run in “EVIDENCE-USB”?' });
  await expect(confirm).toBeVisible();
  // Cancel changes nothing.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await folderState(page)).runs).toHaveLength(3);

  await page.getByRole('button', { name: 'Remove older runs…' }).click();
  await confirm.getByRole('button', { name: 'Remove older runs' }).click();
  await expect(page.getByText(/^Kept 1 run; removed \d+ run files and \d+ packs\.$/)).toBeVisible({ timeout: 60_000 });
  // The kept run is written again after the last one; the three older run files are gone.
  expect((await folderState(page)).runs).toEqual([expect.stringMatching(/-000004\.run$/)]);

  // The next backup goes on from the pruned set, and a check of the folder passes.
  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, 'Zqprune case after the prune');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Backup' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/^Run 5 saved: /)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Verify a backup…' }).click();
  await expect(page.getByText('The backup is intact.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/^2 runs; the latest, run 5, /)).toBeVisible();
});

test('Electron: a folder whose last run was removed is refused, with a new backup beside it as the way on', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await electronVaultAtBackupSettings(page);
  for (let seq = 1; seq <= 2; seq++) {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByText(new RegExp(`^Run ${seq} saved: `))).toBeVisible({ timeout: 60_000 });
  }
  // The folder loses its last run (a copy taken earlier put back, a file deleted).
  await page.evaluate(() => {
    const { files } = (window as unknown as { __backupFolder: { files: Map<string, Uint8Array> } }).__backupFolder;
    files.delete(
      [...files.keys()]
        .filter((name) => name.endsWith('.run'))
        .sort()
        .at(-1)!,
    );
  });
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('alert')).toContainText('older than the last backup this vault made there');
  await page.getByRole('button', { name: 'Start a new backup in this folder' }).click();
  await expect(page.getByText(/^Run 1 saved: .* Saved to EVIDENCE-USB\.$/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('This run began a new backup')).toBeVisible();
  // The old set's run is still there, beside the new one; the next run goes on with the new set.
  expect((await folderState(page)).runs).toHaveLength(2);
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/^Run 2 saved: /)).toBeVisible({ timeout: 60_000 });
});
