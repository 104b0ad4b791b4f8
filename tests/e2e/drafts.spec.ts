import { expect, test } from './fixtures';
import { createVault, leakedMarkers, newCaseWith, rawOriginDump, unlock } from './vault-helpers';

const NOTE = 'Zqdraftnote the clerk said the hearing would be closed';
const TRANSCRIPTION = 'Zqdrafttranscription stamp of the provincial court';

test('an annotation note typed and never saved comes back, sealed, after the page and its worker are killed', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCaseWith(page, 'Draft case', ['photo-of-letter-page1.jpg']);
  await page.getByRole('button', { name: 'Open photo-of-letter-page1.jpg' }).click();
  let view = page.getByRole('region', { name: 'Viewing photo-of-letter-page1.jpg' });
  const photo = view.getByRole('img', { name: 'photo-of-letter-page1.jpg' });
  await expect(photo).toBeVisible();

  // A region drawn opens its editor; the note and the transcription are typed, and never saved.
  await view.getByRole('button', { name: 'Draw a region' }).click();
  const box = (await photo.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 120, { steps: 5 });
  await page.mouse.up();
  let editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(NOTE);
  await editor.getByLabel('Transcription').fill(TRANSCRIPTION);
  // The draft is written a quarter second after typing stops; then the page goes without any goodbye.
  await page.waitForTimeout(1500);
  await page.reload();

  await unlock(page);
  // Only ciphertext on disk: the draft is sealed (with the case's key).
  expect(leakedMarkers(await rawOriginDump(page), [NOTE, TRANSCRIPTION])).toEqual([]);
  await page.getByRole('button', { name: 'Cases' }).click();
  await page.getByRole('button', { name: /^Draft case/ }).click();
  await page.getByRole('tab', { name: 'Documents', exact: true }).click();
  await page.getByRole('button', { name: 'Open photo-of-letter-page1.jpg' }).click();
  view = page.getByRole('region', { name: 'Viewing photo-of-letter-page1.jpg' });
  await view.getByRole('button', { name: /^Edit annotation/ }).click();
  editor = view.getByRole('form', { name: 'Edit annotation' });
  await expect(editor.getByText(/^Restored unsaved text/)).toBeVisible();
  await expect(editor.getByLabel('Note')).toHaveValue(NOTE);
  await expect(editor.getByLabel('Transcription')).toHaveValue(TRANSCRIPTION);

  // Saved, the text is the annotation's and the draft is gone: editing again restores nothing.
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(NOTE)).toBeVisible();
  await view.getByRole('button', { name: /^Edit annotation/ }).click();
  editor = view.getByRole('form', { name: 'Edit annotation' });
  await expect(editor.getByLabel('Note')).toHaveValue(NOTE);
  await page.waitForTimeout(500); // time for a draft to be read, were one left
  await expect(editor.getByText(/^Restored unsaved text/)).toHaveCount(0);
});
