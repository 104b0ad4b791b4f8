import { expect, test } from './fixtures';
import { createVault, newCase, randomFileDrop } from './vault-helpers';

/** Big enough that sealing and storing it takes seconds on a loaded 2-core machine; made in the page, not committed. */
const FILE_MIB = 96;

test('attaching a large file moves the bar with the bytes stored, then lists the file', async ({ page }) => {
  test.setTimeout(90_000);
  await createVault(page);
  await newCase(page, 'Progress case');
  await page.getByRole('tab', { name: 'Documents', exact: true }).click();

  const files = await randomFileDrop(page, 'large-recording.bin', FILE_MIB);
  // Every value the overall bar takes, recorded in the page (polling from here would miss quick steps).
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __barValues: number[] }).__barValues = seen;
    const sample = () => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="All files"]');
      if (bar && bar.value !== seen.at(-1)) seen.push(bar.value);
      if (!bar || bar.value < bar.max) setTimeout(sample, 50);
    };
    sample();
  });
  await page.locator('section.documents').dispatchEvent('drop', { dataTransfer: files });

  const row = page.getByRole('row').filter({ hasText: 'large-recording.bin' });
  await expect(row).toBeVisible({ timeout: 60_000 });
  const values = await page.evaluate(() => (window as unknown as { __barValues: number[] }).__barValues);
  const total = FILE_MIB * 1024 * 1024;
  // It rose in steps (at least three before it was full), never went back, and ended full.
  const rises = values.filter((value, index) => index > 0 && value > values[index - 1]!);
  expect(rises.filter((value) => value < total).length, `bar values ${values.join(', ')}`).toBeGreaterThanOrEqual(3);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(values.at(-1)).toBe(total);
  await expect(page.getByRole('progressbar', { name: 'large-recording.bin' })).toHaveAttribute('value', String(total));
});
