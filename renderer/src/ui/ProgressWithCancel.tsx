import { useTranslation } from 'react-i18next';

/** A labelled progress bar for long work, with the button that stops it. */
export function ProgressWithCancel({
  label,
  value,
  max,
  onCancel,
}: {
  label: string;
  value: number;
  max: number;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="progress-row">
      <progress aria-label={label} max={max || 1} value={value} />
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
