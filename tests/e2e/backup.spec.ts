import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  PASSPHRASE,
  attachFixtures,
  createVault,
  leakedMarkers,
  newCase,
  randomFileDrop,
  openCaseTab,
  selectText,
} from './vault-helpers';

const LETTER = 'mission-letter-koet-saray-2025-07-17.txt';
const PHOTO = 'photo-of-letter-page1.jpg';
const QUOTE = 'four (4) years of imprisonment';
const NEW_PASSPHRASE = 'quartz river 19 willow beacon';

const MARKERS = {
  title: 'Zqbackup-case Koet Saray incitement',
  khmer: 'ក្រមព្រហ្មទណ្ឌ ស្ត្រី',
  note: 'Zqbackup-note first reading of the letter',
  edited: 'Zqbackup-note second reading of the letter',
  court: 'Zqbackup-court Phnom Penh Municipal',
  monitor: 'Zqbackup-monitor Sokha',
  coordinator: 'Zqbackup-coordinator Dara',
};

/** A page in a new browser context: its own, empty profile. Its console errors are collected for the test. */
async function freshPage(browser: Browser, baseURL: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors };
}

/** Names this vault's identity and saves its card into `folder`; returns the card's path. */
async function nameIdentity(page: Page, name: string, folder: string): Promise<string> {
  await page.getByRole('button', { name: 'Exchange' }).click();
  await page.getByRole('tab', { name: 'My identity' }).click();
  const identity = page.getByRole('region', { name: 'My identity' });
  await identity.getByLabel('Name shown to your contacts').fill(name);
  await identity.getByRole('button', { name: 'Save name' }).click();
  await expect(identity.getByText('Name saved.')).toBeVisible();
  const download = page.waitForEvent('download');
  await identity.getByRole('button', { name: 'Save my identity card' }).click();
  // Saved apart: a download goes with its browser context.
  const path = join(folder, (await download).suggestedFilename());
  await (await download).saveAs(path);
  return path;
}

async function openSettingsBackup(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Backup' }).click();
  await expect(page.getByRole('tab', { name: 'Backup' })).toHaveAttribute('aria-selected', 'true');
}

/**
 * "Back up now" in Settings → Backup: every file the run downloads is saved into `folder`. Returns the files'
 * names and their total size.
 */
async function backUpNow(page: Page, folder: string, seq: number): Promise<{ names: string[]; bytes: number }> {
  await openSettingsBackup(page);
  const downloads: Download[] = [];
  const onDownload = (download: Download) => downloads.push(download);
  page.on('download', onDownload);
  await page.getByRole('button', { name: 'Back up now' }).click();
  const done = page.getByText(new RegExp(`^Run ${seq} saved: [\\d.,]+ (B|KiB|MiB) written, (\\d+) files?\\. `));
  await expect(done).toBeVisible({ timeout: 60_000 });
  const files = Number(/, (\d+) files?\./.exec((await done.textContent()) ?? '')?.[1]);
  await expect.poll(() => downloads.length).toBe(files);
  page.off('download', onDownload);
  const names: string[] = [];
  let bytes = 0;
  for (const download of downloads) {
    const name = download.suggestedFilename();
    expect(name).toMatch(/^evb-[0-9a-f]{32}-(\d{6}\.run|[0-9a-f]{32}\.pack)$/);
    await download.saveAs(join(folder, name));
    names.push(name);
    bytes += statSync(join(folder, name)).size;
  }
  const latest = page.locator('.backup-sets li').first();
  await expect(latest).toContainText('Last backup: now');
  await expect(latest).toContainText(`(run ${seq}, in your downloads)`);
  return { names, bytes };
}

