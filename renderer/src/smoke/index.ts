/**
 * The smoke launch's renderer side (`npm start -- --smoke`, see
 * electron/smoke.ts): instead of the app, a minimal screen runs three
 * start-up checks — the vault worker's self-test, one IndexedDB write and
 * read in a throwaway database, one PDF page rendered — and reports each to
 * the shell. In a plain browser (`/?smoke=1`) the outcome is on the page:
 * `data-smoke` on <html> ends as "passed" or "failed", and each step's line
 * carries `data-smoke-step` and `data-state`.
 */
import type { VaultHostApi } from '../../../electron/host-api';
import type { VaultClient } from '../vault';
import { smokeChecks } from './checks';
import { runSmoke } from './progress';
import { mountSmokeScreen } from './SmokeScreen';

/** True when the page was opened with the smoke marker (`?smoke=1`). */
export function isSmokeRun(search: string): boolean {
  return new URLSearchParams(search).get('smoke') === '1';
}

/** Renders the smoke screen into `rootElement` and starts the checks. */
export function startSmoke(rootElement: HTMLElement, vault: VaultClient, host: VaultHostApi | undefined): void {
  const html = document.documentElement;
  html.dataset.smoke = 'running';
  const { progress } = runSmoke(smokeChecks(vault), host ? (report) => host.reportSmoke(report) : null, (verdict) => {
    html.dataset.smoke = verdict;
  });
  mountSmokeScreen(rootElement, progress);
}
