import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SmokeStep } from '../../../electron/host-api';
import type { SmokeProgress, SmokeState } from './progress';

function stepLabel(t: TFunction, step: SmokeStep): string {
  switch (step) {
    case 'self-test':
      return t('smoke.steps.selfTest');
    case 'indexeddb':
      return t('smoke.steps.storage');
    case 'pdf-render':
      return t('smoke.steps.pdf');
  }
}

function stateLabel(t: TFunction, state: SmokeState): string {
  switch (state) {
    case 'waiting':
      return t('smoke.state.waiting');
    case 'running':
      return t('smoke.state.running');
    case 'passed':
      return t('smoke.state.passed');
    case 'failed':
      return t('smoke.state.failed');
  }
}

/** The start-up check's whole screen: one line per step, then the verdict. */
export function SmokeScreen({ progress }: { progress: SmokeProgress }) {
  const { t } = useTranslation();
  const snapshot = useSyncExternalStore(progress.subscribe, progress.snapshot);
  const failed = snapshot.steps.find((status) => status.state === 'failed');
  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>{t('smoke.title')}</h1>
      </header>
      <main className="app-main">
        <p>{t('smoke.intro')}</p>
        <ol>
          {snapshot.steps.map((status) => (
            <li key={status.step} data-smoke-step={status.step} data-state={status.state}>
              <strong>{stepLabel(t, status.step)}</strong>: {stateLabel(t, status.state)}
              {status.message !== '' && (
                <>
                  {' '}
                  <span className="hint" lang="en">
                    ({status.message})
                  </span>
                </>
              )}
            </li>
          ))}
        </ol>
        {snapshot.verdict === 'running' ? (
          <p role="status">{t('smoke.running')}</p>
        ) : snapshot.verdict === 'passed' ? (
          <p role="status">{t('smoke.passed')}</p>
        ) : (
          <p role="alert" className="error">
            {t('smoke.failed', { step: failed ? stepLabel(t, failed.step) : '' })}
          </p>
        )}
      </main>
    </div>
  );
}

export function mountSmokeScreen(rootElement: HTMLElement, progress: SmokeProgress): void {
  createRoot(rootElement).render(
    <StrictMode>
      <SmokeScreen progress={progress} />
    </StrictMode>,
  );
}
