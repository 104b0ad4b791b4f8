import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounceWithMaxWait } from '../../../renderer/src/session/debounce';
import { DRAFT_MAX_WAIT_MS, DRAFT_PAUSE_MS } from '../../../renderer/src/session/use-draft';

describe('debounce with a longest wait (draft saves)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Times (ms from the start) at which `run` ran, for keystrokes at `keys` ms. */
  function runsFor(keys: number[], until: number, wait = DRAFT_PAUSE_MS, maxWait = DRAFT_MAX_WAIT_MS): number[] {
    const start = Date.now();
    const runs: number[] = [];
    const debounced = debounceWithMaxWait(() => runs.push(Date.now() - start), wait, maxWait);
    let at = 0;
    for (const key of keys) {
      vi.advanceTimersByTime(key - at);
      at = key;
      debounced.schedule();
    }
    vi.advanceTimersByTime(until - at);
    return runs;
  }

  it('saves once typing pauses', () => {
    expect(runsFor([0, 100, 200], 2000)).toEqual([200 + DRAFT_PAUSE_MS]);
  });

  it('saves at least every two seconds while typing goes on without a pause', () => {
    // A keystroke every 120 ms for 7 s: a plain debounce would save once, at the end.
    const keys = Array.from({ length: 59 }, (_, index) => index * 120);
    const runs = runsFor(keys, 8000);
    // The first keystroke after a save starts the next longest wait.
    expect(runs).toEqual([2000, 4040, 6080, keys.at(-1)! + DRAFT_PAUSE_MS]);
    // No keystroke waits more than two seconds for a save that includes it.
    for (const key of keys) expect(runs.find((run) => run >= key)! - key).toBeLessThanOrEqual(DRAFT_MAX_WAIT_MS);
  });

  it('restarts the longest wait after each save, and saves nothing after a cancel', () => {
    expect(runsFor([0, 2100], 5000)).toEqual([DRAFT_PAUSE_MS, 2100 + DRAFT_PAUSE_MS]);
    const runs: number[] = [];
    const debounced = debounceWithMaxWait(() => runs.push(1), 250, 2000);
    debounced.schedule();
    vi.advanceTimersByTime(100);
    debounced.cancel();
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual([]);
  });
});
