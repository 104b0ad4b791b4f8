// Builds the benchmark page, serves it on 127.0.0.1, runs every benchmark in
// Debian Chromium and prints one JSON line per result (also written to
// bench-results.json). Each result carries its own same-run baseline.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../tests/chromium.ts';
import { jsHeapSampler } from './js-heap.mjs';
import { newUserMemory } from './new-user-memory.mjs';

/** Resident memory of the given processes (Linux /proc), in MiB: renderer and its workers. */
function rssMiB(pids) {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kib += Number(match[1]);
    } catch {
      // the process ended
    }
  }
  return kib / 1024;
}

/** Chromium's renderer processes descending from the browser process `root`. */
function childPids(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid (after the parenthesised name).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended
    }
  }
  const found = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      queue.push(child);
      try {
        if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('--type=renderer')) found.push(child);
      } catch {
        // gone
      }
    }
  }
  return found;
}

// SCALE_REUSE=<folder> (a developer's quicker look, never the table): the scale benchmark keeps its generated vault
// in that Chromium profile and uses it again next time, if it is of the same size. IndexedDB belongs to an origin,
// so the server then takes a fixed port. The import into the largest vault, which changes it, is then left out.
const reuseProfile = process.env.SCALE_REUSE;
// Every other benchmark expects an empty origin: kept data would meet it.
if (reuseProfile && process.argv.slice(2).join(' ') !== 'scale')
  throw new Error('SCALE_REUSE is for `npm run bench -- scale` alone.');
