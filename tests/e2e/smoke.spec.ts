import { SMOKE_STEPS } from '../../electron/host-api';
import { test, expect } from './fixtures';

test('the smoke check (/?smoke=1) passes its three steps in Chromium, touching no vault', async ({ page }) => {
  await page.goto('/?smoke=1');
  await expect(page.getByRole('heading', { level: 1, name: 'Start-up check' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-smoke', 'passed', { timeout: 45_000 });

  const steps = page.locator('[data-smoke-step]');
  await expect(steps).toHaveCount(SMOKE_STEPS.length);
  for (const step of SMOKE_STEPS) {
    await expect(page.locator(`[data-smoke-step="${step}"]`)).toHaveAttribute('data-state', 'passed');
  }
  await expect(page.locator('[data-smoke-step="self-test"]')).toContainText(/libsodium 1\.0\.\d+/);
  await expect(page.locator('[data-smoke-step="pdf-render"]')).toContainText(/page 1 rendered/);
  await expect(page.getByRole('status')).toHaveText('All checks passed. Evidence Vault can run on this computer.');

  // The storage check deleted its throwaway database, and the vault's own was never created.
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name));
  expect(databases).toEqual([]);
});

test('without the marker the app starts as usual', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Evidence Vault' })).toBeVisible();
  await expect(page.locator('html')).not.toHaveAttribute('data-smoke');
  await expect(page.locator('[data-smoke-step]')).toHaveCount(0);
});
