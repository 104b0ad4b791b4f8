import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, MoreActionsMenu } from '../ui';
import './hearing.css';

/**
 * The form's action bar: Save (its one primary action), Sign off behind a short confirm, Back; deleting
 * is rare and final, so it waits in the "More actions" menu and asks again in a dialog.
 */
export function HearingActions({
  version,
  signOffDisabled,
  canDelete,
  onSignOff,
  closeLabel,
  onClose,
  onDelete,
}: {
  /** The version a sign-off would seal. */
  version: number;
  signOffDisabled: boolean;
  canDelete: boolean;
  onSignOff: () => Promise<void>;
  closeLabel: string;
  onClose: () => void;
  onDelete: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [confirmingSignOff, setConfirmingSignOff] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  return (
    <div className="actions sticky-actions hearing-actions">
      <button type="submit" className="primary" aria-keyshortcuts="Control+S">
        {t('hearing.save')}
      </button>
      {confirmingSignOff ? (
        <span role="group" aria-label={t('hearing.finaliseConfirm', { n: version })} className="signoff-confirm">
          {t('hearing.finaliseConfirm', { n: version })}
          <button
            type="button"
            onClick={() => {
              setConfirmingSignOff(false);
              void onSignOff();
            }}
          >
            {t('hearing.finaliseYes', { n: version })}
          </button>
          <button type="button" onClick={() => setConfirmingSignOff(false)}>
            {t('common.cancel')}
          </button>
        </span>
      ) : (
        <button type="button" disabled={signOffDisabled} onClick={() => setConfirmingSignOff(true)}>
          {t('hearing.finalise')}
        </button>
      )}
      <button type="button" onClick={onClose}>
        {closeLabel}
      </button>
      {canDelete && (
        <span className="more-actions">
          <MoreActionsMenu
            label={t('hearing.moreActions')}
            actions={[
              { id: 'delete', label: t('hearing.delete'), danger: true, onAction: () => setConfirmingDelete(true) },
            ]}
          />
        </span>
      )}
      <ConfirmDialog
        open={confirmingDelete}
        onOpenChange={setConfirmingDelete}
        title={t('hearing.deleteQuestion')}
        body={t('hearing.deleteExplain')}
        confirmLabel={t('hearing.deleteForever')}
        onConfirm={onDelete}
      />
    </div>
  );
}
