// An unlocked session: the vault client, data loading over it, drafts, and locking.
export { LockContext, useFlushBeforeLock, useLock, type LockControls, type LockFlusher } from './lock-context';
export { useDraft, type DraftState } from './use-draft';
export { restorableText, useTextDraft, type TextFields } from './use-text-draft';
export { useIdleLock } from './use-idle-lock';
export { useSettings } from './use-settings';
export { queryKeys } from './query-keys';
export { VaultSession, useRefresh, useVault, useVaultQuery } from './vault-session';