/** What the user sees of the vault: case titles, each document's SHA-256 from its details, the annotation notes. */
async function listings(page: Page): Promise<{ cases: string[]; documents: string[]; notes: string[] }> {
  await page.getByRole('button', { name: 'Cases' }).click();
  const cases = (await page.locator('.case-row').allInnerTexts()).map((text) => text.trim());
  await page.locator('.case-row button').first().click();
  const documents: string[] = [];
  const notes: string[] = [];
  for (const name of [LETTER, PHOTO]) {
    await openCaseTab(page, 'Documents');
    await page.getByRole('button', { name: `Open ${name}` }).click();
    const view = page.getByRole('region', { name: `Viewing ${name}` });
    // The annotations load after the reader opens: waited for (the letter has one, the photo none), not read at once.
    await expect(view.locator('.annotation-list .note')).toHaveCount(name === LETTER ? 1 : 0);
    notes.push(...(await view.locator('.annotation-list .note').allInnerTexts()));
    await view.getByRole('tab', { name: 'Details' }).click();
    documents.push(`${name} ${await view.locator('.hash code').innerText()}`);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
  }
  return { cases, documents, notes };
}

/** The first screen's "Restore from a backup", up to the choice of how to open it. */
async function startRestore(page: Page, files: string[]): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Restore from a backup' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose backup files…' }).click();
  await (await chooser).setFiles(files);
  await expect(page.getByLabel('Run to restore')).toBeVisible({ timeout: 30_000 });
}

const filesIn = (folder: string) => readdirSync(folder).map((name) => join(folder, name));

