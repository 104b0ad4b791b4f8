/**
 * Every failure the vault reports is a VaultError with a code the UI
 * translates. Messages never contain plaintext, names or key material.
 */
export type VaultErrorCode =
  | 'engine-failed'
  | 'no-vault'
  | 'vault-exists'
  | 'locked'
  | 'weak-passphrase'
  | 'wrong-secret'
  | 'recovery-key-mistyped'
  | 'backoff'
  | 'header-damaged'
  | 'header-altered'
  | 'kdf-params-refused'
  | 'unknown-format-version'
  | 'record-tampered'
  | 'unknown-envelope-version'
  | 'not-found'
  | 'invalid-input'
  | 'log-broken'
  /** The vault is moving its rows to new keys (a passphrase change): calls wait until it is done. */
  | 'rekey-under-way'
  /** A write named a record stored under another table or case: refused, nothing written. */
  | 'record-owner-mismatch'
  /** A write for a case that was deleted meanwhile (sealed before the deletion, committed after): refused, nothing
   * written. */
  | 'case-deleted'
  /** A stored record is not the version the vault last wrote (an older copy put back, a row dropped, a deleted
   * one restored), or the record of current versions is itself missing or replaced (integrity-map.ts). */
  | 'record-rolled-back'
  /** A bundle was refused; the detail is the bundle format's reason code. */
  | 'bundle-refused'
  /** A backup set was refused (or a backup run stopped); the detail is the backup format's reason. */
  | 'backup-refused';

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  /** Non-sensitive detail for the UI, e.g. the table and id of a tampered record. */
  readonly detail: string | undefined;

  constructor(code: VaultErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
    this.detail = detail;
  }
}

export function isVaultError(value: unknown): value is VaultError {
  return value instanceof VaultError;
}
