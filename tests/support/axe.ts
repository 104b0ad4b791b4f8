import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * axe for a page of the app, run in the page itself (`axe.run`). The app has no cross-origin frames, and the
 * default way (`runPartial` in every frame, then `finishRun` in a blank page it opens, axe injected into each)
 * took about 4 s an analysis on a loaded CI machine, which put the screen tour past its time limit.
 */
export const axeOn = (page: Page): AxeBuilder => new AxeBuilder({ page }).setLegacyMode(true);
