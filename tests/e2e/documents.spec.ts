import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { axeOn } from '../support/axe';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  attachFixtures,
  createVault,
  documentRowAction,
  fixture,
  leakedMarkers,
  lock,
  newCase,
  rawOriginDump,
  selectText,
} from './vault-helpers';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Opens a document of the shown case in the reader (leaving the reader first if one is open). */
async function open(page: Page, name: string) {
  await leaveReader(page);
  await page.getByRole('button', { name: `Open ${name}` }).click();
  return page.getByRole('region', { name: `Viewing ${name}` });
}

async function leaveReader(page: Page) {
  const back = page.getByRole('button', { name: 'Back', exact: true });
  if (await back.isVisible()) await back.click();
}

test('corpus documents attach, open in their viewers, and save back with the same SHA-256', async ({ page }) => {
  // Seven real files through intake, extraction and every viewer: slow on a loaded 2-core machine.
  test.setTimeout(120_000);
  await createVault(page);
  await newCase(page, 'Koet Saray case file');
  const corpus = [
    'sg-report-ohchr-cambodia-2025-09-12.pdf',
    'mission-letter-koet-saray-2025-07-17.pdf',
    'scanned-letter-no-text-layer.pdf',
    'photo-of-letter-page1.jpg',
    'photo-with-gps.jpg',
    'khmer-hearing-note.pdf',
    'khmer-hearing-note.txt',
  ];
  await attachFixtures(page, corpus);
  await expect(page.getByText('attached').first()).toBeVisible();

  // The 16-page report: page 12 renders when it is scrolled to, with its text layer.
  let view = await open(page, 'sg-report-ohchr-cambodia-2025-09-12.pdf');
  await view.getByRole('tab', { name: 'Details' }).click();
  await expect(view.getByText('16 pages; 0 without a text layer')).toBeVisible();
  await view.getByLabel('Obtained from').fill('Zqsource clerk at the Phnom Penh court');
  await view.getByRole('button', { name: 'Save provenance' }).click();
  await expect(view.getByText('Provenance saved (encrypted).')).toBeVisible();
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  await expect(view.getByRole('region', { name: 'Page 12', exact: true })).toHaveAttribute('data-rendered', 'false');
  await view.getByRole('spinbutton', { name: /^Page/ }).fill('12');
  const page12 = view.getByRole('region', { name: 'Page 12', exact: true });
  await expect(page12).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await expect(page12).toHaveAttribute('data-text-rendered', 'true');
  expect((await page12.locator('.textLayer').innerText()).length).toBeGreaterThan(100);

  view = await open(page, 'scanned-letter-no-text-layer.pdf');
  await view.getByRole('tab', { name: 'Details' }).click();
  await expect(view.getByText('2 pages; 2 without a text layer')).toBeVisible();
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });

  view = await open(page, 'photo-of-letter-page1.jpg');
  const photo = view.getByRole('img', { name: 'photo-of-letter-page1.jpg' });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1000);
  await expect(view.getByText('No GPS location found in this image.')).toBeVisible();

  // A phone photo with EXIF: the GPS position is called out, the other fields listed.
  view = await open(page, 'photo-with-gps.jpg');
  await expect(view.getByRole('note')).toContainText('This image contains a GPS location: latitude 11.5564');
  await view.getByText(/Embedded metadata/).click();
  await expect(view.getByText('Galaxy A14')).toBeVisible();

  // Khmer: as text, with the bundled font, and as a PDF with a selectable text layer.
  view = await open(page, 'khmer-hearing-note.txt');
  const text = view.getByLabel('khmer-hearing-note.txt');
  await expect(text).toContainText('វត្តមាន');
  expect(await text.evaluate((element) => getComputedStyle(element).fontFamily)).toContain('Noto Sans Khmer');

  view = await open(page, 'khmer-hearing-note.pdf');
  const khmerPage = view.getByRole('region', { name: 'Page 1', exact: true });
  await expect(khmerPage).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });
  const selected = await khmerPage.locator('.textLayer').evaluate((layer) => {
    const range = document.createRange();
    range.selectNodeContents(layer);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  });
  expect(selected).toMatch(/[\u1780-\u17FF]/);
  // Find in document finds a Khmer word pdf.js extracts in visual order with subscripts lost, as search does (issue 19).
  const khmerFind = view.getByRole('searchbox', { name: 'Find in document' });
  await khmerFind.fill('ក្រមព្រហ្មទណ្ឌ');
  await expect(view.getByRole('search').getByRole('status')).toHaveText('Match 1 of 1', { timeout: 20_000 });
  // The whole word is marked: with the subscripts pdf.js has no text for (U+0000 in its items), ្ម and ្ឌ included.
  await expect(khmerPage.locator('mark.find-match.current')).toHaveText([
    '\u0000ក',
    'ម',
    '\u0000ព',
    'ហ\u0000',
    'ទ',
    'ណ',
    '\u0000',
  ]);

  // Save a copy, from the reader: the bytes written are the original bytes, and the button says they leave the
  // vault unencrypted.
  // It is with the reader's quieter actions, behind "⋯", to keep the toolbar one row.
  view = await open(page, 'photo-of-letter-page1.jpg');
  await view.getByRole('button', { name: 'More actions for this document' }).click();
  const saveCopy = page.getByRole('menuitem', { name: 'Save a copy', exact: true });
  await expect(saveCopy).toHaveAccessibleDescription(/will not be encrypted/);
  const download = page.waitForEvent('download');
  await saveCopy.click();
  const saved = await (await download).path();
  expect(sha256(saved)).toBe(sha256(fixture('photo-of-letter-page1.jpg')));
  await expect(
    page.getByText(`Copy saved and read back: its SHA-256 ${sha256(fixture('photo-of-letter-page1.jpg'))} matches`),
  ).toBeVisible();

  await leaveReader(page);
  await documentRowAction(page, 'mission-letter-koet-saray-2025-07-17.pdf', 'Verify');
  await expect(
    page.getByText(`SHA-256 ${sha256(fixture('mission-letter-koet-saray-2025-07-17.pdf'))} matches`),
  ).toBeVisible();

  // Nothing of the documents is readable at rest: names, contents, hashes.
  await lock(page);
  const dump = await rawOriginDump(page);
  const markers = [
    ...corpus,
    'Koet Saray case file',
    'Zqsource clerk at the Phnom Penh court',
    'Special Rapporteur',
    'incitement',
    'វត្តមាន',
    'Galaxy A14',
    ...corpus.map((name) => sha256(fixture(name))),
  ];
  expect(leakedMarkers(dump, markers)).toEqual([]);
});