test('a backup downloads only what changed, restores with the recovery key to the same vault, and is refused when altered', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const folder = mkdtempSync(join(tmpdir(), 'ev-backup-'));
  const cards = mkdtempSync(join(tmpdir(), 'ev-backup-cards-'));

  // A vault with a document, an annotation, a hearing and a contact.
  const recoveryKey = await createVault(page);
  const coordinator = await freshPage(browser, baseURL!);
  await createVault(coordinator.page);
  const card = await nameIdentity(coordinator.page, MARKERS.coordinator, cards);
  await coordinator.page.context().close();
  expect(coordinator.errors).toEqual([]);
  await nameIdentity(page, MARKERS.monitor, cards);
  await page.getByRole('tab', { name: 'Contacts' }).click();
  const contacts = page.getByRole('region', { name: 'Contacts' });
  const chooser = page.waitForEvent('filechooser');
  await contacts.getByRole('button', { name: 'Import identity card' }).click();
  await (await chooser).setFiles(card);
  await expect(contacts.getByRole('listitem', { name: MARKERS.coordinator })).toBeVisible();

  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, `${MARKERS.title} ${MARKERS.khmer}`);
  await attachFixtures(page, [LETTER, PHOTO]);
  await page.getByRole('button', { name: `Open ${LETTER}` }).click();
  let view = page.getByRole('region', { name: `Viewing ${LETTER}` });
  const text = view.getByLabel(LETTER, { exact: true });
  const at = (await text.innerText()).indexOf(QUOTE);
  await selectText(text, at, at + QUOTE.length);
  await view
    .getByRole('toolbar', { name: 'Annotate the selection' })
    .getByRole('button', { name: 'Note', exact: true })
    .dispatchEvent('click');
  let editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(MARKERS.note);
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(MARKERS.note)).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  const hearing = page.getByRole('form', { name: 'New hearing' });
  await hearing.getByLabel('Date', { exact: true }).fill('2025-07-17');
  await hearing.getByLabel('Court', { exact: true }).fill(MARKERS.court);
  await hearing.getByRole('button', { name: 'Save hearing' }).click();
  await expect(page.getByText('Version 1, draft')).toBeVisible();

  // The home screen says it was never backed up, and leads to Settings → Backup.
  await page.getByRole('button', { name: 'Cases' }).click();
  await expect(page.getByText('Not backed up yet', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Go to backups' }).click();
  await expect(page.getByRole('tab', { name: 'Backup' })).toHaveAttribute('aria-selected', 'true');

  const first = await backUpNow(page, folder, 1);
  expect(first.names.filter((name) => name.endsWith('.run'))).toHaveLength(1);

  // One annotation changed: the second run carries only that, the log's new entries and the rows they touch.
  await page.getByRole('button', { name: 'Cases' }).click();
  await expect(page.getByText(/^Last backup: now$/)).toBeVisible();
  await page.locator('.case-row button').first().click();
  await openCaseTab(page, 'Documents');
  await page.getByRole('button', { name: `Open ${LETTER}` }).click();
  view = page.getByRole('region', { name: `Viewing ${LETTER}` });
  await view.getByRole('button', { name: /^Edit annotation: / }).click();
  editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(MARKERS.edited);
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(MARKERS.edited)).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  const second = await backUpNow(page, folder, 2);
  console.log(
    `backup run 1: ${first.bytes} bytes in ${first.names.length} files; run 2: ${second.bytes} bytes in ${second.names.length} files`,
  );
  expect(second.bytes).toBeLessThan(32 * 1024);

  // Verify the folder's files, re-hashing every document, from Settings → Backup.
  await page.getByLabel("Also re-check every document's SHA-256").check();
  const verifyChooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Verify a backup…' }).click();
  await (await verifyChooser).setFiles(filesIn(folder));
  await expect(page.getByText('The backup is intact.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^2 runs; the latest, run 2, was made on /)).toBeVisible();
  await expect(page.getByText(/^2 documents re-hashed: each matches the SHA-256/)).toBeVisible();
  await expect(
    page.getByText("It is this vault's backup, and its latest run is the last one this vault made."),
  ).toBeVisible();

  const before = await listings(page);
  expect(before.notes).toEqual([MARKERS.edited]);

  // Nothing typed into the vault is readable in the backup's files.
  const everything = Buffer.concat(filesIn(folder).map((path) => readFileSync(path)));
  expect(leakedMarkers(everything, [...Object.values(MARKERS), LETTER, PHOTO])).toEqual([]);

  // A new computer: the profile is empty. Restore with the recovery key and a new passphrase.
  const restored = await freshPage(browser, baseURL!);
  await startRestore(restored.page, filesIn(folder));
  await expect(restored.page.getByLabel('Run to restore')).toHaveValue('2');
  await restored.page.getByRole('button', { name: 'I forgot my passphrase: use the recovery key' }).click();
  await restored.page.getByLabel('Recovery key').fill(recoveryKey);
  await restored.page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await restored.page.getByLabel('Confirm passphrase').fill(NEW_PASSPHRASE);
  await expect(restored.page.getByText('Strong', { exact: false })).toBeVisible();
  await restored.page.getByRole('button', { name: 'Restore vault' }).click();
  await expect(restored.page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 60_000 });
  expect(await listings(restored.page)).toEqual(before);
  await restored.page.getByRole('button', { name: 'Exchange' }).click();
  await restored.page.getByRole('tab', { name: 'Contacts' }).click();
  await expect(
    restored.page.getByRole('region', { name: 'Contacts' }).getByRole('listitem', { name: MARKERS.coordinator }),
  ).toBeVisible();
  await restored.page.getByRole('button', { name: 'Custody log' }).click();
  await restored.page.getByRole('button', { name: 'Verify log' }).click();
  await expect(restored.page.getByText(/Custody log OK: \d+ entries, chain intact\./)).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    restored.page.locator('.log-row .log-action').filter({ hasText: /^Restored from a backup$/ }),
  ).toHaveCount(1);
  // The new passphrase opens it.
  await restored.page.getByRole('button', { name: 'Lock vault' }).click();
  await restored.page.getByLabel('Passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await restored.page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(restored.page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 30_000 });
  await restored.page.context().close();
  expect(restored.errors).toEqual([]);

  // One byte flipped in a pack: refused at restore with its reason, and no vault is made.
  const tampered = mkdtempSync(join(tmpdir(), 'ev-backup-tampered-'));
  mkdirSync(tampered, { recursive: true });
  for (const path of filesIn(folder)) {
    const bytes = readFileSync(path);
    if (path.endsWith('.pack') && first.names.some((name) => path.endsWith(name))) bytes[bytes.length >> 1]! ^= 0x01;
    writeFileSync(join(tampered, path.slice(folder.length + 1)), bytes);
  }
  const refused = await freshPage(browser, baseURL!);
  await startRestore(refused.page, filesIn(tampered));
  await refused.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await refused.page.getByRole('button', { name: 'Restore vault' }).click();
  await expect(refused.page.getByRole('alert')).toHaveText(
    'A pack file of this backup was altered or damaged: it does not match the hash its run recorded. Nothing was restored: this computer still has no vault.',
    { timeout: 60_000 },
  );
  await refused.page.reload();
  await expect(refused.page.getByRole('button', { name: 'Create vault' })).toBeVisible({ timeout: 30_000 });
  await refused.page.context().close();
  expect(refused.errors).toEqual([]);
});

