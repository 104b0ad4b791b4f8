import { axeOn } from '../support/axe';
import { expect, test } from './fixtures';
import { createVault, leakedMarkers, newCaseWith, rawOriginDump } from './vault-helpers';

const LOCKED = 'password-khmer-aes256.pdf';
/** Its password (tests/fixtures/make-password-xfa-pdfs.mjs): Khmer, so not ASCII. */
const PASSWORD = 'ខ្មែរ-២០២៥';
/** A word only in its (encrypted) text. */
const WORD = 'Sangkatwitness';
const XFA = 'xfa-form-placeholder.pdf';

test('a password-protected PDF asks for its password, says when it is wrong, opens, is remembered only when asked, and its text is searchable', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await createVault(page);
  await newCaseWith(page, 'Password case', [LOCKED]);

  await page.getByRole('button', { name: `Open ${LOCKED}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${LOCKED}` });
  const prompt = view.getByRole('form', { name: 'This PDF is password-protected' });
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  const field = prompt.getByLabel('PDF password');
  await expect(field).toBeFocused();
  const axe = await axeOn(page).include('.pdf-password').analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  // Not opened yet: the details say why there is no text, not "not a PDF".
  await view.getByRole('tab', { name: 'Details' }).click();
  await expect(view.getByText(/^None yet: this PDF is password-protected/)).toBeVisible();

  await field.fill('not the password');
  await prompt.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(prompt.getByRole('alert')).toHaveText('Wrong password. Try again.', { timeout: 20_000 });
  await expect(prompt.getByLabel('PDF password')).toBeFocused();
  await expect(prompt.getByLabel('PDF password')).toHaveValue('');

  // Kept in the vault only if asked: the box starts unticked.
  const remember = prompt.getByRole('checkbox', { name: 'Remember the password in this vault' });
  await expect(remember).not.toBeChecked();
  await remember.check();
  await prompt.getByLabel('PDF password').fill(PASSWORD);
  await prompt.getByRole('button', { name: 'Open', exact: true }).click();
  const page1 = view.getByRole('region', { name: 'Page 1', exact: true });
  await expect(page1).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await expect(page1).toContainText(WORD);
  await expect(prompt).toBeHidden();
  // Its text is extracted from the open document and stored: the details count it now.
  await expect(view.getByText('1 page; 0 without a text layer')).toBeVisible({ timeout: 20_000 });
  const details = view.getByRole('tabpanel', { name: 'Details' });
  const rememberedNote = details.getByText(/password is remembered in this vault/);
  await expect(rememberedNote).toBeVisible();

  // Opened again, it asks nothing: the remembered password opens it. It is sealed: not readable at rest.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: `Open ${LOCKED}` }).click();
  await expect(page1).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  await expect(prompt).toHaveCount(0);
  expect(leakedMarkers(await rawOriginDump(page), [PASSWORD])).toEqual([]);

  // Forgotten from the details: the next opening asks again.
  await view.getByRole('tab', { name: 'Details' }).click();
  await details.getByRole('button', { name: 'Forget the password' }).click();
  await expect(rememberedNote).toHaveCount(0);
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: `Open ${LOCKED}` }).click();
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  await expect(prompt.getByRole('alert')).toHaveCount(0);

  // The vault-wide search finds a word of it.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.keyboard.press('Control+k');
  const search = page.getByRole('search', { name: 'Search' });
  await search.getByRole('searchbox', { name: 'Search' }).fill(WORD);
  await expect(
    search.getByRole('region', { name: 'Document pages' }).getByRole('button', { name: `${LOCKED}, page 1` }),
  ).toBeVisible({ timeout: 20_000 });

  // Neither the password nor the text is anywhere readable at rest.
  expect(leakedMarkers(await rawOriginDump(page), [PASSWORD, WORD])).toEqual([]);
});

test('an XFA form says, above its pages and in its details, that what shows may not be its content', async ({
  page,
}) => {
  await createVault(page);
  await newCaseWith(page, 'XFA case', [XFA]);

  await page.getByRole('button', { name: `Open ${XFA}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${XFA}` });
  await expect(view.getByRole('region', { name: 'Page 1', exact: true })).toHaveAttribute('data-rendered', 'true', {
    timeout: 20_000,
  });
  await expect(view.getByRole('note').filter({ hasText: 'This PDF is an XFA form' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = await axeOn(page).include('.pdf-notice').analyze();
    expect(axe.violations.map((violation) => `${colorScheme}: ${violation.id}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await view.getByRole('tab', { name: 'Details' }).click();
  const details = view.getByRole('tabpanel', { name: 'Details' });
  await expect(details.getByRole('note')).toContainText('This PDF is an XFA form');
  await expect(details.getByText(/^Not its content: this PDF is an XFA form\. The 1 page read/)).toBeVisible();
  await expect(details.getByText(/without a text layer/)).toHaveCount(0);
});
