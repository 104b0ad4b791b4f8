import { useCallback, useEffect, useRef, useState } from 'react';
import { createProgressMeter, type ProgressMeter, type ProgressSnapshot } from './progress-meter';

/** The first figures of a task, shown before its first report. */
export function startingProgress(total = 0): ProgressSnapshot {
  return { done: 0, total, elapsedMs: 0, perSecond: null, secondsLeft: null };
}

/**
 * A progress meter bound to React state: `start` begins a task (and returns the meter its steps report to),
 * `clear` ends it; `progress` is what the bar shows, null when no task runs. Leaving the view stops the meter.
 */
export function useProgressMeter() {
  const [progress, setProgress] = useState<ProgressSnapshot | null>(null);
  const meter = useRef<ProgressMeter | null>(null);
  useEffect(() => () => meter.current?.stop(), []);

  const start = useCallback((total = 0): ProgressMeter => {
    meter.current?.stop();
    const next = createProgressMeter({ onUpdate: setProgress });
    meter.current = next;
    setProgress(startingProgress(total));
    return next;
  }, []);

  const clear = useCallback(() => {
    meter.current?.stop();
    meter.current = null;
    setProgress(null);
  }, []);

  return { progress, start, clear };
}
