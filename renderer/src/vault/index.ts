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
  CUSTODY_TARGET_KINDS,
  DOCUMENT_CHUNK_BYTES,
  MAX_WHOLE_DOCUMENT_BYTES,
  MIN_PASSPHRASE_LENGTH,
  MIN_PASSPHRASE_SCORE,
  type CustodyAction,
} from './api';
export { startVaultWorker, takeSecret, vaultErrorCode, vaultErrorDetail, type VaultClient } from './client';
export {
  ANNOTATION_COLORS,
  type AnnotationColor,
  type AnnotationFields,
  type AnnotationRecord,
  type AnnotationTarget,
  type Rect,
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
export {
  HEARING_STAGES,
  INDICATOR_ANSWERS,
  INDICATOR_IDS,
  hearingFieldsSchema,
  type HearingFields,
} from './hearing-model';
export type { HearingRecord } from './api';
