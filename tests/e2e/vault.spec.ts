import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeOn } from '../support/axe';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium';
import { expect, test } from './fixtures';
import {
  PASSPHRASE,
  confirmRecoveryKey,
  createVault,
  expectLocked,
  leakedMarkers,
  lock,
  rawOriginDump,
  unlock,
  caseMenuAction,
} from './vault-helpers';

/** Unique strings typed into every field; none may be found at rest. */
const MARKERS = {
  title: 'Zqtitle Sokhavy incitement trial',
  references: 'ZQREF-494-495',
  summary: 'Zqsummary detained after Facebook post',
  jurisdiction: 'Zqjuris Phnom Penh',
  court: 'Zqcourt Municipal Court',
  tags: 'zqtag-fair-trial',
  personName: 'Zqperson Chea Ratana',
  personNotes: 'Zqnote lives near the pagoda',
  dateLabel: 'Zqdate arrest at home',
  khmer: 'ក្រមព្រហ្មទណ្ឌឡើងវិញ',
};

async function fillCase(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New case' }).click();
  await page.getByLabel('Title').fill(`${MARKERS.title} ${MARKERS.khmer}`);
  await page.getByLabel('External references').fill(`${MARKERS.references}, KHM 2/2025`);
  await page.getByLabel('Status', { exact: true }).selectOption('on-trial');
  await page.getByLabel('Jurisdiction').fill(MARKERS.jurisdiction);
  await page.getByLabel('Court').fill(MARKERS.court);
  await page.getByLabel('Tags').fill(MARKERS.tags);
  await page.getByLabel('Summary').fill(MARKERS.summary);
  await page.getByRole('button', { name: 'Add person' }).click();
  const person = page.getByRole('group', { name: 'Person 1' });
  await person.getByLabel('Name').fill(MARKERS.personName);
  await person.getByLabel('Role').selectOption('accused');
  await person.getByLabel('Sensitive').check();
  await person.getByLabel('Notes').fill(MARKERS.personNotes);
  await page.getByRole('button', { name: 'Add date' }).click();
  const keyDate = page.getByRole('group', { name: 'Date 1' });
  await keyDate.getByLabel('What happened').fill(MARKERS.dateLabel);
  await keyDate.getByLabel('Date (year').fill('2025-03');
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: MARKERS.title })).toBeVisible();
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

test('nothing typed into a case is readable at rest: raw IndexedDB and the profile on disk', async ({ baseURL }) => {
  const profile = await mkdtemp(join(tmpdir(), 'ev-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_EXECUTABLE,
    args: CHROMIUM_ARGS,
    baseURL,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await createVault(page);
    await fillCase(page);
    // Edit once more so old versions of the record exist on disk too.
    await page.getByLabel('Summary').fill(`${MARKERS.summary} (edited)`);
    await page.getByRole('button', { name: 'Save case' }).click();
    await expect(page.getByText('All changes saved.')).toBeVisible();
    await lock(page);

    const dump = await rawOriginDump(page);
    expect(dump.length).toBeGreaterThan(1000);
    expect(leakedMarkers(dump, Object.values(MARKERS))).toEqual([]);
    // The dump really contains the stores (the scan is not blind).
    expect(dump.includes(Buffer.from('records'))).toBe(true);
  } finally {
    await context.close();
  }
  const files = filesUnder(profile).filter((path) => !path.includes('ShaderCache'));
  const leaks = files.flatMap((path) =>
    leakedMarkers(readFileSync(path), Object.values(MARKERS)).map((leak) => `${leak} in ${path}`),
  );
  expect(leaks).toEqual([]);
  expect(files.some((path) => path.includes('IndexedDB'))).toBe(true);
  await rm(profile, { recursive: true, force: true });
});

test('a wrong passphrase changes nothing; the right one, then the recovery key, open the vault', async ({ page }) => {
  const recoveryKey = await createVault(page);
  await fillCase(page);
  await lock(page);

  await page.getByLabel('Passphrase', { exact: true }).fill('definitely not my passphrase');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Argon2id (256 MiB) runs first: seconds on a slow or busy machine.
  await expect(page.getByRole('alert')).toContainText('not the right passphrase', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Lock vault' })).toHaveCount(0);

  await unlock(page);
  await expect(page.getByRole('listitem').filter({ hasText: MARKERS.title })).toBeVisible();
  await lock(page);

  await page.getByRole('button', { name: /recovery key/ }).click();
  await page.getByLabel('Recovery key', { exact: true }).fill(recoveryKey.toLowerCase());
  await page.getByLabel('New passphrase').fill('sunrise tamarind 2031 kettle bridge');
  await page.getByLabel('Confirm passphrase').fill('sunrise tamarind 2031 kettle bridge');
  await page.getByRole('button', { name: 'Unlock and set new passphrase' }).click();
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('listitem').filter({ hasText: MARKERS.title })).toBeVisible();
  await lock(page);

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Argon2id (256 MiB) runs first: seconds on a slow or busy machine.
  await expect(page.getByRole('alert')).toContainText('not the right passphrase', { timeout: 30_000 });
  await unlock(page, 'sunrise tamarind 2031 kettle bridge');
});

test('auto-lock fires after the idle time and the draft typed before it survives', async ({ page }) => {
  await page.clock.install();
  await createVault(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  // Says what does and does not lock the vault here (in a browser: only the idle timer and the user).
  await expect(page.getByLabel('Lock automatically')).toHaveAccessibleDescription(
    /browser preview the vault locks only after the idle time above or when you lock it/,
  );
  await page.getByLabel('Lock automatically').fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Cases' }).click();
  await page.getByRole('button', { name: 'New case' }).click();
  await page.getByLabel('Title').fill('Draft typed before the lock');
  await page.getByLabel('Summary').fill('Hearing adjourned; lawyer absent at the start');

  await page.clock.fastForward('00:30');
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible();
  await page.clock.fastForward('00:35');
  await expectLocked(page);

  await unlock(page);
  await expect(page.getByText('Restored your unsaved draft.')).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue('Draft typed before the lock');
  await expect(page.getByLabel('Summary')).toHaveValue('Hearing adjourned; lawyer absent at the start');
});

test('Ctrl+L locks; a damaged vault header is reported at unlock, not silently reset', async ({ page, watch }) => {
  await createVault(page);
  await page.keyboard.press('Control+l');
  await expectLocked(page);

  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('evidence-vault');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const store = db.transaction('meta', 'readwrite').objectStore('meta');
    const row = await new Promise<{ header: { kdf: { salt: Uint8Array } } }>((resolve) => {
      const request = store.get('header');
      request.onsuccess = () => resolve(request.result as { header: { kdf: { salt: Uint8Array } } });
    });
    row.header.kdf.salt[0] = (row.header.kdf.salt[0] ?? 0) ^ 1;
    await new Promise((resolve) => {
      store.put(row).onsuccess = resolve;
    });
    db.close();
  });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('header on disk is damaged');
  expect(watch.consoleErrors).toEqual([]);
});

