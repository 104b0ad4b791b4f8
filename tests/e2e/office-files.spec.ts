import { expect, test } from './fixtures';
import { createVault, newCaseWith, selectText } from './vault-helpers';

// Playwright's trace snapshots fetch an image that failed to decode again from its blob: URL; the app's CSP
// (connect-src 'self') blocks that and logs an error the fixture counts. The app itself never fetches it.
test.use({ trace: 'off' });

const DOCX = 'office-note.docx';
const HEIC = 'photo-with-gps.heic';

test('a HEIC photo says it cannot be shown and shows its GPS; a DOCX is found by search and read and annotated as text', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCaseWith(page, 'Office case', [DOCX, HEIC]);

  // The engine cannot decode HEIC: a plain notice, and the photo's metadata (its GPS position) all the same.
  await page.getByRole('button', { name: `Open ${HEIC}` }).click();
  const photo = page.getByRole('region', { name: `Viewing ${HEIC}` });
  await expect(photo.getByRole('status')).toHaveText(/Cannot preview this image format here/);
  await expect(photo.getByRole('note')).toContainText('This image contains a GPS location: latitude 11.5564');
  await page.getByRole('button', { name: 'Back', exact: true }).click();

  // Vault-wide search finds a word of the DOCX (its text was extracted at intake) and opens it.
  await page.keyboard.press('Control+k');
  const search = page.getByRole('search', { name: 'Search' });
  await search.getByRole('searchbox', { name: 'Search' }).fill('reportée');
  await search
    .getByRole('region', { name: 'Document pages' })
    .getByRole('button', { name: `${DOCX}, page 1` })
    .click();

  // Its text in the text viewer, Khmer and French, and a highlight on a word of it.
  const view = page.getByRole('region', { name: `Viewing ${DOCX}` });
  const text = view.getByLabel(DOCX);
  await expect(text).toContainText("L'audience a été reportée au 17 juillet à la demande de la défense.");
  await expect(text).toContainText('សវនាការត្រូវបានពន្យារពេល');
  const whole = await text.innerText();
  const at = whole.indexOf('défense');
  await selectText(text, at, at + 'défense'.length);
  await page.getByRole('toolbar', { name: 'Annotate the selection' }).getByRole('button', { name: 'Note' }).click();
  await view.getByRole('form', { name: 'Edit annotation' }).getByRole('button', { name: 'Save annotation' }).click();
  await expect(text.locator('mark.highlight')).toHaveText('défense');
  await expect(view.getByRole('complementary', { name: 'Annotations' }).locator('blockquote')).toHaveText('défense');
});
