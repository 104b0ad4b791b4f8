import { expect, test } from './fixtures';
import { createVault, leakedMarkers, lock, newCaseWith, rawOriginDump, selectText, unlock } from './vault-helpers';

const LETTER = 'mission-letter-koet-saray-2025-07-17.txt';
const REPORT = 'sg-report-ohchr-cambodia-2025-09-12.pdf';
const IPU = 'ipu-decision-cnrp-parliamentarians-2017-10-18.pdf';
const NOTE_NOTE = 'Zqsearch-note the article the government cites';

test('one search box finds articles, Khmer words inside unspaced runs and a word on page 12, and opens the place', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await createVault(page);
  const files = [LETTER, 'khmer-hearing-note.txt', 'khmer-hearing-note.pdf', REPORT, IPU];
  await newCaseWith(page, 'Search case', files);

  // An annotation on the letter's passage about art. 494.
  await page.getByRole('button', { name: `Open ${LETTER}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${LETTER}` });
  const text = view.getByLabel(LETTER);
  const whole = await text.innerText();
  const at = whole.indexOf('Article 494');
  await selectText(text, at, at + 'Article 494'.length);
  await page.getByRole('toolbar', { name: 'Annotate the selection' }).getByRole('button', { name: 'Note' }).click();
  const editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(NOTE_NOTE);
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(NOTE_NOTE)).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();

  // Ctrl+K from anywhere; "494" finds the letter's passage and the annotation.
  await page.keyboard.press('Control+k');
  const search = page.getByRole('search', { name: 'Search' });
  const box = search.getByRole('searchbox', { name: 'Search' });
  await expect(box).toBeFocused();
  await box.fill('494');
  const pages = search.getByRole('region', { name: 'Document pages' });
  await expect(pages.getByRole('button', { name: `${LETTER}, page 1` })).toBeVisible();
  const result = (name: string) => pages.getByRole('listitem').filter({ has: page.getByRole('button', { name }) });
  await expect(result(`${LETTER}, page 1`).locator('mark').first()).toHaveText('494');
  // Snippets quote the text as written: the note's Khmer digits, found by ASCII ones, are what is marked.
  await expect(result('khmer-hearing-note.txt, page 1').locator('mark').first()).toHaveText('៤៩៤');
  await expect(
    search.getByRole('region', { name: 'Annotations' }).getByRole('button', { name: `${LETTER}, page 1` }),
  ).toBeVisible();

  // A Khmer word inside a longer unspaced run, in the note's text and PDF forms.
  for (const word of ['ក្រមព្រហ្មទណ្ឌ', 'វត្តមាន']) {
    await box.fill(word);
    await expect(pages.getByRole('button', { name: 'khmer-hearing-note.txt, page 1' })).toBeVisible();
    await expect(pages.getByRole('button', { name: /^khmer-hearing-note\.pdf, page \d+$/ })).toBeVisible();
    // The PDF's stored text is its words as written (each cluster's /ActualText read in a worker at intake).
    await expect(result('khmer-hearing-note.pdf, page 1').locator('mark').first()).toContainText(word);
  }

  // A word on every page of the report and the IPU decision, and in the other files: the first 25 hits, then more on asking.
  await box.fill('the');
  await expect(search.getByRole('status')).toHaveText('The first 25 results');
  await search.getByRole('button', { name: 'Show more results' }).click();
  // All 28: hits past the first 26 come only from the second, larger search.
  await expect(search.getByRole('status')).toHaveText('28 results');
  await expect(search.getByRole('button', { name: 'Show more results' })).toHaveCount(0);

  // A word only on page 12 of the report opens page 12 with the word marked.
  await box.fill('consultative');
  await pages.getByRole('button', { name: `${REPORT}, page 12` }).click();
  const report = page.getByRole('region', { name: `Viewing ${REPORT}` });
  await expect(report.getByRole('searchbox', { name: /Find/ })).toHaveValue('consultative');
  const page12 = report.getByRole('region', { name: 'Page 12', exact: true });
  await expect(page12.locator('.find-match.current').first()).toBeVisible({ timeout: 20_000 });
  await expect(page12.locator('.find-match.current').first()).toContainText(/consult/i);

  // The index is stored only as an encrypted snapshot, written a few seconds after it last changed (one
  // more content blob beside the documents'): once it is there, none of the indexed words is readable at rest.
  const storedContent = () =>
    page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('evidence-vault');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const rows = await new Promise<{ tag: string }[]>((resolve, reject) => {
        const request = db.transaction('blobs').objectStore('blobs').getAll();
        request.onsuccess = () => resolve(request.result as { tag: string }[]);
        request.onerror = () => reject(request.error ?? new Error('read failed'));
      });
      db.close();
      return rows.filter((row) => row.tag !== '').length;
    });
  await expect.poll(storedContent, { timeout: 15_000 }).toBe(files.length + 1);
  expect(leakedMarkers(await rawOriginDump(page), [NOTE_NOTE, 'ក្រមព្រហ្មទណ្ឌ', 'consultative', 'Article 494'])).toEqual(
    [],
  );

  // After a lock, the next unlock searches from the stored snapshot: the same results.
  await lock(page);
  await unlock(page);
  await page.keyboard.press('Control+k');
  const again = page.getByRole('search', { name: 'Search' });
  await again.getByRole('searchbox', { name: 'Search' }).fill('494');
  await expect(
    again.getByRole('region', { name: 'Document pages' }).getByRole('button', { name: `${LETTER}, page 1` }),
  ).toBeVisible();
  await expect(
    again.getByRole('region', { name: 'Annotations' }).getByRole('button', { name: `${LETTER}, page 1` }),
  ).toBeVisible();
});
