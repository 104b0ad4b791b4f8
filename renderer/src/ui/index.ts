// Shared UI pieces: no feature imports the shell (app/) for these.
import './tabs.css';
export { ConfirmDeleteButton } from './ConfirmDeleteButton';
export { ConfirmDialog } from './ConfirmDialog';
export { ERROR_CODES, INPUT_DETAILS, errorMessage } from './error-message';
export {
  BUDDHIST_ERA_OFFSET,
  formatApproximateDate,
  formatDay,
  formatNumber,
  formatRelativeTime,
  formatSize,
  formatTimeOfDay,
  formatTimestamp,
  type DateOptions,
} from './format';
export { IconButton } from './IconButton';
export { IconToggleButton } from './IconToggleButton';
export { localId } from './local-id';
export { MoreActionsMenu, type MenuAction } from './MoreActionsMenu';
export { NewPassphraseFields } from './NewPassphraseFields';
export { PassphraseField } from './PassphraseField';
export { PassphraseStrength } from './PassphraseStrength';
export { PlaintextNotice } from './PlaintextNotice';
export { ResizablePanes } from './ResizablePanes';
export { RestoredTextNotice } from './RestoredTextNotice';
export { useMediaQuery } from './use-media-query';
export { SelectField } from './SelectField';
export { StatusMessage, type OutcomeMessage } from './StatusMessage';
export { useBuddhistEra, useFormats, type Formats } from './use-formats';
export { usePassphraseEstimate } from './use-passphrase-estimate';
