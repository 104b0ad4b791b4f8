import { test as base, expect, type Page } from '@playwright/test';

/** What a page did during one test, checked after it. */
export interface PageWatch {
  requests: string[];
  consoleErrors: string[];
  cspViolations: string[];
}

async function readCspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/**
 * Every end-to-end test runs with a watch on its page: it fails if the page
 * logged an error (a missing i18n key logs one), broke the CSP, or requested
 * anything outside the app's own origin.
 */
export const test = base.extend<{ watch: PageWatch }>({
  watch: [
    async ({ page, baseURL }, use) => {
      const watch: PageWatch = { requests: [], consoleErrors: [], cspViolations: [] };
      await page.addInitScript(() => {
        const violations: string[] = [];
        (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
        document.addEventListener('securitypolicyviolation', (event) => {
          violations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      page.on('request', (request) => watch.requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') watch.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => watch.consoleErrors.push(String(error)));
      await use(watch);

      if (!page.isClosed()) watch.cspViolations.push(...(await readCspViolations(page).catch(() => [])));
      const origin = new URL(baseURL ?? '').origin;
      const foreign = watch.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:'));
      expect(foreign, 'requests outside the app origin').toEqual([]);
      expect(watch.consoleErrors, 'console errors').toEqual([]);
      expect(watch.cspViolations, 'CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
