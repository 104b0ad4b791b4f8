// Shared UI pieces: no feature imports the shell (app/) for these.
export { ConfirmDeleteButton } from './ConfirmDeleteButton';
export { ERROR_CODES, INPUT_DETAILS, errorMessage } from './error-message';
export { localId } from './local-id';
export { NewPassphraseFields } from './NewPassphraseFields';
export { PassphraseStrength } from './PassphraseStrength';
export { PlaintextNotice } from './PlaintextNotice';
export { ProgressWithCancel } from './ProgressWithCancel';
export { SelectField } from './SelectField';
export { StatusMessage, type OutcomeMessage } from './StatusMessage';
export { usePassphraseEstimate } from './use-passphrase-estimate';