/** Big enough that restoring it takes a second or more (six 8 MiB batches); made in the page, not committed. */
const RECORDING_MIB = 48;

test('a wrong passphrase at restore is refused calmly and changes nothing; the right one restores with a moving bar', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const folder = mkdtempSync(join(tmpdir(), 'ev-backup-wrong-'));
  await createVault(page);
  await newCase(page, MARKERS.title);
  // Random bytes, dropped as a file: they stay as large sealed, so the restore writes them in several batches.
  await page.getByRole('tab', { name: 'Documents', exact: true }).click();
  const files = await randomFileDrop(page, 'zqrecording.bin', RECORDING_MIB);
  await page.locator('section.documents').dispatchEvent('drop', { dataTransfer: files });
  await expect(page.getByRole('row').filter({ hasText: 'zqrecording.bin' })).toBeVisible({ timeout: 60_000 });
  await backUpNow(page, folder, 1);

  const fresh = await freshPage(browser, baseURL!);
  await startRestore(fresh.page, filesIn(folder));
  await fresh.page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase of this vault');
  await fresh.page.getByRole('button', { name: 'Restore vault' }).click();
  await expect(fresh.page.getByRole('alert')).toContainText('not the right passphrase or recovery key', {
    timeout: 60_000,
  });
  // The right one then restores from the same pick. Every value the bar takes is recorded in the page (polling
  // from here would miss quick steps), until the restored vault replaces the screen.
  await fresh.page.evaluate(() => {
    const seen: { value: number; max: number }[] = [];
    (window as unknown as { __restoreBar: typeof seen }).__restoreBar = seen;
    const sample = () => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Restoring"]');
      if (bar && bar.value !== seen.at(-1)?.value) seen.push({ value: bar.value, max: bar.max });
      if (!bar && seen.length > 0) return; // shown, then gone with the restore screen
      setTimeout(sample, 50);
    };
    sample();
  });
  await fresh.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await fresh.page.getByRole('button', { name: 'Restore vault' }).click();
  await expect(fresh.page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 60_000 });
  const bar = await fresh.page.evaluate(
    () => (window as unknown as { __restoreBar: { value: number; max: number }[] }).__restoreBar,
  );
  // It rose in steps as batches were stored, never back, never past. The page's meter shows at most four updates a
  // second and this restore takes about one: a value between 0 and the whole is what shows the bar moved with the
  // rows stored rather than jumping to the end (the integration test counts every batch's report).
  const values = bar.map((seen) => seen.value);
  const total = bar[0]?.max ?? 0;
  expect(total, `bar ${JSON.stringify(bar)}`).toBeGreaterThan(RECORDING_MIB * 1024 * 1024);
  expect(bar.every((seen) => seen.max === total && seen.value <= total)).toBe(true);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(
    values.filter((value) => value > 0 && value < total).length,
    `bar ${values.join(', ')}`,
  ).toBeGreaterThanOrEqual(1);
  await expect(fresh.page.locator('.case-row')).toHaveText([new RegExp(MARKERS.title)]);
  await fresh.page.context().close();
  expect(fresh.errors).toEqual([]);
});
