/**
 * Runs `run` once calls pause for `waitMs`, and at the latest `maxWaitMs` after the first call not yet run, so
 * someone typing without a pause still has their work saved every `maxWaitMs` (a plain debounce would wait for
 * the pause). Lodash's debounce with `maxWait` does the same; this is the part of it the drafts need.
 */
export interface Debounced {
  /** Asks for a run: after the pause, or when the longest wait is up. */
  schedule(): void;
  /** Drops a run asked for and not yet made. */
  cancel(): void;
}

export function debounceWithMaxWait(run: () => void, waitMs: number, maxWaitMs: number): Debounced {
  let pause: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(pause);
    clearTimeout(deadline);
    pause = undefined;
    deadline = undefined;
  };
  const fire = () => {
    cancel();
    run();
  };
  return {
    schedule() {
      clearTimeout(pause);
      pause = setTimeout(fire, waitMs);
      deadline ??= setTimeout(fire, maxWaitMs);
    },
    cancel,
  };
}
