import { axeOn } from '../support/axe';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { setUpTourVault, visitRestoreScreen, visitScreens } from '../support/screen-tour';

/** Every control a user can press or type into, as boxes; none may sit on top of another. */
async function overlappingControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = [
      ...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [role="tab"]'),
    ].filter((element) => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !element.closest('[inert]');
    });
    const describe = (element: HTMLElement) =>
      `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
    const found: string[] = [];
    for (let i = 0; i < controls.length; i++)
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i]!;
        const b = controls[j]!;
        if (a.contains(b) || b.contains(a) || a.closest('label')?.contains(b) || b.closest('label')?.contains(a))
          continue;
        // A form's sticky action bar stays at the foot of the view by design, and what scrolls beneath it is
        // hidden by its background: only its own controls must not cover each other.
        if (Boolean(a.closest('.sticky-actions')) !== Boolean(b.closest('.sticky-actions'))) continue;
        const p = a.getBoundingClientRect();
        const q = b.getBoundingClientRect();
        const width = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const height = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        // A shared border pixel or two is not an overlap.
        if (width > 2 && height > 2) found.push(`${describe(a)} overlaps ${describe(b)}`);
      }
    return found;
  });
}

async function frameScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const frame = document.scrollingElement!;
    return frame.scrollWidth > frame.clientWidth + 1;
  });
}

// One test per language, each with its own tour vault: all sixty axe runs (colour contrast on) in one test took
// 2.8 min here and passed the 4 min limit on a slower CI machine.
for (const language of ['en', 'km'] as const) {
  test(`every main screen passes axe (colour contrast on), light and dark, in ${language === 'en' ? 'English' : 'Khmer'}`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1366, height: 768 });
    await setUpTourVault(page);
    if (language === 'km') await page.getByLabel('Language').selectOption('km');
    await visitScreens(page, async (name) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const result = await axeOn(page).analyze();
        const summary = result.violations.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
        expect(summary, `${language} ${colorScheme} ${name}`).toEqual([]);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });
  });
}

test('the first screen and its restore card pass axe in English and Khmer, light and dark', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const language of ['en', 'km'] as const) {
    await page.goto('/');
    await page.locator('select').first().selectOption(language);
    await visitRestoreScreen(page, async (name) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const result = await axeOn(page).analyze();
        const summary = result.violations.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
        expect(summary, `${language} ${colorScheme} ${name}`).toEqual([]);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });
  }
});

test('the frame never scrolls sideways at 1280×720, and at 200 % zoom no control covers another', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await setUpTourVault(page);
  await visitScreens(page, async (name) => {
    expect(await frameScrollsSideways(page), `1280×720 ${name}`).toBe(false);
    expect(await overlappingControls(page), `1280×720 ${name}`).toEqual([]);
  });
  // 200 % zoom of a 1366×768 screen: the page lays out in half the CSS pixels.
  await page.setViewportSize({ width: 683, height: 384 });
  await visitScreens(page, async (name) => {
    expect(await frameScrollsSideways(page), `200 % ${name}`).toBe(false);
    expect(await overlappingControls(page), `200 % ${name}`).toEqual([]);
  });
});
