import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import './menus.css';

/**
 * Asks before something that cannot be undone. The question names what will happen; the confirm button says
 * it again ("Delete forever"), and Cancel (or Escape) changes nothing.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  body,
  confirmLabel,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <ModalOverlay isOpen={open} onOpenChange={onOpenChange} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">{title}</Heading>
              <p>{body}</p>
              <div className="dialog-actions">
                <button type="button" onClick={close} autoFocus>
                  {t('common.cancel')}
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    close();
                    void onConfirm();
                  }}
                >
                  {confirmLabel}
                </button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