test('a document row has one visible action, Open, and a menu that saves a copy, verifies and deletes', async ({
  page,
}) => {
  await createVault(page);
  await newCase(page, 'Row menu case');
  await attachFixtures(page, ['photo-of-letter-page1.jpg', 'khmer-hearing-note.txt']);
  const row = page.getByRole('row').filter({ hasText: 'photo-of-letter-page1.jpg' });
  await expect(row.getByRole('button')).toHaveCount(2);
  await expect(row.getByRole('button', { name: 'Open photo-of-letter-page1.jpg' })).toBeVisible();
  const more = row.getByRole('button', { name: 'More actions for photo-of-letter-page1.jpg' });

  // By keyboard: Enter opens the menu on its first item, Save a copy, which says the copy is not encrypted.
  await more.focus();
  await page.keyboard.press('Enter');
  const saveItem = page.getByRole('menuitem', { name: 'Save a copy', exact: true });
  await expect(saveItem).toBeFocused();
  await expect(saveItem).toHaveAccessibleDescription(/will not be encrypted/);
  const menuContrast = await axeOn(page).include('.menu-popover').withRules(['color-contrast']).analyze();
  expect(menuContrast.violations).toEqual([]);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect(sha256(await (await download).path())).toBe(sha256(fixture('photo-of-letter-page1.jpg')));
  await expect(page.getByText('Copy saved and read back')).toBeVisible();

  // Verify, the next item: its verdict shows above the list, as before.
  await expect(more).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Verify', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`SHA-256 ${sha256(fixture('photo-of-letter-page1.jpg'))} matches`)).toBeVisible();

  // Delete asks first; Cancel keeps the document, Delete forever removes it.
  await documentRowAction(page, 'khmer-hearing-note.txt', 'Delete');
  const confirm = page.getByRole('alertdialog', { name: 'Delete khmer-hearing-note.txt?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText('Showing 2 of 2', { exact: true })).toBeVisible();
  await documentRowAction(page, 'khmer-hearing-note.txt', 'Delete');
  await confirm.getByRole('button', { name: 'Delete forever' }).click();
  await expect(page.getByText('Showing 1 of 1', { exact: true })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'khmer-hearing-note.txt' })).toHaveCount(0);
});

