import { useTranslation } from 'react-i18next';
import { progressDetail } from './progress-detail';
import type { ProgressSnapshot } from './progress-meter';

/**
 * The one progress bar of the app's long tasks: the bar, the amount done, and, once the task has run a few
 * seconds, its speed and the time left (progress-detail.ts); with a cancel button when the task can be stopped.
 * Feed it from a progress meter (useProgressMeter), which keeps it moving without flooding the screen.
 */
export function TaskProgress({
  label,
  progress,
  unit = 'bytes',
  onCancel,
  cancelLabel,
}: {
  /** Names the bar for assistive technology. */
  label: string;
  progress: ProgressSnapshot;
  /** Bytes are shown as sizes; items (records, rows) as counts. */
  unit?: 'bytes' | 'items';
  onCancel?: () => void;
  cancelLabel?: string;
}) {
  const { t, i18n } = useTranslation();
  const { done, total } = progress;
  return (
    <div className="task-progress">
      <div className="progress-row">
        <progress aria-label={label} max={total || 1} value={Math.min(done, total || 1)} />
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {cancelLabel ?? t('common.cancel')}
          </button>
        )}
      </div>
      <p className="task-progress-detail">{progressDetail(t, i18n.language, progress, unit)}</p>
    </div>
  );
}
