import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium';
import { createVault, newCase } from './vault-helpers';

interface NetLog {
  constants: { logEventTypes: Record<string, number> };
  events: { type: number; params?: { url?: string; initiator?: string; network_isolation_key?: string } }[];
}

/**
 * Every request Chromium's network stack started on behalf of pages of
 * `site` (its network isolation key names the page's site), read from the
 * NetLog. The browser's own background traffic (updates, accounts) has other
 * keys: it is Chromium's, not the app's, and Electron's main process cancels
 * it in the shell.
 */
function requestsForSite(path: string, site: string): string[] {
  const log = JSON.parse(readFileSync(path, 'utf8')) as NetLog;
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((event) => event.type === startJob)
    .filter((event) => (event.params?.network_isolation_key ?? '').split(' ').includes(site))
    .map((event) => event.params?.url ?? '');
}

test("Chromium's own network log shows requests only to the app's origin", async ({ baseURL }) => {
  const directory = await mkdtemp(join(tmpdir(), 'ev-netlog-'));
  const netLog = join(directory, 'netlog.json');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: [...CHROMIUM_ARGS, `--log-net-log=${netLog}`, '--net-log-capture-mode=Default'],
  });
  try {
    const page = await browser.newPage({ baseURL });
    await createVault(page);
    await newCase(page, 'Network watch case');
    await expect(page.getByText(/Encryption engine ready/)).toBeVisible();
    await page.getByLabel('Language').selectOption('km');
    await expect(page.locator('html')).toHaveAttribute('lang', 'km');
    await page.evaluate(() => document.fonts.ready);
    await page.close();
  } finally {
    await browser.close();
  }
  const origin = new URL(baseURL ?? '').origin;
  const site = `${new URL(origin).protocol}//${new URL(origin).hostname}`;
  const requests = requestsForSite(netLog, site);
  // The page, its script, style sheet, worker and fonts at least.
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
  await rm(directory, { recursive: true, force: true });
});
