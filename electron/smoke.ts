/**
 * The smoke launch (`npm start -- --smoke`, or EVIDENCE_VAULT_SMOKE=1): the
 * first thing to run on a new platform. The app starts as usual but in a
 * fresh, empty profile folder, and its window loads the entry page with
 * `?smoke=1`; the renderer then runs three checks (renderer/src/smoke) and
 * reports each one here. One line per step goes to stdout, and the process
 * exits 0 when every step passed, 1 naming the step that failed or that was
 * still awaited when the time ran out.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { App, BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { APP_INDEX_URL } from './app-protocol';
import { MAX_SMOKE_MESSAGE_LENGTH, SMOKE_REPORT_CHANNEL, SMOKE_STEPS, type SmokeStep } from './host-api';
import { IpcRefusedError, assertTrustedSender } from './ipc-handlers';

export const SMOKE_ARGUMENT = '--smoke';
export const SMOKE_ENV_VARIABLE = 'EVIDENCE_VAULT_SMOKE';
/** How long the whole run may take, from ready to the last report. */
export const SMOKE_TIMEOUT_MS = 90_000;
/** The entry page with the marker the renderer looks for. Loaded by the main
 * process only: the renderer itself may not navigate to a URL with a query
 * (web-contents-policy.ts). */
export const SMOKE_URL = `${APP_INDEX_URL}?smoke=1`;

/** True for `--smoke` among the arguments (argv[0] is the executable) or
 * EVIDENCE_VAULT_SMOKE=1 in the environment. */
export function isSmokeLaunch(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  return argv.slice(1).includes(SMOKE_ARGUMENT) || env[SMOKE_ENV_VARIABLE] === '1';
}

/**
 * Points the profile (IndexedDB, Chromium state, the single-instance lock) at
 * a new empty folder under the system's temp folder, so a smoke run never
 * opens, creates or locks a real vault. Must run before `ready` and before
 * the single-instance lock. The folder is left behind for inspection; it
 * holds nothing of the user's. Returns its path.
 */
export function useSmokeProfile(app: Pick<App, 'getPath' | 'setPath'>): string {
  const dir = mkdtempSync(path.join(app.getPath('temp'), 'evidence-vault-smoke-'));
  app.setPath('userData', dir);
  app.setPath('sessionData', dir);
  return dir;
}

// C0 and C1 controls (a terminal would act on escape sequences) and
// invisible direction overrides (they can disguise what a line says).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const smokeReportSchema = z.strictObject({
  step: z.enum(SMOKE_STEPS),
  ok: z.boolean(),
  message: z
    .string()
    .max(MAX_SMOKE_MESSAGE_LENGTH)
    .refine((message) => !UNPRINTABLE.test(message)),
});

const smokeArgumentsSchema = z.tuple([smokeReportSchema]);

export interface SmokeRunOptions {
  ipcMain: Pick<IpcMain, 'handle'>;
  /** The one window allowed to report (same check as every other channel). */
  getWindow: () => BrowserWindow | null;
  /** Ends the process with this status (app.exit). */
  exit: (code: number) => void;
  /** Writes one line of output (stdout). */
  print: (line: string) => void;
  /** Shown in the first line, so a failed run's profile can be inspected. */
  profileDir?: string;
  timeoutMs?: number;
}

export interface SmokeRun {
  /** Fails the run early when the page does not load, its renderer dies or the window closes. */
  watchWindow(win: BrowserWindow): void;
}

/** Registers the report channel and starts the clock. Call once, after `ready`. */
export function startSmokeRun(options: SmokeRunOptions): SmokeRun {
  const timeoutMs = options.timeoutMs ?? SMOKE_TIMEOUT_MS;
  let next = 0;
  let finished = false;

  const awaited = (): SmokeStep | 'report' => SMOKE_STEPS[next] ?? 'report';

  options.print(
    `smoke: started${options.profileDir === undefined ? '' : ` in the throwaway profile ${options.profileDir}`}`,
  );
  const timer = setTimeout(() => {
    fail(awaited(), `no report within ${Math.round(timeoutMs / 1000)} s`);
  }, timeoutMs);

  function finish(code: number, verdict: string): void {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    options.print(verdict);
    options.exit(code);
  }

  function fail(step: string, reason: string): void {
    finish(1, `smoke: FAILED at ${step}: ${reason}`);
  }

  function receive(event: IpcMainInvokeEvent, args: unknown[]): void {
    assertTrustedSender(event, options.getWindow());
    const parsed = smokeArgumentsSchema.safeParse(args);
    // Zod's own message may echo the input; ours never does.
    if (!parsed.success) throw new IpcRefusedError(`Invalid arguments for ${SMOKE_REPORT_CHANNEL}.`);
    const [report] = parsed.data;
    if (finished) return;
    // Steps arrive in order, each once: anything else is a renderer bug.
    if (report.step !== SMOKE_STEPS[next]) throw new IpcRefusedError('Smoke report out of order.');
    next += 1;
    const detail = report.message === '' ? '' : `: ${report.message}`;
    options.print(`smoke: ${report.step} ${report.ok ? 'ok' : 'FAILED'}${detail}`);
    if (!report.ok) finish(1, `smoke: FAILED at ${report.step}`);
    else if (next === SMOKE_STEPS.length) finish(0, `smoke: passed (${SMOKE_STEPS.length} steps)`);
  }

  // A refusal reaches the renderer as a rejected invoke.
  options.ipcMain.handle(
    SMOKE_REPORT_CHANNEL,
    (event, ...args: unknown[]) =>
      new Promise<void>((resolve) => {
        receive(event, args);
        resolve();
      }),
  );

  return {
    watchWindow(win) {
      win.webContents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
        if (isMainFrame) fail(awaited(), `the app page did not load (${errorDescription || 'error'} ${errorCode})`);
      });
      win.webContents.on('render-process-gone', (_event, details) => {
        fail(awaited(), `the renderer process ended (${details.reason})`);
      });
      win.on('closed', () => fail(awaited(), 'the window was closed'));
    },
  };
}