test('the custody log verifies and each case shows its own history', async ({ page }) => {
  await createVault(page);
  await fillCase(page);
  await page.getByLabel('Summary').fill('Second version of the summary');
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  await caseMenuAction(page, 'Archive');
  await page.getByRole('button', { name: 'More actions for this case' }).click();
  await expect(page.getByRole('menuitem', { name: 'Restore from archive' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'Case history' }).getByRole('listitem');
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText('Created');
  await expect(history.nth(1)).toContainText('Edited');
  await expect(history.nth(2)).toContainText('Archived');

  await page.getByRole('button', { name: 'Custody log' }).click();
  await page.getByRole('button', { name: 'Verify log' }).click();
  // vault created, its identity created, case created, edited, archived
  await expect(page.getByText('Custody log OK: 5 entries, chain intact.')).toBeVisible();
});

test('the custody log page lists every entry newest first, filters them, opens their case, and passes axe', async ({
  page,
}) => {
  await createVault(page);
  // A new vault's home screen says what it has not got yet, rather than empty charts.
  await expect(page.getByText('No hearings dated to a month yet.')).toBeVisible();
  await expect(page.getByText('No documents yet: attach them to a case.')).toBeVisible();
  for (const title of ['Zqlog Koet Saray', 'Zqlog ADHOC staff']) {
    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Save case' }).click();
    await expect(page.getByText('All changes saved.')).toBeVisible();
  }
  await caseMenuAction(page, 'Archive');
  await page.getByRole('button', { name: 'More actions for this case' }).click();
  await expect(page.getByRole('menuitem', { name: 'Restore from archive' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Custody log' }).click();
  // Verified on opening: vault created, its identity created, two cases created, one archived.
  await expect(page.getByText('Custody log OK: 5 entries, chain intact.')).toBeVisible();
  const entries = page.getByRole('list', { name: 'Entries, newest first' }).getByRole('listitem');
  await expect(page.getByText('Showing 5 of 5 entries')).toBeVisible();
  await expect(entries).toHaveCount(5);
  await expect(entries.nth(0)).toContainText('Archived');
  await expect(entries.nth(0)).toContainText('Zqlog ADHOC staff');
  await expect(entries.nth(1)).toContainText('Created');
  await expect(entries.nth(1)).toContainText('Zqlog ADHOC staff');
  await expect(entries.nth(2)).toContainText('Zqlog Koet Saray');
  await expect(entries.nth(4)).toContainText('Vault created');
  await expect(entries.nth(4)).toContainText('This vault');

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = await axeOn(page).include('.custody-log').analyze();
    expect(axe.violations, colorScheme).toEqual([]);
  }

  await page.getByRole('searchbox', { name: 'Filter entries' }).fill('koet');
  await expect(page.getByText('Showing 1 of 5 entries')).toBeVisible();
  await expect(entries).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Filter entries' }).fill('');
  await page.getByRole('button', { name: 'All actions Action' }).click();
  await page.getByRole('option', { name: 'Created', exact: true }).click();
  // Two cases and the vault's identity were created.
  await expect(page.getByText('Showing 3 of 5 entries')).toBeVisible();
  await expect(entries).toHaveCount(3);

  await entries.nth(1).getByRole('button', { name: 'Zqlog Koet Saray' }).click();
  await expect(page.getByLabel('Title')).toHaveValue('Zqlog Koet Saray');
});

test('the first-run recovery-key screen locks when left idle, and the key is gone', async ({ page }) => {
  await page.clock.install();
  await page.goto('/');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await expect(page.getByText('Strong', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = page.getByLabel('Recovery key', { exact: true });
  await expect(key).toBeVisible({ timeout: 30_000 });
  await page.clock.fastForward('05:05');
  await expectLocked(page);
  await expect(key).toHaveCount(0);
});

test('after saving a case, "New case" opens one empty editor, and the list counts what it shows', async ({ page }) => {
  await createVault(page);
  for (const title of ['First case', 'Second case']) {
    await page.getByRole('button', { name: 'New case' }).click();
    await expect(page.locator('form.case-editor')).toHaveCount(1);
    await expect(page.getByLabel('Title')).toHaveValue('');
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Save case' }).click();
    await expect(page.getByText('All changes saved.')).toBeVisible();
  }
  await expect(page.getByText('Showing 2 of 2 cases')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter cases' }).fill('second');
  await expect(page.getByText('Showing 1 of 2 cases')).toBeVisible();
});

test('a passphrase change in Settings seals everything under new keys, with its progress; the recovery key still opens', async ({
  page,
}) => {
  const keptCase = page
    .getByRole('list', { name: 'Cases' })
    .getByRole('listitem')
    .filter({ hasText: 'Zqcase kept across the change' });
  const recoveryKey = await createVault(page);
  await page.getByRole('button', { name: 'New case' }).click();
  await page.getByLabel('Title').fill('Zqcase kept across the change');
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Passphrase and recovery key' }).click();
  await page.getByLabel('Current passphrase').fill(PASSPHRASE);
  await page.getByLabel('New passphrase').fill('copper heron 82 willow quarry');
  await page.getByLabel('Confirm passphrase').fill('copper heron 82 willow quarry');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: /sealed under new keys/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Continue' }).click();

  await lock(page);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Argon2id (256 MiB) runs first: seconds on a slow or busy machine.
  await expect(page.getByRole('alert')).toContainText('not the right passphrase', { timeout: 30_000 });
  await unlock(page, 'copper heron 82 willow quarry');
  await page.getByRole('button', { name: 'Cases' }).click();
  await expect(keptCase).toBeVisible();
  await lock(page);

  // The recovery key written down at creation still opens the vault: the new master key was sealed to it.
  await page.getByRole('button', { name: /recovery key/ }).click();
  await page.getByLabel('Recovery key', { exact: true }).fill(recoveryKey);
  await page.getByLabel('New passphrase').fill('sunrise tamarind 2031 kettle bridge');
  await page.getByLabel('Confirm passphrase').fill('sunrise tamarind 2031 kettle bridge');
  await page.getByRole('button', { name: 'Unlock and set new passphrase' }).click();
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Cases' }).click();
  await expect(keptCase).toBeVisible();
});

test('a new recovery key in Settings: the passphrase still opens the vault, the new key opens it, the old one no longer', async ({
  page,
}) => {
  const oldKey = await createVault(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Passphrase and recovery key' }).click();
  await page.getByLabel('Your passphrase (to confirm it is you)').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create a new recovery key' }).click();
  const newKey = await confirmRecoveryKey(page);
  await expect(page.getByRole('status').filter({ hasText: /new recovery key/i })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Continue' }).click();

  // The passphrase, unchanged, still opens the vault (its slot was once sealed under wiped bytes).
  await lock(page);
  await unlock(page);
  await lock(page);

  await page.getByRole('button', { name: /recovery key/ }).click();
  for (const key of [oldKey, newKey]) {
    await page.getByLabel('Recovery key', { exact: true }).fill(key);
    await page.getByLabel('New passphrase').fill('sunrise tamarind 2031 kettle bridge');
    await page.getByLabel('Confirm passphrase').fill('sunrise tamarind 2031 kettle bridge');
    await page.getByRole('button', { name: 'Unlock and set new passphrase' }).click();
    if (key === oldKey) await expect(page.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  }
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 30_000 });
});
