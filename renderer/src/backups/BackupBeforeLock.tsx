import { proxy } from 'comlink';
import { useEffect, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { errorMessage, useFormats } from '../ui';
import { TaskProgress, useProgressMeter } from '../ui/progress';
import { vaultErrorDetail } from '../vault';
import type { BackupProgress, VaultWorkerApi } from '../vault/api';
import type { BackupOffer } from './backup-offer';
import '../ui/menus.css';

/** How long a failed "Back up, then lock" shows why before it locks anyway. */
const LOCK_AFTER_FAILURE_MS = 15_000;

/**
 * Offered when the user locks and the last backup folder is there: back up into it, then lock. Whatever
 * happens — done, cancelled, failed, or the dialog dismissed — the vault then locks: the user asked for that.
 */
export function BackupBeforeLock({
  offer,
  vault,
  onLock,
}: {
  offer: BackupOffer;
  vault: Pick<VaultWorkerApi, 'backUp' | 'cancelBackup'>;
  onLock: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const { progress, start: startProgress, clear: clearProgress } = useProgressMeter();
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);

  // After a failure the vault locks a little later all the same — unless something else locked it first (this
  // dialog is gone then, and the timer must not lock the next session).
  useEffect(() => {
    if (failure === null) return;
    const timer = setTimeout(onLock, LOCK_AFTER_FAILURE_MS);
    return () => clearTimeout(timer);
  }, [failure, onLock]);

  async function backUpThenLock() {
    const meter = startProgress();
    try {
      await vault.backUp(
        proxy(offer.folder.target),
        proxy((next: BackupProgress) => meter.report(next.written, next.total)),
        offer.folder.ref ? { folderRef: offer.folder.ref } : {},
      );
      onLock();
    } catch (caught) {
      // A cancel locks at once. Any other failure is shown, then locks (above): the user asked to lock and may
      // have walked away.
      if (vaultErrorDetail(caught) === 'cancelled') onLock();
      else setFailure({ error: caught });
    } finally {
      clearProgress();
    }
  }

  return (
    <ModalOverlay isOpen onOpenChange={(open) => !open && progress === null && onLock()} className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog" aria-describedby="backup-before-lock-body">
          <Heading slot="title">{t('backup.beforeLockTitle')}</Heading>
          <p id="backup-before-lock-body">
            {t('backup.beforeLockBody', {
              folder: offer.folder.label,
              when: formats.timestamp(Date.parse(offer.lastAt)),
            })}
          </p>
          {progress !== null ? (
            <TaskProgress
              label={t('backup.progressLabel')}
              progress={progress}
              onCancel={() => void vault.cancelBackup()}
            />
          ) : failure !== null ? (
            <>
              <p role="alert" className="error">
                {errorMessage(t, failure.error)}
              </p>
              <p className="hint">{t('backup.lockingSoon', { count: LOCK_AFTER_FAILURE_MS / 1000 })}</p>
              <div className="dialog-actions">
                <button type="button" className="primary" onClick={onLock} autoFocus>
                  {t('backup.lockNow')}
                </button>
              </div>
            </>
          ) : (
            <div className="dialog-actions">
              <button type="button" onClick={onLock}>
                {t('backup.lockWithoutBackup')}
              </button>
              <button type="button" className="primary" onClick={() => void backUpThenLock()} autoFocus>
                {t('backup.backUpThenLock')}
              </button>
            </div>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
