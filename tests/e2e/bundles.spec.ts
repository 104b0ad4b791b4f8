import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { axeOn } from '../support/axe';
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  attachFixtures,
  createVault,
  documentRowAction,
  fixture,
  leakedMarkers,
  newCase,
  openCaseTab,
  rawOriginDump,
  rawRowsByKey,
  selectText,
} from './vault-helpers';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const LETTER = 'mission-letter-koet-saray-2025-07-17.txt';
const PDF = 'hrn-statement-adhoc-defenders-2016-06-08.pdf';

const MARKERS = {
  firstCase: 'Zqbundle-case Koet Saray incitement',
  secondCase: 'Zqbundle-case ADHOC staff bribery charge',
  note: 'Zqbundle-note sentence quoted by the government',
  summary: 'Zqbundle-summary appeal lodged in August',
  witness: 'Zqbundle-witness Sok Dara',
  witnessNotes: 'Zqbundle-notes lives behind the market',
};

/** axe on the exchange screen, colour contrast included, in the light and the dark theme. */
async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await axeOn(page).include('.exchange').analyze();
    expect(results.violations, `axe violations (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** A second vault in its own browser profile (a context shares no storage with another). */
async function secondVault(browser: Browser, baseURL: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await createVault(page);
  return { page, errors };
}

async function nameIdentity(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Exchange' }).click();
  await page.getByRole('tab', { name: 'My identity' }).click();
  const identity = page.getByRole('region', { name: 'My identity' });
  await identity.getByLabel('Name shown to your contacts').fill(name);
  await identity.getByRole('button', { name: 'Save name' }).click();
  await expect(identity.getByText('Name saved.')).toBeVisible();
  const download = page.waitForEvent('download');
  const save = identity.getByRole('button', { name: 'Save my identity card' });
  // The card is plaintext, and says so; its file name does not carry the name it holds.
  await expect(save).toHaveAccessibleDescription('This file will not be encrypted: anyone who gets it can read it.');
  await save.click();
  const card = await download;
  expect(card.suggestedFilename()).toMatch(/^evidence-vault-identity-\d{5}-\d{5}\.json$/);
  return card.path();
}

async function addVerifiedContact(page: Page, card: string, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Contacts' }).click();
  const contacts = page.getByRole('region', { name: 'Contacts' });
  const chooser = page.waitForEvent('filechooser');
  await contacts.getByRole('button', { name: 'Import identity card' }).click();
  await (await chooser).setFiles(card);
  const item = contacts.getByRole('listitem', { name });
  await expect(item.getByText('Not verified')).toBeVisible();
  await item.getByRole('button', { name: `Verify ${name}` }).click();
  await item.getByRole('button', { name: 'All 60 digits match' }).click();
  await expect(item.getByText('Verified', { exact: true })).toBeVisible();
}

/** From any screen: back to the cases, and a new case with `file` attached. */
async function newCaseWithFile(
  page: Page,
  title: string,
  file: string,
  details?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, title);
  await details?.(page);
  await openCaseTab(page, 'Documents');
  await attachFixtures(page, [file]);
}

async function sendBundle(
  page: Page,
  cases: string[],
  recipient: string,
  beforeSending?: (form: Locator) => Promise<void>,
): Promise<string> {
  await page.getByRole('button', { name: 'Exchange' }).click();
  await page.getByRole('tab', { name: 'Send' }).click();
  const form = page.getByRole('form', { name: 'Send a bundle' });
  for (const title of cases) await form.getByLabel(title, { exact: true }).check();
  await form.getByLabel(recipient).check();
  // The vault says how large the bundle will be before anything is written.
  await expect(form.getByText(/^This bundle: \d+ items, about [\d.,]+ (KiB|MiB)\.$/)).toBeVisible();
  await beforeSending?.(form);
  const download = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Create bundle' }).click();
  await expect(form.getByText(/^Bundle saved: /)).toBeVisible({ timeout: 30_000 });
  return (await download).path();
}

async function openBundle(page: Page, file: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Exchange' }).click();
  await page.getByRole('tab', { name: 'Receive' }).click();
  const section = page.getByRole('region', { name: 'Open bundles' });
  const chooser = page.waitForEvent('filechooser');
  await section.getByRole('button', { name: 'Open bundles…' }).click();
  await (await chooser).setFiles(file);
  const preview = section.getByRole('region', { name: 'What this bundle holds' });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  return preview;
}

test('a monitor sends two cases to a coordinator, who imports them intact, once, then sees the edit', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await createVault(page);
  const coordinator = await secondVault(browser, baseURL!);
  const monitorCard = await nameIdentity(page, 'Monitor A');
  const coordinatorCard = await nameIdentity(coordinator.page, 'Coordinator B');
  await addVerifiedContact(page, coordinatorCard, 'Coordinator B');
  await addVerifiedContact(coordinator.page, monitorCard, 'Monitor A');

  // Two cases with documents, an annotation and an observation.
  await newCaseWithFile(page, MARKERS.firstCase, LETTER, async () => {
    // A witness whose identity the case protects.
    await page.getByRole('button', { name: 'Add person' }).click();
    const person = page.getByRole('group', { name: 'Person 1' });
    await person.getByLabel('Name').fill(MARKERS.witness);
    await person.getByLabel('Role').selectOption('witness');
    await person.getByLabel('Sensitive').check();
    await person.getByLabel('Notes').fill(MARKERS.witnessNotes);
    await page.getByRole('button', { name: 'Save case' }).click();
    await expect(page.getByText('All changes saved.')).toBeVisible();
  });
  await page.getByRole('button', { name: `Open ${LETTER}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${LETTER}` });
  const text = view.getByLabel(LETTER, { exact: true });
  const whole = await text.innerText();
  const at = whole.indexOf('four (4) years of imprisonment');
  await selectText(text, at, at + 'four (4) years of imprisonment'.length);
  await view
    .getByRole('toolbar', { name: 'Annotate the selection' })
    .getByRole('button', { name: 'Note', exact: true })
    // The toolbar floats by the selection, which may sit outside the test window's viewport.
    .dispatchEvent('click');
  const editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(MARKERS.note);
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(MARKERS.note)).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  const hearing = page.getByRole('form', { name: 'New hearing' });
  await hearing.getByLabel('Date', { exact: true }).fill('2025-07-17');
  await hearing.getByRole('button', { name: 'Save hearing' }).click();
  await expect(
    page.getByRole('form', { name: /hearing of July 17, 2025$/ }).getByText('Version 1, draft'),
  ).toBeVisible();
  await newCaseWithFile(page, MARKERS.secondCase, PDF);

  const bundle = await sendBundle(page, [MARKERS.firstCase, MARKERS.secondCase], 'Coordinator B', async (form) => {
    // The sender sees what will travel, named, and the sensitive witness, withheld unless they choose otherwise.
    const summary = form.getByRole('region', { name: 'What this bundle will carry' });
    await expect(summary.getByRole('heading', { name: `Case “${MARKERS.firstCase}”` })).toBeVisible();
    await expect(summary.getByText(new RegExp(`^Document “${LETTER}” · [\\d.,]+ KiB · 1 annotation$`))).toBeVisible();
    await expect(summary.getByText('Hearing of July 17, 2025')).toBeVisible();
    await expect(form.getByText(`${MARKERS.witness} (Witness, sensitive): name, notes`, { exact: true })).toBeVisible();
    await expect(form.getByLabel(`Withhold ${MARKERS.witness}'s name, notes`)).toBeChecked();
    await expect(summary.getByText(`${MARKERS.witness} (Witness, sensitive): name, notes withheld`)).toBeVisible();
    await expectAccessible(page);
  });
  expect(readFileSync(bundle).includes(Buffer.from('Zqbundle'))).toBe(false);

  // The coordinator sees who signed it and what it holds, before anything is written.
  let preview = await openBundle(coordinator.page, bundle);
  await expect(preview.getByText('Signed by “Monitor A”')).toBeVisible();
  await expect(preview.getByText('verified contact Monitor A')).toBeVisible();
  await expect(preview.getByText(/The sender's custody log checks out/)).toBeVisible();
  await expect(preview.getByRole('row', { name: /Documents/ })).toContainText('2');
  // Named from the verified bundle: the case, its document with its size, the hearing's date.
  const changes = preview.getByRole('region', { name: 'What importing would change' });
  await expect(changes.getByRole('heading', { name: new RegExp(`^Case “${MARKERS.firstCase}” new$`) })).toBeVisible();
  await expect(
    changes.getByText(new RegExp(`^Document “${LETTER}” · [\\d.,]+ KiB · new · 1 annotation \\(new: 1\\)`)),
  ).toBeVisible();
  await expect(changes.getByText('Hearing of July 17, 2025 · new')).toBeVisible();
  await expectAccessible(coordinator.page);
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(coordinator.page.getByText(/^Imported: \d+ new, 0 updated, 0 unchanged\.$/)).toBeVisible();
  const result = coordinator.page.getByRole('region', { name: 'What the import did' });
  await expect(result.getByText(new RegExp(`^Document “${PDF}” · [\\d.,]+ KiB · added · text: added$`))).toBeVisible();
  await expectAccessible(coordinator.page);
  // The result links to each case it wrote; the withheld witness arrived as a placeholder only.
  await coordinator.page.getByRole('link', { name: `Open case “${MARKERS.firstCase}”` }).click();
  await openCaseTab(coordinator.page, 'Details');
  await expect(coordinator.page.getByLabel('Title')).toHaveValue(MARKERS.firstCase);
  // Shown by its mark, in the reader's language, not by the placeholder stored for older readers.
  const placeholder = coordinator.page.getByRole('group', { name: 'Person 1' }).getByLabel('Name');
  await expect(placeholder).toHaveValue('');
  await expect(placeholder).toHaveAttribute('placeholder', 'Witness (name withheld by the sender)');

  // Every item identical: the documents re-hash to the monitor's SHA-256, the annotation anchors.
  const b = coordinator.page;
  await b.getByRole('button', { name: 'Cases' }).click();
  await b.getByRole('button', { name: MARKERS.firstCase }).click();
  await openCaseTab(b, 'Documents');
  await documentRowAction(b, LETTER, 'Verify');
  await expect(b.getByText(`SHA-256 ${sha256(fixture(LETTER))} matches`)).toBeVisible();
  await openCaseTab(b, 'Hearings');
  await expect(b.getByRole('region', { name: 'Hearings' }).getByText('Draft, version 1')).toBeVisible();
  await openCaseTab(b, 'Documents');
  await b.getByRole('button', { name: `Open ${LETTER}` }).click();
  const imported = b.getByRole('region', { name: `Viewing ${LETTER}` });
  await imported.getByRole('tab', { name: 'Details' }).click();
  await expect(
    imported.getByText(/^Received on .* in a bundle signed by “Monitor A” \(verified contact/),
  ).toBeVisible();
  await imported.getByRole('tab', { name: 'Annotations' }).click();
  await expect(imported.getByText(MARKERS.note)).toBeVisible();
  await expect(imported.getByLabel(LETTER, { exact: true }).locator('mark.highlight')).toHaveText(
    'four (4) years of imprisonment',
  );
  await expect(imported.getByText(/orphaned/)).toHaveCount(0);
  await b.getByRole('button', { name: 'Back', exact: true }).click();
  await b.getByRole('button', { name: MARKERS.secondCase }).click();
  await openCaseTab(b, 'Documents');
  await documentRowAction(b, PDF, 'Verify');
  await expect(b.getByText(`SHA-256 ${sha256(fixture(PDF))} matches`)).toBeVisible();

  // The same bundle again: recognised, and importing it changes nothing.
  preview = await openBundle(b, bundle);
  await expect(preview.getByText(/^You already imported this bundle on /)).toBeVisible();
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(b.getByText(/^Imported: 0 new, 0 updated, \d+ unchanged\.$/)).toBeVisible();

  // The monitor edits a case and sends again: the coordinator sees exactly that change.
  await page.getByRole('button', { name: 'Cases' }).click();
  await page.getByRole('button', { name: MARKERS.firstCase }).click();
  await openCaseTab(page, 'Details');
  await page.getByLabel('Summary').fill(MARKERS.summary);
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  const second = await sendBundle(page, [MARKERS.firstCase, MARKERS.secondCase], 'Coordinator B');
  preview = await openBundle(b, second);
  await expect(preview.getByRole('row', { name: /^Cases/ })).toHaveText(/Cases\s*0\s*1\s*1\s*0/);
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(b.getByText('Imported: 0 new, 1 updated', { exact: false })).toBeVisible();
  await b.getByRole('button', { name: 'Cases' }).click();
  await b.getByRole('button', { name: MARKERS.firstCase }).click();
  await openCaseTab(b, 'Details');
  await expect(b.getByLabel('Summary')).toHaveValue(MARKERS.summary);

  // Nothing of what was exchanged is readable in the coordinator's storage.
  expect(leakedMarkers(await rawOriginDump(b), Object.values(MARKERS))).toEqual([]);
  expect(coordinator.errors).toEqual([]);
});

test('a bundle that was tampered with, cut short or meant for someone else is refused and changes nothing', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await createVault(page);
  const coordinator = await secondVault(browser, baseURL!);
  const stranger = await secondVault(browser, baseURL!);
  await nameIdentity(page, 'Monitor A');
  const coordinatorCard = await nameIdentity(coordinator.page, 'Coordinator B');
  const strangerCard = await nameIdentity(stranger.page, 'Stranger C');
  await addVerifiedContact(page, coordinatorCard, 'Coordinator B');
  await addVerifiedContact(page, strangerCard, 'Stranger C');
  await newCaseWithFile(page, MARKERS.firstCase, LETTER);
  const forCoordinator = await sendBundle(page, [MARKERS.firstCase], 'Coordinator B');
  await page.getByRole('form', { name: 'Send a bundle' }).getByLabel('Coordinator B').uncheck();
  const forStranger = await sendBundle(page, [], 'Stranger C');

  const b = coordinator.page;
  const before = await rawRowsByKey(b);
  const bytes = readFileSync(forCoordinator);
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.byteLength / 2)]! ^= 1;
  for (const [name, buffer, message] of [
    ['flipped.evbundle', flipped, 'This bundle was altered or damaged: a part of it does not match.'],
    [
      'cut.evbundle',
      bytes.subarray(0, bytes.byteLength - 40),
      'This bundle was altered or damaged: a part of it does not match.',
    ],
    ['for-stranger.evbundle', readFileSync(forStranger), 'This bundle was not encrypted for you.'],
  ] as const) {
    await b.getByRole('button', { name: 'Exchange' }).click();
    await b.getByRole('tab', { name: 'Receive' }).click();
    const section = b.getByRole('region', { name: 'Open bundles' });
    const chooser = b.waitForEvent('filechooser');
    await section.getByRole('button', { name: 'Open bundles…' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/octet-stream', buffer });
    await expect(section.getByRole('alert')).toHaveText(message);
  }
  // Nothing of the bundles was written: the one row added is the sealed queue, which keeps each refused file with its
  // reason; the rest that moves is the bookkeeping of any commit (the integrity map, the records generation).
  const after = await rawRowsByKey(b);
  const bookkeeping = (key: string) =>
    key.startsWith('evidence-vault/state/') || key === 'evidence-vault/meta/"records-generation"';
  expect([...before.keys()].filter((key) => !bookkeeping(key) && after.get(key) !== before.get(key))).toEqual([]);
  expect([...after.keys()].filter((key) => !bookkeeping(key) && !before.has(key))).toEqual([
    expect.stringMatching(/^evidence-vault\/records\//),
  ]);
  expect(coordinator.errors).toEqual([]);
});

test('three bundles picked at once are checked in a queue; one action takes the two from a verified contact', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await createVault(page);
  const coordinator = await secondVault(browser, baseURL!);
  const monitorCard = await nameIdentity(page, 'Monitor A');
  const coordinatorCard = await nameIdentity(coordinator.page, 'Coordinator B');
  await addVerifiedContact(page, coordinatorCard, 'Coordinator B');
  await addVerifiedContact(coordinator.page, monitorCard, 'Monitor A');
  await newCaseWithFile(page, MARKERS.firstCase, LETTER);
  const first = readFileSync(await sendBundle(page, [MARKERS.firstCase], 'Coordinator B'));
  const second = readFileSync(await sendBundle(page, [MARKERS.firstCase], 'Coordinator B'));
  const tampered = Buffer.from(first);
  tampered[Math.floor(tampered.byteLength / 2)]! ^= 1;

  const b = coordinator.page;
  await b.getByRole('button', { name: 'Exchange' }).click();
  await b.getByRole('tab', { name: 'Receive' }).click();
  const section = b.getByRole('region', { name: 'Open bundles' });
  const chooser = b.waitForEvent('filechooser');
  await section.getByRole('button', { name: 'Open bundles…' }).click();
  await (
    await chooser
  ).setFiles(
    [
      ['visit-1.evbundle', first],
      ['visit-2.evbundle', second],
      ['damaged.evbundle', tampered],
    ].map(([name, buffer]) => ({
      name: name as string,
      mimeType: 'application/octet-stream',
      buffer: buffer as Buffer,
    })),
  );
  await expect(section.getByRole('status')).toHaveText('3 bundles checked: the queue says what each needs.', {
    timeout: 30_000,
  });
  const queue = section.getByRole('table', { name: 'Bundles in the queue' });
  const row = (name: string) => queue.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('visit-1.evbundle')).toContainText('Verified, ready');
  await expect(row('visit-1.evbundle')).toContainText('verified contact Monitor A');
  await expect(row('damaged.evbundle')).toContainText('Refused');
  await expect(row('damaged.evbundle')).toContainText(
    'This bundle was altered or damaged: a part of it does not match.',
  );
  await expect(section.getByRole('heading', { name: '3 bundles waiting' })).toBeVisible();
  await expectAccessible(b);

  await section.getByRole('button', { name: 'Import 2 bundles from verified contacts' }).click();
  await expect(section.getByRole('status')).toHaveText('2 bundles imported.');
  await expect(row('visit-1.evbundle')).toContainText('Imported');
  await expect(row('visit-2.evbundle')).toContainText(/0 new, 0 updated, \d+ unchanged/);
  await expect(row('damaged.evbundle')).toContainText('Refused');
  await expect(section.getByRole('heading', { name: '1 bundle waiting' })).toBeVisible();
  await b.getByRole('button', { name: 'Cases' }).click();
  await expect(b.getByRole('button', { name: MARKERS.firstCase })).toBeVisible();
  expect(leakedMarkers(await rawOriginDump(b), [MARKERS.firstCase, 'visit-1.evbundle'])).toEqual([]);
  expect(coordinator.errors).toEqual([]);
});
