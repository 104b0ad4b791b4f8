/**
 * Progress sent from the vault worker to the page for work that advances in many small steps (records merged,
 * rows read for the search index). Each send is a message across the worker boundary (a Comlink proxy call), so a
 * step is passed on only if `intervalMs` has gone by since the last one sent, or the work is complete; the page's
 * progress meter (ui/progress) throttles again for the screen. Figures never go back: a task that starts over (a
 * merge that found the vault changed) holds the bar where it was until it passes it. No timer is used: the
 * worker is busy while the work runs, and `flush` sends what was held back when a stage ends.
 */

export interface CountedProgress {
  done: number;
  total: number;
}

export interface ProgressRelay<T extends CountedProgress> {
  /** The work so far: cheap, call it after every step. */
  report(progress: T): void;
  /** Sends the last figures held back, if any (at the end of a stage, before a long wait). */
  flush(): void;
}

export function progressRelay<T extends CountedProgress>(
  send: ((progress: T) => unknown) | undefined,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressRelay<T> {
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let lastSentAt = -Infinity;
  let highest = -Infinity;
  let held: T | null = null;
  let lastSent: T | null = null;

  /** Nothing new to say: the same figures (and stage, if any) as last sent. */
  const unchanged = (progress: T) =>
    lastSent !== null && Object.keys(progress).every((key) => progress[key as keyof T] === lastSent![key as keyof T]);

  function sendNow(progress: T): void {
    held = null;
    progress = { ...progress, done: Math.min(progress.done, progress.total) };
    if (unchanged(progress)) return;
    lastSent = progress;
    lastSentAt = now();
    if (!send) return;
    try {
      // Over Comlink the call answers with a promise, rejected if the page has gone: nothing to do then.
      void Promise.resolve(send(progress)).catch(() => undefined);
    } catch {
      // A page that is gone, called in-process: the work goes on.
    }
  }

  return {
    report(progress) {
      if (progress.done < highest) return;
      highest = progress.done;
      if (progress.done >= progress.total || now() - lastSentAt >= intervalMs) sendNow(progress);
      else held = progress;
    },
    flush() {
      if (held) sendNow(held);
    },
  };
}
