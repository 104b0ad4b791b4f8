import { expect, type Page } from '@playwright/test';
import { PASSPHRASE, attachFixtures, createVault, newCase, openCaseTab } from '../e2e/vault-helpers';

/** Called once per main screen, with a stable name (used as a file name). */
export type ScreenVisitor = (name: string) => Promise<void>;

const sidebar = (page: Page) => page.getByRole('navigation', { name: /.+/ }).first();

/** Back to where the view was opened from (Alt+←; not while focus is in a text field, so leave it first). */
async function back(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Alt+ArrowLeft');
}

/** Goes to a section through the navigation rail, by its position (names differ by language). */
async function goTo(page: Page, index: number): Promise<void> {
  await sidebar(page).getByRole('button').nth(index).click();
}

/**
 * Fills a new vault as a monitor would (a case, three documents, a hearing), then visits every main screen in
 * the current language. Shared by `npm run screenshots` and the accessibility tour in the end-to-end tests.
 */
export async function setUpTourVault(page: Page): Promise<void> {
  await createVault(page);
  await newCase(page, 'Koet Saray incitement case (arts. 494/495)');
  await attachFixtures(page, [
    'mission-letter-koet-saray-2025-07-17.pdf',
    'photo-of-letter-page1.jpg',
    'khmer-hearing-note.txt',
  ]);
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  await page.getByLabel('Date', { exact: true }).fill('2025-07-17');
  await page.getByLabel('Court', { exact: true }).fill('Phnom Penh Municipal Court');
  await page.getByRole('button', { name: 'Save hearing' }).click();
  await expect(page.getByText('Version 1, draft')).toBeVisible();
  await back(page);
  await expect(page.getByRole('tab', { name: 'Hearings' })).toHaveAttribute('aria-selected', 'true');
}

/** Screen order of the navigation rail: cases, documents, monitoring, search, exchange, log, settings. */
export async function visitScreens(page: Page, visit: ScreenVisitor): Promise<void> {
  await goTo(page, 0);
  await visit('cases-overview');

  await page.locator('.case-row button').first().click();
  await expect(page.getByRole('tablist')).toBeVisible();
  await visit('case-details');
  await page.getByRole('tab').nth(1).click();
  await visit('case-documents');
  await page
    .locator('.documents-table tbody tr')
    .filter({ hasText: 'mission-letter-koet-saray' })
    .getByRole('button')
    .first()
    .click();
  await expect(page.locator('.pdf-pages canvas').first()).toBeVisible({ timeout: 20_000 });
  await visit('reader');
  await back(page);
  await page.getByRole('tab').nth(2).click();
  await visit('case-hearings');
  await page.locator('.hearing-list button').first().click();
  await expect(page.locator('form').first()).toBeVisible();
  await visit('hearing');
  await back(page);
  await page.getByRole('tab').nth(3).click();
  await visit('case-timeline');

  await goTo(page, 1);
  await visit('documents');
  await goTo(page, 2);
  await visit('monitoring');
  await goTo(page, 3);
  await visit('search');
  await goTo(page, 4);
  await visit('exchange');
  await goTo(page, 5);
  await visit('custody-log');
  await goTo(page, 6);
  await visit('settings');
  // Settings → Backup (the third tab): the last backup, "Back up now", checking a backup, the reminder.
  await page.locator('.settings-tabs [role="tab"]').nth(2).click();
  await expect(page.locator('.backup-tab')).toBeVisible();
  await visit('settings-backup');
}

/** The first screen of a profile with no vault, then its "Restore from a backup" card (by class: names differ). */
export async function visitRestoreScreen(page: Page, visit: ScreenVisitor): Promise<void> {
  await page.goto('/');
  await expect(page.locator('.gate-secondary')).toBeVisible({ timeout: 30_000 });
  await visit('create');
  await page.locator('.gate-secondary').click();
  await expect(page.locator('#restore-heading')).toBeVisible();
  await visit('restore');
}

/** The unlock screen, then back in (by position and input type: the names differ by language). */
export async function visitLockScreen(page: Page, visit: ScreenVisitor): Promise<void> {
  await page.locator('.sidebar-foot button').click();
  const passphrase = page.locator('input[type="password"]').first();
  await expect(passphrase).toBeVisible({ timeout: 20_000 });
  await visit('unlock');
  await passphrase.fill(PASSPHRASE);
  await passphrase.press('Enter');
  await expect(page.locator('.sidebar-foot button')).toBeVisible({ timeout: 30_000 });
}
