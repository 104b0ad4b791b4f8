import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, expectLocked, lock, newCase, unlock, openCaseTab } from './vault-helpers';

const CASE_TITLE = 'Zqrestart case of the defender';

const vaultWorkers = (page: Page) => page.workers().filter((worker) => worker.url().includes('vault.worker'));

/** Rows of the vault's raw IndexedDB stores that hold encrypted content, read without the app's code. */
async function contentRows(page: Page): Promise<{ pendingBlobs: number; chunks: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('evidence-vault');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('read failed'));
      });
    const blobs = (await all('blobs')) as { tag: string }[];
    const chunks = await all('chunks');
    db.close();
    return { pendingBlobs: blobs.filter((blob) => blob.tag === '').length, chunks: chunks.length };
  });
}

test('a lock ends the vault worker; a fresh one unlocks, and the user is back where they were', async ({ page }) => {
  await createVault(page);
  await newCase(page, CASE_TITLE);
  await openCaseTab(page, 'Documents');
  await expect(page.getByRole('heading', { name: 'Source documents' })).toBeVisible();

  const [before] = vaultWorkers(page);
  expect(before).toBeDefined();
  expect(vaultWorkers(page)).toHaveLength(1);
  const ended = before!.waitForEvent('close', { timeout: 10_000 });
  await lock(page);
  await ended;
  // Exactly one vault worker runs: the new one; the old heap (keys, decrypted values) went with the old one.
  await expect.poll(() => vaultWorkers(page).length).toBe(1);
  expect(vaultWorkers(page)[0]).not.toBe(before);

  // Two lock requests at once (the shortcut twice) still leave exactly one worker.
  await unlock(page);
  const [second] = vaultWorkers(page);
  const secondEnded = second!.waitForEvent('close', { timeout: 10_000 });
  await page.keyboard.press('Control+L');
  await page.keyboard.press('Control+L');
  await expectLocked(page);
  await secondEnded;
  await expect.poll(() => vaultWorkers(page).length).toBe(1);

  // The CDP view agrees: one dedicated worker for the vault, in this page's browser context (the browser also
  // holds the contexts of other tests this worker ran, each with its own vault).
  const cdp = await page.context().newCDPSession(page);
  const { targetInfo: own } = (await cdp.send('Target.getTargetInfo')) as {
    targetInfo: { browserContextId: string };
  };
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { url: string; browserContextId: string }[];
  };
  await cdp.detach();
  expect(
    targetInfos.filter(
      (target) => target.url.includes('vault.worker') && target.browserContextId === own.browserContextId,
    ),
  ).toHaveLength(1);

  await unlock(page);
  // Where the user was is kept across the lock: the case is still open.
  await expect(page.getByRole('heading', { name: 'Source documents' })).toBeVisible();
  await page.getByRole('button', { name: 'Cases' }).click();
  // In the case list only: the case's history lists its title too.
  await expect(
    page.getByRole('list', { name: 'Cases' }).getByRole('listitem').filter({ hasText: CASE_TITLE }),
  ).toBeVisible();
});

test('a file being attached when the vault locks leaves nothing behind', async ({ page }) => {
  test.setTimeout(120_000);
  await createVault(page);
  await newCase(page, CASE_TITLE);
  await openCaseTab(page, 'Documents');

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  // 32 MiB of noise: long enough to be under way when the lock comes.
  const big = Buffer.alloc(32 * 1024 * 1024);
  for (let offset = 0; offset < big.length; offset += 4) big.writeUInt32LE((offset * 2654435761) >>> 0, offset);
  await (await chooser).setFiles({ name: 'long-recording.bin', mimeType: 'application/octet-stream', buffer: big });
  await expect(page.getByText('long-recording.bin — encrypting')).toBeVisible();
  // The one vault worker that holds the keys (a worker ended earlier may still be listed for a moment).
  await expect.poll(() => vaultWorkers(page).length).toBe(1);
  const [before] = vaultWorkers(page);
  const ended = before!.waitForEvent('close', { timeout: 10_000 });
  await lock(page);
  await ended;
  await expect.poll(() => vaultWorkers(page).length).toBe(1);
  expect(vaultWorkers(page)[0]).not.toBe(before);

  await unlock(page);
  await expect(page.getByRole('heading', { name: 'Source documents' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'long-recording.bin' })).toHaveCount(0);
  // No pending intake row, and not the file's 32 chunks: the search snapshot's few chunks at most.
  const rows = await contentRows(page);
  expect(rows.pendingBlobs).toBe(0);
  expect(rows.chunks).toBeLessThan(10);

  // The vault works as before: a small file attaches.
  const again = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await again).setFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('after the lock') });
  await expect(page.getByRole('row').filter({ hasText: 'note.txt' }).first()).toBeVisible({ timeout: 30_000 });
});
