import { readFileSync } from 'node:fs';
import { axeOn } from '../support/axe';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSPHRASE, askedGroups, confirmRecoveryKey, lock, shownRecoveryKey } from './vault-helpers';

/** Fills the create form and submits it: the recovery-key screen comes next. */
async function submitCreate(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await expect(page.getByText('Strong', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Create vault' }).click();
}

/** axe on the whole page, colour contrast included, in the light and the dark theme. */
async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await axeOn(page).analyze();
    expect(results.violations, `axe violations (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

test('the show toggle reveals a passphrase and hides it again; a submit hides it too', async ({ page }) => {
  await page.goto('/');
  const passphrase = page.getByLabel('Passphrase', { exact: true });
  const show = page.getByRole('button', { name: 'Show passphrase' }).first();
  await passphrase.fill(PASSPHRASE);
  await expect(passphrase).toHaveAttribute('type', 'password');
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await show.click();
  await expect(passphrase).toHaveAttribute('type', 'text');
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  await expect(passphrase).toHaveValue(PASSPHRASE);
  await show.click();
  await expect(passphrase).toHaveAttribute('type', 'password');

  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await confirmRecoveryKey(page);
  await lock(page);

  // Shown, then a wrong passphrase submitted: the field comes back hidden with the error.
  const unlockField = page.getByLabel('Passphrase', { exact: true });
  await unlockField.fill('not the passphrase at all');
  await page.getByRole('button', { name: 'Show passphrase' }).click();
  await expect(unlockField).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('not the right passphrase', { timeout: 30_000 });
  await expect(unlockField).toHaveAttribute('type', 'password');
  await expect(page.getByRole('button', { name: 'Show passphrase' })).toHaveAttribute('aria-pressed', 'false');

  // The recovery key field has the toggle too.
  await page.getByRole('button', { name: /recovery key/ }).click();
  const keyField = page.getByLabel('Recovery key', { exact: true });
  await expect(keyField).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show passphrase' }).first().click();
  await expect(keyField).toHaveAttribute('type', 'text');
});

test('a passphrase field warns while Caps Lock is on', async ({ page }) => {
  await page.goto('/');
  const passphrase = page.getByLabel('Passphrase', { exact: true });
  await passphrase.focus();
  // Headless Chromium does not turn Caps Lock on for a pressed key: the event carries the modifier state itself.
  await passphrase.dispatchEvent('keydown', { key: 'A', code: 'KeyA', modifierCapsLock: true });
  const warning = page.getByText('Caps Lock is on');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('aria-live', 'polite');
  await expect(passphrase).toHaveAccessibleDescription(/Caps Lock is on/);
  await passphrase.dispatchEvent('keyup', { key: 'a', code: 'KeyA', modifierCapsLock: false });
  await expect(warning).toHaveCount(0);
});

test('Continue waits for two groups of the key typed again; a wrong group says so', async ({ page }) => {
  await submitCreate(page);
  const groups = (await shownRecoveryKey(page)).split('-');
  expect(groups).toHaveLength(14);
  const asked = await askedGroups(page);
  expect(asked).toHaveLength(2);
  const [first, second] = asked;
  const proceed = page.getByRole('button', { name: 'Continue' });
  await expect(proceed).toBeDisabled();

  const wrong = groups[first!.number - 1] === '0000' ? '1111' : '0000';
  await first!.input.fill(wrong);
  await expect(page.getByText(`This is not group ${first!.number} of the key.`)).toBeVisible();
  await expect(first!.input).toHaveAttribute('aria-invalid', 'true');
  await second!.input.fill(groups[second!.number - 1]!);
  await expect(proceed).toBeDisabled();

  // Typed in lower case, as someone copying from paper might: still right.
  await first!.input.fill(groups[first!.number - 1]!.toLowerCase());
  await expect(page.getByText(`This is not group ${first!.number} of the key.`)).toHaveCount(0);
  await expect(proceed).toBeEnabled();
  await proceed.click();
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible();
});

test('"Save as file" downloads the key alone as a .txt named without the user, beside the plaintext notice', async ({
  page,
}) => {
  await submitCreate(page);
  const recoveryKey = await shownRecoveryKey(page);
  const save = page.getByRole('button', { name: 'Save as file' });
  await expect(save).toHaveAccessibleDescription('This file will not be encrypted: anyone who gets it can read it.');
  const download = page.waitForEvent('download');
  await save.click();
  const file = await download;
  // A neutral name: a date, nothing saying it is a recovery key or whose.
  expect(file.suggestedFilename()).toMatch(/^ev-\d{4}-\d{2}-\d{2}\.txt$/);
  expect(readFileSync(await file.path(), 'utf8')).toBe(`${recoveryKey}\n`);
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
});

test('"Print" prints a sheet with the key and nothing else of the app, until printing is over', async ({ page }) => {
  await submitCreate(page);
  const recoveryKey = await shownRecoveryKey(page);
  // A printed copy is plaintext too (a spool file, "Save as PDF"): Print points at the notice.
  await expect(page.getByRole('button', { name: 'Print' })).toHaveAccessibleDescription(
    'This file will not be encrypted: anyone who gets it can read it.',
  );
  // window.print() is replaced by a probe that reads what print media would show at that moment and returns at
  // once, as Electron's print may: printing is over only when `afterprint` fires.
  await page.evaluate(() => {
    window.print = () => {
      const sheet = document.querySelector<HTMLElement>('.recovery-print-sheet');
      const app = document.getElementById('root');
      (window as unknown as { __printed: unknown }).__printed = {
        sheetText: sheet?.innerText ?? null,
        sheetShown: sheet ? getComputedStyle(sheet).display !== 'none' : false,
        appShown: app ? getComputedStyle(app).display !== 'none' : true,
      };
    };
  });
  // Print media hides every button (app.css): the button is found first, then clicked from script.
  const print = await page.getByRole('button', { name: 'Print' }).elementHandle();
  await page.emulateMedia({ media: 'print' });
  await print.evaluate((button: HTMLElement) => button.click());
  await page.emulateMedia({ media: null });
  const printed = await page.evaluate(
    () => (window as unknown as { __printed: { sheetText: string; sheetShown: boolean; appShown: boolean } }).__printed,
  );
  expect(printed.sheetShown).toBe(true);
  expect(printed.appShown).toBe(false);
  expect(printed.sheetText).toContain('Evidence Vault');
  expect(printed.sheetText).toContain('Keep this sheet offline');
  for (const group of recoveryKey.split('-')) expect(printed.sheetText).toContain(group);
  // window.print() has returned but printing is not over: the sheet stays for the printer.
  await expect(page.locator('.recovery-print-sheet')).toHaveCount(1);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  // The sheet exists only for the print: the key is not in the page twice afterwards.
  await expect(page.locator('.recovery-print-sheet')).toHaveCount(0);
});

test('the create, recovery-key and unlock screens have no axe violations, light and dark', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Create vault' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await expect(page.getByText('Strong', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Create vault' }).click();
  const groups = (await shownRecoveryKey(page)).split('-');
  const [first] = await askedGroups(page);
  await first!.input.fill(groups[first!.number - 1] === '0000' ? '1111' : '0000');
  await expect(page.getByText(/This is not group/)).toBeVisible();
  await expectAccessible(page);

  await confirmRecoveryKey(page);
  await lock(page);
  await page.getByLabel('Passphrase', { exact: true }).focus();
  await page.getByLabel('Passphrase', { exact: true }).dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
  await expect(page.getByText('Caps Lock is on')).toBeVisible();
  await expectAccessible(page);
});
