// The `new-user` benchmark (issue 18): the app's own renderer, driven as a
// new user would drive it: create a vault, a case, attach the nine corpus
// files, wait for their text, search a few times. It measures the resident
// memory of the renderer process (page and its workers: dedicated workers run
// in the page's process) at each step, after a garbage collection. Goal:
// ≤ 350 MiB for the largest renderer process after these steps.
//
// Run by scripts/bench.mjs (`npm run bench -- new-user`), in the same
// Chromium as the other benchmarks, after them, with their page closed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview } from 'vite';

const PASSPHRASE = 'orchid lantern 47 granite meadow';
/** The corpus as a monitor would attach it: six PDFs (one a scan, one Khmer), a Khmer note, a phone photo. */
const CORPUS = [
  'sg-report-ohchr-cambodia-2025-09-12.pdf',
  'mission-letter-koet-saray-2025-07-17.pdf',
  'ipu-decision-cnrp-parliamentarians-2017-10-18.pdf',
  'hrn-statement-adhoc-defenders-2016-06-08.pdf',
  'camboja-ngos-restore-rights-2023-12.pdf',
  'scanned-letter-no-text-layer.pdf',
  'khmer-hearing-note.pdf',
  'khmer-hearing-note.txt',
  'photo-of-letter-page1.jpg',
];
const SEARCHES = ['incitement', 'Koet Saray', 'ក្រមព្រហ្មទណ្ឌ', 'parliament', 'human rights defenders'];
const GOAL_MIB = 350;

/** Resident memory of one process, in MiB (0 once it has ended). */
function processMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the scenario in `browser` (attached over CDP); `rendererPids` lists the
 * browser's renderer processes; `heap` is the runner's JS heap sampler (gc in
 * every thread). Returns bench results, one per measured step.
 */
export async function newUserMemory(browser, rendererPids, heap) {
  const dist = join(process.cwd(), 'node_modules/.cache/ev-bench-app');
  process.env.EV_DIST = dist;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  const server = await preview({
    configFile: 'vite.config.ts',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The app server did not start.');
  const page = await browser.contexts()[0].newPage();
  let largest = 0;
  const sampler = setInterval(() => {
    for (const pid of rendererPids()) largest = Math.max(largest, processMiB(pid));
  }, 100);
  /** The largest renderer process and all of them, after gc in every thread and a moment to hand memory back. */
  const settled = async () => {
    await heap.collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sizes = rendererPids().map(processMiB);
    return { largest: Math.max(0, ...sizes), all: sizes.reduce((sum, size) => sum + size, 0) };
  };
  const steps = [];
  let start = { largest: Number.NaN, all: Number.NaN };
  try {
    await page.goto(url);
    await page.getByLabel('Passphrase', { exact: true }).waitFor({ timeout: 60_000 });
    start = await settled();
    const step = async (label) => {
      const now = await settled();
      steps.push({ label, ...now, peak: largest });
      console.error(
        `bench: new user: ${label}: largest renderer ${now.largest.toFixed(0)} MiB (all ${now.all.toFixed(0)}; ` +
          `peak so far ${largest.toFixed(0)}) / first screen ${start.largest.toFixed(0)} MiB`,
      );
    };

    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    const key = page.getByRole('list', { name: 'Recovery key', exact: true });
    await key.waitFor({ timeout: 60_000 });
    const groups = await key.getByRole('listitem').allTextContents();
    for (const input of await page.getByRole('group', { name: 'Check your copy' }).getByRole('textbox').all()) {
      const label = await input.evaluate((element) => element.labels?.[0]?.textContent ?? '');
      await input.fill(groups[Number(/^Group (\d+)$/.exec(label)?.[1]) - 1]);
    }
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Lock vault' }).waitFor({ timeout: 60_000 });
    await step('vault created and unlocked');

    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByLabel('Title').fill('Koet Saray case file');
    await page.getByRole('button', { name: 'Save case' }).click();
    await page.getByText('All changes saved.').waitFor();
    const documentsTab = page.getByRole('tab', { name: 'Documents', exact: true });
    if (await documentsTab.isVisible()) await documentsTab.click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles(CORPUS.map((name) => join(process.cwd(), 'tests/fixtures', name)));
    for (const name of CORPUS)
      await page.getByRole('row').filter({ hasText: name }).first().waitFor({ timeout: 120_000 });
    // Text extraction runs after intake: a moment for the last one (the searches below check they are found).
    await page.waitForTimeout(5_000);
    await step('nine corpus files attached');

    for (const query of SEARCHES) {
      await page.keyboard.press('Control+k');
      const search = page.getByRole('search', { name: 'Search' });
      await search.getByRole('searchbox', { name: 'Search' }).fill(query);
      // Each query finds a page of the corpus (its text extracted and indexed by now, or the run fails here).
      await search
        .getByRole('region', { name: 'Document pages' })
        .getByRole('button')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.keyboard.press('Escape');
    }
    await step(`${SEARCHES.length} searches`);
  } finally {
    clearInterval(sampler);
    await page.close();
    await server.close();
  }
  return steps.map(({ label, largest: value, all, peak }) => ({
    name: `new user: ${label}: largest renderer process (page and its workers, resident after gc) / the same at the first screen (goal ≤ ${GOAL_MIB} MiB after the searches)`,
    value: Math.round(value),
    unit: 'MiB',
    baseline: Math.round(start.largest),
    ratio: value / start.largest,
    allRenderersMiB: Math.round(all),
    peakLargestRendererMiB: Math.round(peak),
  }));
}
