// Builds the benchmark page, serves it on 127.0.0.1, runs every benchmark in
// Debian Chromium and prints one JSON line per result (also written to
// bench-results.json). Each result carries its own same-run baseline.
import { writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../tests/chromium.ts';

await build({ configFile: 'vite.bench.config.ts' });
const server = await preview({
  configFile: 'vite.bench.config.ts',
  preview: { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('The benchmark server did not start.');

const browser = await chromium.launch({
  executablePath: CHROMIUM_EXECUTABLE,
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'warning') console.error(`bench: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    failed = true;
    console.error(`benchmark page error: ${error.message}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
  const results = await page.evaluate(() => window.runBenchmarks(), undefined);
  for (const entry of results) console.log(JSON.stringify(entry));
  writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
