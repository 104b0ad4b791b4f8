import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  attachFixtures,
  createVault,
  leakedMarkers,
  lock,
  newCaseWith,
  rawOriginDump,
  selectText,
  unlock,
} from './vault-helpers';

/** Leaves the reader (if it is open) for the page it was opened from. */
async function leaveReader(page: Page): Promise<void> {
  const back = page.getByRole('button', { name: 'Back', exact: true });
  if (await back.isVisible()) await back.click();
}

/** Opens a document of the shown case in the reader. */
async function open(page: Page, name: string): Promise<Locator> {
  await leaveReader(page);
  await page.getByRole('button', { name: `Open ${name}` }).click();
  return page.getByRole('region', { name: `Viewing ${name}` });
}

/** Highlights the selection from the toolbar beside it, opening the new annotation's note. */
async function highlightWithNote(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Annotate the selection' }).getByRole('button', { name: 'Note' }).click();
}

async function drawRegion(page: Page, view: Locator, surface: Locator): Promise<void> {
  await view.getByRole('button', { name: 'Draw a region' }).click();
  await surface.scrollIntoViewIfNeeded();
  const box = (await surface.boundingBox())!;
  // From 20 % to 50 % of the width, near the top (the rest may be scrolled out of view).
  await page.mouse.move(box.x + box.width * 0.2, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 120, { steps: 5 });
  await page.mouse.up();
}

test('a highlight on page 3 of the report keeps its words, note and tags across a lock', async ({ page }) => {
  test.setTimeout(120_000);
  await createVault(page);
  await newCaseWith(page, 'Report case', ['sg-report-ohchr-cambodia-2025-09-12.pdf']);
  let view = await open(page, 'sg-report-ohchr-cambodia-2025-09-12.pdf');
  await view.getByRole('spinbutton', { name: /^Page/ }).fill('3');
  const page3 = view.getByRole('region', { name: 'Page 3', exact: true });
  await expect(page3).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });

  // A sentence-long run of the page's text layer: the longest line on the page.
  const longest = await page3.locator('.textLayer > span').evaluateAll((spans) => {
    let best = 0;
    spans.forEach((span, index) => {
      if ((span.textContent ?? '').length > (spans[best]?.textContent ?? '').length) best = index;
    });
    return best;
  });
  const line = page3.locator('.textLayer > span').nth(longest);
  const selected = await selectText(line, 0, (await line.innerText()).length);
  expect(selected.length).toBeGreaterThan(30);
  await highlightWithNote(page);

  const editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill('Zqnote the monitor marked this line');
  await editor.getByLabel('Tags').fill('fair trial: public hearing, Zqtag article 494 incitement');
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  const sidebar = view.getByRole('complementary', { name: 'Annotations' });
  await expect(sidebar.getByText('Zqnote the monitor marked this line')).toBeVisible();
  await expect(page3.locator('mark.highlight')).not.toHaveCount(0);

  await lock(page);
  await unlock(page);
  // Back in the same reader (see the regions test below for why this is waited for). Reopened at once, the
  // document may still be loading when "Go to annotation" is clicked below: the reader must still go there.
  await expect(page.getByRole('region', { name: 'Viewing sg-report-ohchr-cambodia-2025-09-12.pdf' })).toBeVisible();
  view = await open(page, 'sg-report-ohchr-cambodia-2025-09-12.pdf');
  const after = view.getByRole('complementary', { name: 'Annotations' });
  await expect(after.getByText('Zqnote the monitor marked this line')).toBeVisible({ timeout: 20_000 });
  await expect(after.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText([
    'fair trial: public hearing',
    'Zqtag article 494 incitement',
  ]);
  await expect(after.locator('blockquote')).toHaveText(selected);
  await after.getByRole('button', { name: /^Go to annotation/ }).click();
  const marks = view.getByRole('region', { name: 'Page 3', exact: true }).locator('mark.highlight');
  await expect(marks.first()).toBeVisible({ timeout: 20_000 });
  expect((await marks.allInnerTexts()).join('')).toBe(selected);

  const dump = await (async () => {
    await lock(page);
    return rawOriginDump(page);
  })();
  expect(
    leakedMarkers(dump, [selected, 'Zqnote the monitor marked this line', 'Zqtag article 494 incitement']),
  ).toEqual([]);
});

/** What a selection of [from, to) in `text` becomes once both ends are widened to whole grapheme clusters. */
async function snapped(page: Page, text: string, from: number, to: number): Promise<string> {
  return page.evaluate(
    ([full, start, end]) => {
      const segments = [...new Intl.Segmenter('km', { granularity: 'grapheme' }).segment(full)];
      const first = segments.findLast((segment) => segment.index <= start)!;
      const last = segments.find((segment) => segment.index + segment.segment.length >= end)!;
      return full.slice(first.index, last.index + last.segment.length);
    },
    [text, from, to] as const,
  );
}