test('a long PDF: find in document and thumbnails navigate it', async ({ page }) => {
  await createVault(page);
  await newCase(page, 'Report case');
  await attachFixtures(page, ['sg-report-ohchr-cambodia-2025-09-12.pdf']);
  const view = await open(page, 'sg-report-ohchr-cambodia-2025-09-12.pdf');
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });

  // Find in document: every match counted, the current one marked in the text layer.
  const findBox = view.getByRole('searchbox', { name: 'Find in document' });
  await findBox.fill('Cambodia');
  const findStatus = view.getByRole('search').getByRole('status');
  await expect(findStatus).toHaveText(/^Match 1 of \d+$/, { timeout: 20_000 });
  const matchTotal = Number((await findStatus.innerText()).split(' of ')[1]);
  expect(matchTotal).toBeGreaterThan(5);
  await expect(view.locator('mark.find-match.current')).toHaveCount(1);
  await expect(view.locator('mark.find-match.current')).toHaveText(/cambodia/i);
  await findBox.press('Enter');
  await expect(findStatus).toHaveText(`Match 2 of ${matchTotal}`);
  await findBox.fill('zz no such words zz');
  await expect(findStatus).toHaveText('No matches');
  // Accents are folded by default (the report writes "lèse-majesté"), and matched when asked (issue 19).
  await findBox.fill('lese-majeste');
  await expect(findStatus).toHaveText('Match 1 of 4');
  await expect(view.locator('mark.find-match.current').first()).toHaveText(/^lèse/);
  // The options are in a popover beside the box (the toolbar stays one row); a dot on its button says one is on.
  const findOptions = view.getByRole('button', { name: 'Find options' });
  await findOptions.click();
  const matchAccents = page
    .getByRole('dialog', { name: 'Find options' })
    .getByRole('checkbox', { name: 'Match accents' });
  await expect(matchAccents).toHaveAccessibleDescription(/Tell é from e/);
  await matchAccents.check();
  await expect(findStatus).toHaveText('No matches');
  await page.keyboard.press('Escape');
  await expect(findOptions).toBeFocused();
  await expect(findOptions).toHaveClass(/is-on/);
  await findBox.fill('lèse-majesté');
  await expect(findStatus).toHaveText('Match 1 of 4');
  await findOptions.click();
  await matchAccents.uncheck();
  await page.keyboard.press('Escape');

  // Thumbnails: folded away at first, drawn when shown, and they navigate.
  await expect(view.getByRole('button', { name: 'Thumbnails' })).toHaveAttribute('aria-pressed', 'false');
  await view.getByRole('button', { name: 'Thumbnails' }).click();
  const thumbnails = view.getByRole('navigation', { name: 'Thumbnails' });
  await expect(thumbnails.getByRole('button', { name: 'Go to page 1', exact: true })).toHaveAttribute(
    'data-drawn',
    'true',
    { timeout: 20_000 },
  );
  await thumbnails.getByRole('button', { name: 'Go to page 9', exact: true }).click();
  await expect(view.getByRole('region', { name: 'Page 9', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  await expect(thumbnails.getByRole('button', { name: 'Go to page 9', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('the vault-wide documents view lists the documents of every case, sorts and filters them', async ({ page }) => {
  await createVault(page);
  await newCase(page, 'Koet Saray case file');
  await attachFixtures(page, ['mission-letter-koet-saray-2025-07-17.pdf', 'photo-of-letter-page1.jpg']);
  await newCase(page, 'Land activists hearing');
  await attachFixtures(page, ['khmer-hearing-note.txt']);

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Documents' }).click();
  const panel = page.getByRole('region', { name: 'All documents in this vault' });
  const rows = panel.getByRole('row');
  await expect(panel.getByText('Showing 3 of 3')).toBeVisible();
  // Newest first, each with its case.
  await expect(rows.nth(1)).toContainText('khmer-hearing-note.txt');
  await expect(rows.nth(1)).toContainText('Land activists hearing');

  await panel.getByRole('button', { name: 'Name' }).click();
  await expect(panel.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
  // The sort headers are readable: axe's contrast rule finds nothing in the table's header row (issue 16: they were
  // white on off-white, 1.04:1).
  const contrast = await axeOn(page).include('thead').withRules(['color-contrast']).analyze();
  expect(contrast.violations).toEqual([]);
  await expect(rows.nth(1)).toContainText('khmer-hearing-note.txt');
  await expect(rows.nth(3)).toContainText('photo-of-letter-page1.jpg');

  await panel.getByLabel('Type').selectOption('image');
  await expect(panel.getByText('Showing 1 of 3')).toBeVisible();
  await panel.getByLabel('Type').selectOption('any');
  await panel.getByRole('searchbox', { name: 'Filter documents' }).fill('koet saray');
  await expect(panel.getByText('Showing 2 of 3')).toBeVisible();

  await panel.getByRole('button', { name: 'Open mission-letter-koet-saray-2025-07-17.pdf' }).click();
  await expect(
    page.getByRole('region', { name: 'Viewing mission-letter-koet-saray-2025-07-17.pdf' }).getByRole('region', {
      name: 'Page 1',
      exact: true,
    }),
  ).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await documentRowAction(page, 'photo-of-letter-page1.jpg', 'Show case');
  await expect(page.getByRole('textbox', { name: 'Title' })).toHaveValue('Koet Saray case file');
});

test('corrupt, encrypted, empty and misnamed files attach with a clear reason and the vault stays usable', async ({
  page,
}) => {
  await createVault(page);
  await newCase(page, 'Robustness case');
  await attachFixtures(page, [
    'corrupt-garbage.pdf',
    'corrupt-truncated.pdf',
    'encrypted-password-protected.pdf',
    'empty.txt',
  ]);

  let view = await open(page, 'corrupt-garbage.pdf');
  await expect(view.getByText(/Cannot preview/)).toBeVisible({ timeout: 20_000 });
  view = await open(page, 'corrupt-truncated.pdf');
  await expect(view.getByText(/Cannot preview/)).toBeVisible({ timeout: 20_000 });
  // A password-protected PDF asks for its password; cancelled, it says why there is no preview and can ask again.
  view = await open(page, 'encrypted-password-protected.pdf');
  const prompt = view.getByRole('form', { name: 'This PDF is password-protected' });
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  await prompt.getByRole('button', { name: 'Cancel' }).click();
  await expect(view.getByText('Cannot preview: this PDF is password-protected. It is stored as it is.')).toBeVisible();
  await view.getByRole('button', { name: 'Enter the password' }).click();
  await expect(prompt.getByLabel('PDF password')).toBeFocused({ timeout: 20_000 });
  view = await open(page, 'empty.txt');
  await expect(view.getByText(/this file is empty/)).toBeVisible();

  // A JPEG named .pdf is shown as the image it is.
  await leaveReader(page);
  await attachFixtures(page, ['photo-named-as.pdf']);
  view = await open(page, 'photo-named-as.pdf');
  await expect(view.getByRole('img', { name: 'photo-named-as.pdf' })).toBeVisible();

  // Still usable: a real document opens.
  await leaveReader(page);
  await attachFixtures(page, ['mission-letter-koet-saray-2025-07-17.pdf']);
  view = await open(page, 'mission-letter-koet-saray-2025-07-17.pdf');
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
});

/**
 * The element's top is in the window and it is no wider than the window, and the app frame did not scroll to
 * show it (a page at fit-width is taller than the window: its top is what must show).
 */
async function expectInView(page: Page, element: Locator) {
  const box = (await element.boundingBox())!;
  const window = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(window.width);
  expect(box.y + Math.min(box.height, 20)).toBeLessThanOrEqual(window.height);
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop)).toBe(0);
}

test('the reader at 1366×768: the page at fit-width, in view from the case, the Documents view and search; axe clean', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await createVault(page);
  await newCase(page, 'Reader case');
  await attachFixtures(page, ['sg-report-ohchr-cambodia-2025-09-12.pdf', 'khmer-hearing-note.txt']);
  const name = 'sg-report-ohchr-cambodia-2025-09-12.pdf';

  // From the case page: focus goes into the reader, page 1 is in view at ≥ 60 % of the window's width.
  let view = await open(page, name);
  const first = view.getByRole('region', { name: 'Page 1', exact: true });
  await expect(first).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await expectInView(page, first);
  // Its top, under the toolbar, not pushed down the window.
  expect((await first.boundingBox())!.y).toBeLessThan(768 / 2);
  expect((await first.boundingBox())!.width).toBeGreaterThanOrEqual(1366 * 0.6);
  await expect
    .poll(() => view.evaluate((reader) => reader.contains(document.activeElement)), { timeout: 10_000 })
    .toBe(true);

  // Colour contrast and the rest of axe's rules, light and dark, with a side pane open and the annotation tools.
  await view.getByRole('button', { name: 'Thumbnails' }).click();
  await expect(view.getByRole('button', { name: 'Go to page 1', exact: true })).toHaveAttribute('data-drawn', 'true', {
    timeout: 20_000,
  });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await axeOn(page).include('.document-reader').analyze();
    expect(results.violations.map((violation) => `${colorScheme}: ${violation.id}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The toolbar is one row with nothing cut off, in English and in Khmer (in its bundled font), with both panes
  // open and a find under way (issue 19: in Khmer it took four rows).
  await view.getByRole('searchbox', { name: 'Find in document' }).fill('Cambodia');
  await expect(view.getByRole('search').getByRole('status')).toHaveText(/^Match 1 of \d+$/, { timeout: 20_000 });
  expect(await readerToolbar(view)).toEqual({ rows: 1, cut: [] });
  await page.getByLabel('Language').selectOption('km');
  // The reader's name is in Khmer now too.
  const khmerView = page.locator('.document-reader');
  await expect(khmerView.getByRole('search').getByRole('status')).toHaveText(/^លទ្ធផលទី/);
  expect(await readerToolbar(khmerView)).toEqual({ rows: 1, cut: [] });
  expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans Khmer"', 'ទំព័រ'))).toBe(true);
  await page.getByLabel('ភាសា').selectOption('en');

  // Back returns to the case; from the Documents view, Open goes to the reader too.
  await view.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('button', { name: `Open ${name}` })).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Documents' }).click();
  await page
    .getByRole('region', { name: 'All documents in this vault' })
    .getByRole('button', { name: `Open ${name}` })
    .click();
  view = page.getByRole('region', { name: `Viewing ${name}` });
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  await expectInView(page, view.getByRole('region', { name: 'Page 1', exact: true }));

  // From a search result: the hit on its page is in view, its word found.
  await page.keyboard.press('Control+k');
  const search = page.getByRole('search', { name: 'Search' });
  await search.getByRole('searchbox', { name: 'Search' }).fill('consultative');
  await search
    .getByRole('region', { name: 'Document pages' })
    .getByRole('button', { name: `${name}, page 12` })
    .click();
  view = page.getByRole('region', { name: `Viewing ${name}` });
  const page12 = view.getByRole('region', { name: 'Page 12', exact: true });
  const hit = page12.locator('.find-match.current').first();
  await expect(hit).toBeVisible({ timeout: 20_000 });
  await expect(hit).toBeInViewport();
  await expectInView(page, hit);
});

/**
 * The reader's toolbar: how many rows its controls take (told apart by their vertical centres), and what in it is cut
 * off (past the bar's end, or text wider than its box) other than the document's name, which shortens by design.
 */
async function readerToolbar(view: Locator): Promise<{ rows: number; cut: string[] }> {
  return view.locator('.reader-bar').evaluate((bar) => {
    const shown = (element: Element) =>
      element.getBoundingClientRect().width > 0 && !element.closest('.visually-hidden');
    const centres = [...bar.querySelectorAll('button, input')]
      .filter(shown)
      .map((control) => {
        const box = control.getBoundingClientRect();
        return (box.top + box.bottom) / 2;
      })
      .sort((a, b) => a - b);
    const rows = 1 + centres.filter((centre, index) => index > 0 && centre - centres[index - 1]! > 8).length;
    const end = bar.getBoundingClientRect().right;
    const cut = [...bar.querySelectorAll<HTMLElement>('*')]
      .filter((element) => shown(element) && !element.closest('.reader-title'))
      .filter(
        (element) =>
          element.getBoundingClientRect().right > end + 1 ||
          (element.tagName === 'SPAN' &&
            getComputedStyle(element).display !== 'inline' &&
            element.scrollWidth > element.clientWidth + 1),
      )
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent ?? ''}"`);
    return { rows, cut };
  });
}

/** The element lies wholly inside the reader's page area, at least 8 px from each of its edges. */
async function expectInsidePageArea(view: Locator, element: Locator) {
  await expect
    .poll(async () => {
      const area = (await view.locator('.reader-page').boundingBox())!;
      const box = (await element.boundingBox())!;
      return (
        box.x >= area.x + 7.5 &&
        box.y >= area.y + 7.5 &&
        box.x + box.width <= area.x + area.width - 7.5 &&
        box.y + box.height <= area.y + area.height - 7.5
      );
    })
    .toBe(true);
}

test('selecting a passage shows the annotation toolbar beside it; a colour highlights it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await createVault(page);
  await newCase(page, 'Toolbar case');
  await attachFixtures(page, ['mission-letter-koet-saray-2025-07-17.txt', 'mission-letter-koet-saray-2025-07-17.pdf']);

  for (const name of ['mission-letter-koet-saray-2025-07-17.txt', 'mission-letter-koet-saray-2025-07-17.pdf']) {
    const view = await open(page, name);
    const passage = name.endsWith('.txt')
      ? view.locator('pre.text-viewer')
      : view.getByRole('region', { name: 'Page 1', exact: true }).locator('.textLayer > span').nth(3);
    if (name.endsWith('.pdf'))
      await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute(
        'data-text-rendered',
        'true',
        { timeout: 20_000 },
      );
    await selectText(passage, 0, 10);
    const toolbar = page.getByRole('toolbar', { name: 'Annotate the selection' });
    await expect(toolbar).toBeVisible();
    const selection = await page.evaluate(() => {
      const box = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
      return { x: box.x, y: box.y, width: box.width, height: box.height };
    });
    const bar = (await toolbar.boundingBox())!;
    // The gap between the two boxes, horizontally and vertically.
    const dx = Math.max(0, bar.x - (selection.x + selection.width), selection.x - (bar.x + bar.width));
    const dy = Math.max(0, bar.y - (selection.y + selection.height), selection.y - (bar.y + bar.height));
    expect(Math.hypot(dx, dy)).toBeLessThanOrEqual(80);
    await expectInsidePageArea(view, toolbar);

    // A selection scrolled half out of the page area: the toolbar stays wholly inside the area (issue #16).
    if (name.endsWith('.pdf')) {
      await view.locator('.pdf-pages').evaluate((pages) => {
        const range = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
        pages.scrollTop += range.top + range.height / 2 - pages.getBoundingClientRect().bottom;
      });
      await expect
        .poll(() => page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().top))
        .toBeGreaterThan(300);
      await expectInsidePageArea(view, toolbar);
    }

    // Each colour has its name; choosing one highlights the passage in it.
    for (const colour of ['Yellow', 'Green', 'Blue', 'Pink', 'Orange'])
      await expect(toolbar.getByRole('button', { name: `Highlight in ${colour}` })).toBeVisible();
    await toolbar.getByRole('button', { name: 'Highlight in Green' }).click();
    await expect(toolbar).toBeHidden();
    await expect(view.locator('mark.highlight.color-green')).not.toHaveCount(0);
    await expect(
      view.getByRole('complementary', { name: 'Annotations' }).locator('li.annotation.color-green'),
    ).toHaveCount(1);
  }
});

test('the outline lists a PDF’s bookmarks and goes to their pages; without one it says so; an image zooms from the toolbar', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await createVault(page);
  await newCase(page, 'Outline case');
  await attachFixtures(page, [
    'outline-sections.pdf',
    'mission-letter-koet-saray-2025-07-17.pdf',
    'photo-of-letter-page1.jpg',
  ]);

  let view = await open(page, 'outline-sections.pdf');
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  await view.getByRole('button', { name: 'Thumbnails' }).click();
  const leftPane = view.getByRole('tablist', { name: 'Thumbnails and outline' });
  await expect(leftPane.getByRole('tab', { name: 'Thumbnails' })).toHaveAttribute('aria-selected', 'true');
  await leftPane.getByRole('tab', { name: 'Outline' }).click();
  const outline = view.getByRole('treegrid', { name: 'Outline' });
  await expect(outline.getByRole('row')).toHaveText([
    /1\. Summary\s*1/,
    /2\. Findings\s*2/,
    /2\.1 Arrests at the hearing\s*3/,
    /3\. Recommendations\s*4/,
    /Source on the web/,
  ]);
  // Nested: the sub-section is a level below its section.
  await expect(outline.getByRole('row', { name: '2. Findings, page 2' })).toHaveAttribute('aria-level', '1');
  await expect(outline.getByRole('row', { name: '2.1 Arrests at the hearing, page 3' })).toHaveAttribute(
    'aria-level',
    '2',
  );
  // A web link is shown but goes nowhere: the app is offline.
  await expect(outline.getByRole('row', { name: /^Source on the web/ })).toHaveAttribute('aria-disabled', 'true');

  // Choosing an entry shows its page, as a thumbnail does: a named destination and a page reference.
  const pageNumber = view.getByRole('spinbutton', { name: /^Page/ });
  await outline.getByRole('row', { name: '2.1 Arrests at the hearing, page 3' }).click();
  await expect(pageNumber).toHaveValue('3');
  const page3 = view.getByRole('region', { name: 'Page 3', exact: true });
  await expect(page3).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });
  await expect(page3.locator('.textLayer')).toContainText('Arrests at the hearing');
  await expect(page3).toBeInViewport();
  await outline.getByRole('row', { name: '2. Findings, page 2' }).click();
  await expect(pageNumber).toHaveValue('2');
  await expect(view.getByRole('region', { name: 'Page 2', exact: true })).toBeInViewport();
  await outline.getByRole('row', { name: /^Source on the web/ }).click({ force: true });
  await expect(pageNumber).toHaveValue('2');

  // A PDF without an outline says so.
  view = await open(page, 'mission-letter-koet-saray-2025-07-17.pdf');
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  // The panes' sizes are remembered: the left pane may be open already.
  const toggle = view.getByRole('button', { name: 'Thumbnails' });
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await view.getByRole('tab', { name: 'Outline' }).click();
  await expect(view.getByText('This document has no outline.')).toBeVisible();

  // An image has neither thumbnails nor outline; its zoom controls are in the reader's toolbar.
  view = await open(page, 'photo-of-letter-page1.jpg');
  await expect(view.getByRole('img', { name: 'photo-of-letter-page1.jpg' })).toBeVisible();
  await expect(view.getByRole('tab', { name: 'Outline' })).toHaveCount(0);
  const tools = view.locator('.reader-tools');
  const zoomIn = tools.getByRole('button', { name: 'Zoom in' });
  await expect(zoomIn).toHaveAttribute('title', 'Zoom in');
  await expect(tools.getByRole('button', { name: 'Zoom out' })).toBeVisible();
  await expect(tools.getByRole('button', { name: 'Rotate' })).toBeVisible();
  await expect(view.locator('.image-viewer').getByRole('button', { name: 'Zoom in' })).toHaveCount(0);
  await zoomIn.click();
  await expect(tools.getByText('125%')).toBeVisible();
});
