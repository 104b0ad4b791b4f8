import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineHealth, VaultClient } from '../vault';

type EngineState = { phase: 'checking' } | { phase: 'done'; health: EngineHealth } | { phase: 'unreachable' };

/** Shows whether the vault worker's crypto self-test passed. */
export function EngineStatus({ vault, onHealth }: { vault: VaultClient; onHealth: (health: EngineHealth) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<EngineState>({ phase: 'checking' });

  useEffect(() => {
    let current = true;
    vault.health().then(
      (health) => {
        if (!current) return;
        setState({ phase: 'done', health });
        onHealth(health);
      },
      () => current && setState({ phase: 'unreachable' }),
    );
    return () => {
      current = false;
    };
  }, [vault, onHealth]);

  if (state.phase === 'checking') return <p role="status">{t('engine.checking')}</p>;
  if (state.phase === 'unreachable')
    return (
      <p role="alert" className="error">
        {t('engine.unreachable')}
      </p>
    );
  const { health } = state;
  if (health.ok)
    return (
      <p className="hint engine-ok" title={t('engine.ready', { version: health.sodiumVersion })}>
        {t('engine.ready', { version: health.sodiumVersion })}
      </p>
    );
  return (
    <div role="alert" className="error">
      <p>{t('engine.failed')}</p>
      <p>{t('engine.failedChecks')}</p>
      <ul>
        {health.failures.map((failure) => (
          <li key={failure} lang="en">
            {failure}
          </li>
        ))}
      </ul>
    </div>
  );
}