test('a Khmer selection ending inside a cluster snaps to the cluster edge, in text and PDF', async ({ page }) => {
  await createVault(page);
  await newCaseWith(page, 'Khmer case', ['khmer-hearing-note.txt', 'khmer-hearing-note.pdf']);

  // The PDF: inside one Khmer line of the text layer, from inside a cluster to inside another.
  const pdf = await open(page, 'khmer-hearing-note.pdf');
  const pdfPage = pdf.getByRole('region', { name: 'Page 1', exact: true });
  await expect(pdfPage).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });
  const khmerLine = pdfPage
    .locator('.textLayer > span')
    .filter({ hasText: /[\u1780-\u17FF]{6}/ })
    .first();
  const lineText = await khmerLine.innerText();
  await selectText(khmerLine, 1, 5);
  await highlightWithNote(page);
  await pdf.getByRole('form', { name: 'Edit annotation' }).getByRole('button', { name: 'Save annotation' }).click();
  const pdfExpected = await snapped(page, lineText, 1, 5);
  await expect(pdf.getByRole('complementary', { name: 'Annotations' }).locator('blockquote')).toHaveText(pdfExpected);
  expect(pdfExpected.length).toBeGreaterThan(4);

  const view = await open(page, 'khmer-hearing-note.txt');
  const text = view.getByLabel('khmer-hearing-note.txt');
  await expect(text).toContainText('វត្តមាន');
  const whole = await text.innerText();
  const start = whole.indexOf('វត្តមាន');
  // From inside the first cluster (after វ) to inside ត្ត (after its coeng).
  await selectText(text, start + 1, start + 3);
  await highlightWithNote(page);
  await view.getByRole('form', { name: 'Edit annotation' }).getByRole('button', { name: 'Save annotation' }).click();
  const expected = await snapped(page, whole, start + 1, start + 3);
  expect(expected.length).toBeGreaterThan(2);
  await expect(view.getByRole('complementary', { name: 'Annotations' }).locator('blockquote')).toHaveText(expected);
  await expect(text.locator('mark.highlight')).toHaveText(expected);
});

test('regions on the scan without text and on the photo persist across a lock', async ({ page }) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCaseWith(page, 'Scans case', ['scanned-letter-no-text-layer.pdf', 'photo-of-letter-page1.jpg']);

  let view = await open(page, 'scanned-letter-no-text-layer.pdf');
  const scanPage = view.getByRole('region', { name: 'Page 1', exact: true });
  await expect(scanPage).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });
  await drawRegion(page, view, scanPage);
  let editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Transcription').fill('Zqstamp of the provincial court');
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(scanPage.locator('.region[data-annotation-id]')).toHaveCount(1);

  view = await open(page, 'photo-of-letter-page1.jpg');
  const photo = view.getByRole('img', { name: 'photo-of-letter-page1.jpg' });
  await expect(photo).toBeVisible();
  await drawRegion(page, view, photo);
  editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill('Zqsignature of the clerk');
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.locator('.region[data-annotation-id]')).toHaveCount(1);

  // Locked straight after Save, while the note may still be on its way: the lock waits for a save already sent.
  await lock(page);
  await unlock(page);
  // Back where the user was: the photo's reader comes back once its document is read again. Waited for, or
  // leaving the reader could happen before it shows and the reader would then cover the list.
  await expect(page.getByRole('region', { name: 'Viewing photo-of-letter-page1.jpg' })).toBeVisible();
  view = await open(page, 'scanned-letter-no-text-layer.pdf');
  await expect(view.getByText('Zqstamp of the provincial court')).toBeVisible({ timeout: 20_000 });
  await expect(
    view.getByRole('region', { name: 'Page 1', exact: true }).locator('.region[data-annotation-id]'),
  ).toHaveCount(1, { timeout: 20_000 });
  view = await open(page, 'photo-of-letter-page1.jpg');
  await expect(view.getByText('Zqsignature of the clerk')).toBeVisible();
  const box = view.locator('.region[data-annotation-id]');
  await expect(box).toHaveCount(1);
  // Drawn from 20 % to 50 % of the width: stored in image pixels, shown at the same place.
  const photoBox = (await view.getByRole('img', { name: 'photo-of-letter-page1.jpg' }).boundingBox())!;
  const regionBox = (await box.boundingBox())!;
  expect(Math.abs(regionBox.x - (photoBox.x + photoBox.width * 0.2))).toBeLessThan(4);
  expect(Math.abs(regionBox.width - photoBox.width * 0.3)).toBeLessThan(4);
});

