import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RekeyStatus, VaultClient } from '../../vault';
import { TaskProgress, useProgressMeter, type ProgressMeter } from '../../ui/progress';

const POLL_MS = 250;

/** The re-key under way as the worker reports it, polled while `active`; null when none has run. */
export function useRekeyStatus(vault: VaultClient, active: boolean): RekeyStatus | null {
  const [status, setStatus] = useState<RekeyStatus | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const poll = async () => {
      const next = await vault.rekeyStatus().catch(() => null);
      if (stopped) return;
      setStatus(next);
      if (next === null || next.running) timer = setTimeout(() => void poll(), POLL_MS);
    };
    let timer = setTimeout(() => void poll(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [vault, active]);
  return status;
}

/**
 * A re-key's progress: every row is sealed again under the new keys, which
 * takes a while in a large vault. Cancel (only for the change the user just
 * made, see RekeyRun) moves what was done back: the old passphrase and
 * recovery key stay. On its way back, or when an unlock finishes a change
 * cut short, it only goes on.
 */
export function RekeyProgress({ vault, status }: { vault: VaultClient; status: RekeyStatus & { running: true } }) {
  const { t } = useTranslation();
  const label = t(status.direction === 'forward' ? 'rekey.forward' : 'rekey.back');
  // The polled counts (rows committed under the new keys) go through a meter, for the speed and the time left.
  const { progress, start } = useProgressMeter();
  const meter = useRef<ProgressMeter | null>(null);
  useEffect(() => {
    meter.current ??= start(status.total);
    meter.current.report(status.done, status.total);
  }, [start, status.done, status.total]);
  return (
    <section className="rekey-progress" aria-labelledby="rekey-heading">
      <h3 id="rekey-heading">{label}</h3>
      <p>{t('rekey.explain')}</p>
      {progress && (
        <TaskProgress
          label={label}
          progress={progress}
          unit="items"
          onCancel={status.cancellable ? () => void vault.cancelRekey() : undefined}
        />
      )}
      <p role="status">{t('rekey.count', { done: status.done, count: status.total })}</p>
    </section>
  );
}
