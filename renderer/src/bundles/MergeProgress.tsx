import { proxy } from 'comlink';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TaskProgress, useProgressMeter, type ProgressMeter, type ProgressSnapshot } from '../ui/progress';
import type { BundleMergeProgress } from '../vault';

/**
 * A bundle being taken in, as the vault reports it: records merged, then the one commit that writes them all.
 * `follow()` gives the callback to pass to the vault for one bundle (a new one starts the bar again).
 */
export function useMergeProgress() {
  const { progress, start, clear } = useProgressMeter();
  const [writing, setWriting] = useState(false);

  const follow = useCallback(() => {
    let meter: ProgressMeter | null = null;
    clear(); // the bar of the bundle before, if any, goes until this one reports
    setWriting(false);
    return proxy((next: BundleMergeProgress) => {
      meter ??= start(next.total);
      meter.report(next.done, next.total);
      if (next.stage === 'writing') {
        // The commit cannot report on its way: the bar shows every record merged, and the line says what runs.
        meter.finish();
        setWriting(true);
      }
    });
  }, [start, clear]);

  const end = useCallback(() => {
    clear();
    setWriting(false);
  }, [clear]);

  return { progress, writing, follow, end };
}

/** The bar of a bundle being taken in, with what the vault is doing: merging records, or writing them. */
export function MergeProgress({ progress, writing }: { progress: ProgressSnapshot; writing: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="merge-progress">
      <p role="status">{writing ? t('open.writing') : t('open.merging', { count: progress.total })}</p>
      <TaskProgress label={t('open.mergeProgress')} progress={progress} unit="items" />
    </div>
  );
}
