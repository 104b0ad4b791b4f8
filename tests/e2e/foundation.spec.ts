import { test, expect } from './fixtures';

test('the app opens, its crypto engine passes the self-test, and no Node API leaks into the page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Evidence Vault' })).toBeVisible();
  await expect(page.getByText(/Encryption engine ready \(libsodium 1\.0\.\d+\)/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
  await expect(page.getByText('Browser preview')).toBeVisible();

  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    vaultHost: typeof window.vaultHost,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', vaultHost: 'undefined' });
});

test('the page is served with the strict CSP, as a header and a meta tag', async ({ page, watch }) => {
  const response = await page.goto('/');
  const header = response?.headers()['content-security-policy'] ?? '';
  expect(header).toContain("default-src 'none'");
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).not.toContain("'unsafe-eval'");
  expect(header).not.toContain("'unsafe-inline'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(`${meta}; frame-ancestors 'none'`).toBe(header);

  // An inline script and a remote image are refused.
  const blocked = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    const violations = (window as unknown as { __cspViolations: string[] }).__cspViolations;
    const ran = (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const found = violations.splice(0);
    return { ran, found };
  });
  expect(blocked.ran).toBe(false);
  expect(blocked.found.some((entry) => entry.startsWith('script-src'))).toBe(true);
  // The refusal is logged; it was the point of this test, so it is not an error here.
  await expect.poll(() => watch.consoleErrors.length).toBeGreaterThan(0);
  const expected = watch.consoleErrors.filter((text) => text.includes('Executing inline script violates'));
  expect(expected.length).toBe(watch.consoleErrors.length);
  watch.consoleErrors.length = 0;
});

test('switching to Khmer translates every visible string with the bundled font, and the choice persists', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText(/Encryption engine ready/)).toBeVisible();
  const englishText = await page.locator('body').innerText();

  await page.getByLabel('Language').selectOption('km');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ឃ្លាំងភស្តុតាង');
  await expect(page.locator('html')).toHaveAttribute('lang', 'km');
  await expect(page.getByText(/ម៉ាស៊ីនអ៊ិនគ្រីបរួចរាល់/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'បង្កើតឃ្លាំង' })).toBeVisible();

  const khmerText = await page.locator('body').innerText();
  expect(khmerText).not.toBe(englishText);
  // No raw catalog key (e.g. "engine.ready") is shown anywhere.
  expect(khmerText).not.toMatch(/\b[a-z]+\.[a-z][A-Za-z]*(\.[a-zA-Z]+)*\b/);

  const font = await page.evaluate(async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter((face) => face.family.replaceAll('"', '') === 'Noto Sans Khmer');
    return {
      usable: document.fonts.check('16px "Noto Sans Khmer"', 'ឃ្លាំង'),
      loaded: faces.some((face) => face.status === 'loaded'),
    };
  });
  expect(font).toEqual({ usable: true, loaded: true });
  const headingFont = await page
    .getByRole('heading', { level: 1 })
    .evaluate((element) => getComputedStyle(element).fontFamily);
  expect(headingFont).toContain('Noto Sans Khmer');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ឃ្លាំងភស្តុតាង');

  await page.getByLabel('ភាសា').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Evidence Vault');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('without WebAssembly the crypto self-test fails closed: no vault can be created or opened', async ({
  page,
  watch,
}) => {
  // Serve everything with a CSP that forbids WebAssembly, as a misconfigured build would.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    const policy = headers['content-security-policy'];
    if (policy) headers['content-security-policy'] = policy.replace(" 'wasm-unsafe-eval'", '');
    let body = await response.body();
    if (route.request().resourceType() === 'document')
      body = Buffer.from(body.toString('utf8').replace(" 'wasm-unsafe-eval'", ''));
    await route.fulfill({ response, headers, body });
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('failed its self-test', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Create vault' })).toHaveCount(0);
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveCount(0);
  // The refusals were the point of this test.
  await page.waitForTimeout(200);
  watch.consoleErrors.length = 0;
  watch.cspViolations.length = 0;
  await page.evaluate(() => ((window as unknown as { __cspViolations: string[] }).__cspViolations.length = 0));
});
