export type {
  CustodyEntryView,
  EngineHealth,
  LogVerification,
  PassphraseEstimate,
  VaultState,
  VaultStatus,
  VaultWorkerApi,
} from './api';
export {
  CUSTODY_ACTIONS,
  DOCUMENT_CHUNK_BYTES,
  MAX_WHOLE_DOCUMENT_BYTES,
  MIN_PASSPHRASE_LENGTH,
  MIN_PASSPHRASE_SCORE,
  type CustodyAction,
} from './api';
export { startVaultWorker, takeSecret, vaultErrorCode, vaultErrorDetail, type VaultClient } from './client';
export {
  CASE_STATUSES,
  DEFAULT_SETTINGS,
  DOCUMENT_KINDS,
  emptyProvenance,
  type DocumentKind,
  type DocumentRecord,
  type DocumentText,
  type Provenance,
  PERSON_ROLES,
  emptyCaseFields,
  partialDate,
  type CaseFields,
  type CaseKeyDate,
  type CasePerson,
  type CaseRecord,
  type CaseStatus,
  type CaseSummary,
  type PersonRole,
  type VaultSettings,
} from './model';