test('annotations exported as W3C JSON-LD re-import into another case of the same document and anchor', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCaseWith(page, 'First case', ['mission-letter-koet-saray-2025-07-17.txt']);
  let view = await open(page, 'mission-letter-koet-saray-2025-07-17.txt');
  let text = view.getByLabel('mission-letter-koet-saray-2025-07-17.txt');
  const whole = await text.innerText();
  const at = whole.indexOf('494');
  expect(at).toBeGreaterThan(0);
  const quote = await selectText(text, at - 20, at + 20);
  await highlightWithNote(page);
  const editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill('Zqexported note about the charge');
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText('Zqexported note about the charge')).toBeVisible();

  await leaveReader(page);
  await page.getByText('Annotations in this case (all documents)').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as W3C JSON-LD' }).click();
  const exported = await (await download).path();
  const json = JSON.parse((await import('node:fs')).readFileSync(exported, 'utf8')) as {
    '@context': unknown[];
    id: string;
    first: {
      id: string;
      items: {
        type: string;
        target: { source: { id: string; format: string }; selector: { type: string; value?: string }[] };
      }[];
    };
  };
  expect(json['@context'][0]).toBe('http://www.w3.org/ns/anno.jsonld');
  expect(json.id).toMatch(/^urn:evidence-vault:case:[0-9a-f]{32}:annotations$/);
  const [item] = json.first.items;
  expect(item?.type).toBe('Annotation');
  // Named by RFC 6920 hash; plain text located by an RFC 5147 char range, with no page.
  expect(item?.target.source).toMatchObject({
    id: expect.stringMatching(/^ni:\/\/\/sha-256;[\w-]{43}$/),
    format: 'text/plain',
  });
  expect(item?.target.selector.map((selector) => selector.type)).toEqual([
    'TextQuoteSelector',
    'TextPositionSelector',
    'FragmentSelector',
  ]);
  expect(item?.target.selector[2]?.value).toMatch(/^char=\d+,\d+$/);

  await leaveReader(page);
  await newCaseWith(page, 'Second case', ['mission-letter-koet-saray-2025-07-17.txt']);
  await page.getByText('Annotations in this case (all documents)').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import W3C JSON-LD' }).click();
  await (await chooser).setFiles(exported);
  await expect(page.getByText('Imported 1 annotation.', { exact: false })).toBeVisible();

  view = await open(page, 'mission-letter-koet-saray-2025-07-17.txt');
  text = view.getByLabel('mission-letter-koet-saray-2025-07-17.txt');
  await expect(view.getByText('Zqexported note about the charge')).toBeVisible();
  await expect(text.locator('mark.highlight')).toHaveText(quote);
  await expect(view.getByText(/orphaned/)).toHaveCount(0);
});

test('keyboard: highlight a selection, edit its note and link it to a person of the case, move between annotations', async ({
  page,
}) => {
  await createVault(page);
  await page.getByRole('button', { name: 'New case' }).click();
  await page.getByLabel('Title').fill('Keyboard case');
  await page.getByRole('button', { name: 'Add person' }).click();
  await page.getByRole('group', { name: 'Person 1' }).getByLabel('Name').fill('Koet Saray');
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  await attachFixtures(page, ['mission-letter-koet-saray-2025-07-17.txt']);
  const view = await open(page, 'mission-letter-koet-saray-2025-07-17.txt');
  const text = view.getByLabel('mission-letter-koet-saray-2025-07-17.txt');
  await expect(text).toContainText('494');

  for (const [from, to] of [
    [0, 12],
    [40, 60],
  ] as const) {
    await selectText(text, from, to);
    await page.keyboard.press('Control+Shift+H');
    const editor = view.getByRole('form', { name: 'Edit annotation' });
    await expect(editor.getByLabel('Note')).toBeFocused();
    await page.keyboard.type(`Zqkeyboard note ${from}`);
    await editor.getByLabel('Linked case fact').selectOption({ label: 'Koet Saray (Accused)' });
    await editor.getByRole('button', { name: 'Save annotation' }).press('Enter');
    await expect(view.getByText(`Zqkeyboard note ${from}`)).toBeVisible();
  }
  await expect(view.getByText('Linked to: Koet Saray (Accused)')).toHaveCount(2);

  await page.keyboard.press('Alt+ArrowDown');
  await expect(text.locator('mark.flash')).toHaveCount(1);
  const first = await text.locator('mark.flash').innerText();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(text.locator('mark.flash')).toHaveCount(1);
  await expect(text.locator('mark.flash')).not.toHaveText(first);

  // Deleting asks first; Cancel keeps it, confirming removes it.
  const sidebar = view.getByRole('complementary', { name: 'Annotations' });
  await sidebar
    .getByRole('button', { name: /^Delete annotation:/ })
    .first()
    .click();
  await sidebar.getByRole('button', { name: 'Cancel' }).click();
  await expect(sidebar.getByText(/^Zqkeyboard note/)).toHaveCount(2);
  await sidebar
    .getByRole('button', { name: /^Delete annotation:/ })
    .first()
    .click();
  await sidebar.getByRole('button', { name: 'Delete annotation', exact: true }).click();
  await expect(sidebar.getByText(/^Zqkeyboard note/)).toHaveCount(1);
  await expect(text.locator('mark.highlight')).toHaveCount(1);
});
