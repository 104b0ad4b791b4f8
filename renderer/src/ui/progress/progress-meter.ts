/**
 * One throttled progress reporter for every long task (attaching files, bundles, backups, restores, re-keys):
 * the work reports each step it finishes, as often as it likes; the screen hears at most every `intervalMs`,
 * always with the latest figures, and once more at the end. Speed is measured over the last few seconds of
 * reports, so it follows the disk as it is now rather than the average since the start.
 */

/** What a progress bar shows: the amount done (bytes or items) out of a total, and how fast it goes. */
export interface ProgressSnapshot {
  done: number;
  total: number;
  /** Milliseconds since the task began. */
  elapsedMs: number;
  /** Amount per second over the last few seconds; null until a second of reports is in. */
  perSecond: number | null;
  /** Seconds left at that speed; null while the speed is unknown (or nothing moves). */
  secondsLeft: number | null;
}

export interface ProgressMeterOptions {
  onUpdate: (snapshot: ProgressSnapshot) => void;
  /** The shortest gap between two updates (a bar that moves four times a second looks alive). */
  intervalMs?: number;
  /** How far back the speed looks. */
  windowMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

export interface ProgressMeter {
  /** The work so far; `total` may change (a backup's estimate grows). Cheap: call it after every step. */
  report(done: number, total: number): void;
  /** Shows the last figures at once and stops any update still waiting. */
  finish(): void;
  /** Drops any update still waiting, showing nothing more (the task was cancelled or the view left). */
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 250;
const DEFAULT_WINDOW_MS = 5000;
/** Below this much history the speed is a guess from one or two steps: not shown. */
const MIN_SPEED_SPAN_MS = 1000;

export function createProgressMeter(options: ProgressMeterOptions): ProgressMeter {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  /** Reports of the last `windowMs`, oldest first, plus the one just before them (the speed's base). */
  const samples: { at: number; done: number }[] = [{ at: startedAt, done: 0 }];
  let latest = { done: 0, total: 0 };
  let lastShownAt = -Infinity;
  let waiting: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function snapshot(): ProgressSnapshot {
    const at = now();
    const base = samples[0]!;
    const newest = samples.at(-1)!;
    const span = newest.at - base.at;
    const perSecond = span >= MIN_SPEED_SPAN_MS ? ((newest.done - base.done) * 1000) / span : null;
    const left = Math.max(0, latest.total - latest.done);
    return {
      done: latest.done,
      total: latest.total,
      elapsedMs: at - startedAt,
      perSecond,
      secondsLeft: perSecond !== null && perSecond > 0 ? left / perSecond : null,
    };
  }

  function show(): void {
    clearTimeout(waiting);
    waiting = undefined;
    lastShownAt = now();
    options.onUpdate(snapshot());
  }

  return {
    report(done, total) {
      if (stopped) return;
      const at = now();
      latest = { done, total };
      samples.push({ at, done });
      // Keep one sample older than the window, so the speed always spans the whole window.
      while (samples.length > 2 && samples[1]!.at <= at - windowMs) samples.shift();
      if (at - lastShownAt >= intervalMs) show();
      else waiting ??= setTimeout(show, lastShownAt + intervalMs - at);
    },
    finish() {
      if (stopped) return;
      stopped = true;
      show();
    },
    stop() {
      stopped = true;
      clearTimeout(waiting);
      waiting = undefined;
    },
  };
}