await build({ configFile: 'vite.bench.config.ts' });
const server = await preview({
  configFile: 'vite.bench.config.ts',
  preview: reuseProfile
    ? { host: '127.0.0.1', port: 4199, strictPort: true }
    : { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('The benchmark server did not start.');

// A profile on disk, as the app's is: Playwright's own contexts keep IndexedDB in
// memory, which would make every plain-IndexedDB baseline faster than any real
// vault could be. So Chromium is started here with a user data directory and
// Playwright attaches to it over the DevTools protocol.
const profile = reuseProfile ?? mkdtempSync(join(tmpdir(), 'ev-bench-profile-'));
if (reuseProfile) mkdirSync(reuseProfile, { recursive: true });
const chromiumProcess = spawn(
  CHROMIUM_EXECUTABLE,
  [
    ...CHROMIUM_ARGS,
    '--headless=new',
    '--enable-precise-memory-info',
    // gc() in pages and workers, so a benchmark can measure what it retains rather than what is garbage.
    '--js-flags=--expose-gc',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    'about:blank',
  ],
  // Its own process group, so that every helper process goes when it does.
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
);
/** Stops Chromium and its helpers, removes the profile, closes the server: after a run or a failed start. */
async function stopChromium() {
  const exited = new Promise((resolve) =>
    chromiumProcess.exitCode === null ? chromiumProcess.on('exit', resolve) : resolve(),
  );
  try {
    process.kill(-chromiumProcess.pid, 'SIGTERM');
    await exited;
  } catch {
    // already gone
  }
  // Helper processes may still be closing files in the profile for a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (!reuseProfile) rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  await server.close();
}
const started = new Promise((resolve, reject) => {
  let said = '';
  const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${said}`)), 30_000);
  chromiumProcess.stderr.on('data', (data) => {
    said += String(data);
    const match = /DevTools listening on (ws:\S+)/.exec(said);
    if (match) {
      clearTimeout(timer);
      chromiumProcess.stderr.removeAllListeners('data');
      chromiumProcess.stderr.resume(); // drained, no longer kept
      resolve(match[1]);
    }
  });
  chromiumProcess.on('exit', (code) => reject(new Error(`Chromium exited (${code}): ${said}`)));
});
let browser;
try {
  browser = await chromium.connectOverCDP(await started);
} catch (error) {
  await stopChromium();
  throw error;
}
let failed = false;
try {
  const page = await browser.contexts()[0].newPage();
  page.on('console', (message) => {
    if (message.type() === 'warning') console.error(`bench: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    failed = true;
    console.error(`benchmark page error: ${error.message}`);
  });
  // SCALE_SIZES=10000 (comma-separated) runs the scale benchmark at those sizes only: a quicker look, not its table.
  const search = new URLSearchParams();
  if (process.env.SCALE_SIZES) search.set('scale-sizes', process.env.SCALE_SIZES);
  if (reuseProfile) search.set('scale-reuse', '1');
  const pageUrl = search.size > 0 ? `${url}?${search}` : url;
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
  // Only the benchmarks named on the command line, or all of them.
  const wanted = process.argv.slice(2);
  const all = await page.evaluate(() => window.benchmarkNames());
  const names = all.filter((name) => wanted.length === 0 || wanted.includes(name));
  const rendererPids = () => childPids(chromiumProcess.pid);
  // Phases a benchmark asks to watch (harness.watchMemory): peak resident memory above the phase's start.
  // Also the JS heap summed over the page and all its workers, sampled through DevTools.
  const phases = new Map();
  const heap = await jsHeapSampler(browser);
  // The JS heap in use now, summed over the page and every worker: with gc() (exposed by the flag below)
  // called first, what a benchmark keeps.
  await page.exposeFunction('benchHeapMiB', () => heap.usedMiB());
  // The renderer's resident memory now (page and workers), after a garbage collection in each and a moment for
  // terminated workers to hand their memory back: what a benchmark keeps.
  await page.exposeFunction('benchResidentMiB', async () => {
    await heap.collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return rssMiB(rendererPids());
  });
  await page.exposeFunction('benchMemory', async (phase, edge) => {
    if (edge === 'start') {
      const idle = rssMiB(rendererPids());
      const idleHeap = await heap.usedMiB();
      const watch = { idle, peak: idle, idleHeap, peakHeap: idleHeap, busy: false };
      watch.sampler = setInterval(() => {
        watch.peak = Math.max(watch.peak, rssMiB(rendererPids()));
        if (watch.busy) return;
        watch.busy = true;
        void heap.usedMiB().then((used) => {
          watch.peakHeap = Math.max(watch.peakHeap, used);
          watch.busy = false;
        });
      }, 50);
      phases.set(phase, watch);
    } else {
      const watch = phases.get(phase);
      if (watch) clearInterval(watch.sampler);
    }
  });
  const results = [];
  for (const name of names) {
    // Each benchmark starts from a fresh page and an empty origin: no worker of the last one holds the
    // database open, and benchmarks that create "the" vault do not meet the previous one's.
    await page.goto(pageUrl);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    if (!reuseProfile)
      await page.evaluate(async () => {
        for (const { name: database } of await indexedDB.databases())
          if (database)
            await new Promise((resolve, reject) => {
              const request = indexedDB.deleteDatabase(database);
              request.onsuccess = resolve;
              request.onerror = () => reject(request.error);
              request.onblocked = () => reject(new Error(`database ${database} is still open`));
            });
      });
    const idle = rssMiB(rendererPids());
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(rendererPids()))), 100);
    const measured = await page.evaluate((benchmark) => window.runBenchmark(benchmark), name);
    clearInterval(sampler);
    for (const { memoryPhase, ...entry } of measured) {
      const watched = memoryPhase === undefined ? undefined : phases.get(memoryPhase);
      const peakRssMiB = Math.round(watched ? watched.peak - watched.idle : peak - idle);
      const phaseMemory = watched
        ? { memoryPhase, peakJsHeapAllThreadsMiB: Math.round(watched.peakHeap - watched.idleHeap) }
        : {};
      const withMemory = { ...entry, peakRssMiB, ...phaseMemory };
      results.push(withMemory);
      console.log(JSON.stringify(withMemory));
    }
  }
  // The app itself as a new user drives it: after the page benchmarks, with their page closed.
  if (wanted.length === 0 || wanted.includes('new-user')) {
    await page.close();
    for (const entry of await newUserMemory(browser, rendererPids, heap)) {
      results.push(entry);
      console.log(JSON.stringify(entry));
    }
  }
  writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await browser.close();
  await stopChromium();
}
process.exit(failed ? 1 : 0);
