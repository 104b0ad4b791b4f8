import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { createVault, newCaseWith, selectText } from './vault-helpers';
import { readPdfPages } from '../support/read-pdf';

const NAME = 'khmer-hearing-note.pdf';
const NOTE = 'Zqnote សាក្សីបាននិយាយថា សវនាការមិនបើកចំហ';
const WHERE = 'សាលាដំបូងរាជធានីភ្នំពេញ';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a highlight with a Khmer note and a region come out as PDF annotations of an annotated copy', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCaseWith(page, 'Court case', [NAME]);
  await page.getByRole('button', { name: `Open ${NAME}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${NAME}` });
  const pdfPage = view.getByRole('region', { name: 'Page 1', exact: true });
  await expect(pdfPage).toHaveAttribute('data-text-rendered', 'true', { timeout: 20_000 });

  // A whole Khmer line of the text layer, highlighted with a note.
  const line = pdfPage
    .locator('.textLayer > span')
    .filter({ hasText: /[\u1780-\u17FF]{6}/ })
    .first();
  const quote = await selectText(line, 0, (await line.innerText()).length);
  await page.getByRole('toolbar', { name: 'Annotate the selection' }).getByRole('button', { name: 'Note' }).click();
  let editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill(NOTE);
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(NOTE)).toBeVisible();

  // A region from 20 % to 50 % of the page's width, near its top.
  await view.getByRole('button', { name: 'Draw a region' }).click();
  await pdfPage.scrollIntoViewIfNeeded();
  const box = (await pdfPage.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 120, { steps: 5 });
  await page.mouse.up();
  editor = view.getByRole('form', { name: 'Edit annotation' });
  await editor.getByLabel('Note').fill('Zqregion the court stamp');
  await editor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(pdfPage.locator('.region[data-annotation-id]')).toHaveCount(1);

  // A Khmer provenance, which the summary page prints in the bundled Khmer font.
  await view.getByRole('tab', { name: 'Details' }).click();
  await view.getByLabel('Obtained where').fill(WHERE);
  await view.getByRole('button', { name: 'Save provenance' }).click();
  await expect(view.getByText('Provenance saved (encrypted).')).toBeVisible();

  const download = page.waitForEvent('download');
  await view.getByRole('button', { name: 'Save annotated copy' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('khmer-hearing-note (annotated).pdf');
  const bytes = new Uint8Array(readFileSync(await saved.path()));
  await expect(
    view.getByText(`Annotated copy saved and read back (SHA-256 ${sha256(bytes)}): 2 annotations`),
  ).toBeVisible();

  // The original, byte for byte, is the copy's start: every page and content stream of it is unchanged.
  const original = new Uint8Array(readFileSync(new URL(`../fixtures/${NAME}`, import.meta.url)));
  expect(sha256(bytes.subarray(0, original.byteLength))).toBe(sha256(original));

  const pages = await readPdfPages(bytes);
  expect(pages).toHaveLength(2);
  const [first, summary] = pages as [(typeof pages)[0], (typeof pages)[0]];
  const highlight = first.annotations.find((annotation) => annotation.subtype === 'Highlight')!;
  expect(highlight.contentsObj.str).toBe(NOTE);
  // Its rectangle covers the quote's run of text, as pdf.js places it in the copy.
  const run = first.items.find((item) => item.str.includes(quote))!;
  const [left, bottom, right, top] = highlight.rect as [number, number, number, number];
  expect(Math.abs(left - run.x)).toBeLessThan(3);
  expect(Math.abs(right - (run.x + run.width))).toBeLessThan(3);
  expect(bottom).toBeLessThan(run.y + run.height / 2);
  expect(top).toBeGreaterThan(run.y);
  expect(highlight.quadPoints!.length % 8).toBe(0);

  const region = first.annotations.find((annotation) => annotation.subtype === 'Square')!;
  expect(region.contentsObj.str).toBe('Zqregion the court stamp');
  const pageWidth = 595.92;
  expect(Math.abs(region.rect[0]! - pageWidth * 0.2)).toBeLessThan(3);
  expect(Math.abs(region.rect[2]! - region.rect[0]! - pageWidth * 0.3)).toBeLessThan(3);

  expect(summary.text).toContain(sha256(original));
  expect(summary.text).toContain(`File name: ${NAME}`);
  // Khmer comes back from the page's text as it was typed (the font's ToUnicode, in logical order).
  expect(summary.items.map((item) => item.str).join('')).toContain(`Obtained where: ${WHERE}`);
});
