import { SMOKE_STEPS, type SmokeReport, type SmokeStep } from '../../../electron/host-api';
import { SMOKE_STEP_TIMEOUT_MS, describeError, reportMessage, withTimeout, type SmokeCheck } from './checks';

export type SmokeState = 'waiting' | 'running' | 'passed' | 'failed';
export type SmokeVerdict = 'running' | 'passed' | 'failed';

export interface SmokeStepStatus {
  step: SmokeStep;
  state: SmokeState;
  /** The line also sent to the terminal (English, technical). */
  message: string;
}

export interface SmokeSnapshot {
  steps: readonly SmokeStepStatus[];
  verdict: SmokeVerdict;
}

/** The run's state, for React (useSyncExternalStore) and for the page's data-smoke attribute. */
export interface SmokeProgress {
  subscribe: (listener: () => void) => () => void;
  snapshot: () => SmokeSnapshot;
}

/**
 * Runs every check in SMOKE_STEPS order (a failed one does not stop the
 * others, so the screen shows all three), reporting each as it ends.
 * `report` is the shell's bridge when there is one; its failures are
 * logged, never fatal here (the main process then times out on the step).
 */
export function runSmoke(
  checks: Record<SmokeStep, SmokeCheck>,
  report: ((report: SmokeReport) => Promise<void>) | null,
  onVerdict: (verdict: SmokeVerdict) => void,
): { progress: SmokeProgress; done: Promise<SmokeVerdict> } {
  let snapshot: SmokeSnapshot = {
    steps: SMOKE_STEPS.map((step) => ({ step, state: 'waiting', message: '' })),
    verdict: 'running',
  };
  const listeners = new Set<() => void>();
  const update = (next: SmokeSnapshot): void => {
    snapshot = next;
    for (const listener of listeners) listener();
  };
  const setStep = (status: SmokeStepStatus): void =>
    update({ ...snapshot, steps: snapshot.steps.map((old) => (old.step === status.step ? status : old)) });

  const progress: SmokeProgress = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => snapshot,
  };

  const done = (async (): Promise<SmokeVerdict> => {
    let allPassed = true;
    for (const step of SMOKE_STEPS) {
      setStep({ step, state: 'running', message: '' });
      let status: SmokeStepStatus;
      try {
        const message = await withTimeout(checks[step](), SMOKE_STEP_TIMEOUT_MS, step);
        status = { step, state: 'passed', message: reportMessage(message) };
      } catch (error) {
        allPassed = false;
        status = { step, state: 'failed', message: reportMessage(describeError(error)) };
      }
      setStep(status);
      if (report !== null) {
        try {
          await report({ step, ok: status.state === 'passed', message: status.message });
        } catch (error) {
          console.error(`smoke: the report of ${step} was refused: ${describeError(error)}`);
        }
      }
    }
    const verdict: SmokeVerdict = allPassed ? 'passed' : 'failed';
    update({ ...snapshot, verdict });
    onVerdict(verdict);
    return verdict;
  })();

  return { progress, done };
}
