import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** "Delete" that asks first: the first press offers "{confirmText}" and Cancel. */
export function ConfirmDeleteButton({
  text,
  label,
  confirmText,
  onConfirm,
}: {
  text: string;
  /** Accessible name saying what is deleted. */
  label: string;
  confirmText: string;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)} aria-label={label}>
        {text}
      </button>
    );
  return (
    <>
      <button type="button" className="danger" onClick={() => void onConfirm().finally(() => setAsking(false))}>
        {confirmText}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </>
  );
}
