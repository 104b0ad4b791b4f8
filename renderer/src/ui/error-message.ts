import type { TFunction } from 'i18next';
import {
  BACKUP_REFUSALS,
  BUNDLE_CONTENT_REFUSALS,
  BUNDLE_ERROR_CODES,
  vaultErrorCode,
  vaultErrorDetail,
} from '../vault';

export const ERROR_CODES = [
  'engine-failed',
  'no-vault',
  'vault-exists',
  'locked',
  'weak-passphrase',
  'wrong-secret',
  'recovery-key-mistyped',
  'backoff',
  'header-damaged',
  'header-altered',
  'kdf-params-refused',
  'unknown-format-version',
  'record-tampered',
  'unknown-envelope-version',
  'not-found',
  'invalid-input',
  'log-broken',
  'rekey-under-way',
  'record-owner-mismatch',
  'case-deleted',
  'record-rolled-back',
  'bundle-refused',
  'backup-refused',
] as const;
const KNOWN_CODES = new Set<string>(ERROR_CODES);
const BUNDLE_REASONS = new Set<string>([...BUNDLE_ERROR_CODES, ...BUNDLE_CONTENT_REFUSALS]);
const BACKUP_REASONS = new Set<string>(BACKUP_REFUSALS);
/** Details of 'invalid-input' that have a sentence of their own. */
export const INPUT_DETAILS = [
  'own-card',
  'key-conflict',
  'card',
  'signer-unconfirmed',
  'conflicts-unresolved',
  'preview-stale',
  'needs-decision',
  'file-needed',
  'queue-full',
] as const;
const KNOWN_INPUT_DETAILS = new Set<string>(INPUT_DETAILS);

/** A translated, user-facing sentence for an error from the vault. */
export function errorMessage(t: TFunction, error: unknown): string {
  const code = vaultErrorCode(error);
  const key = KNOWN_CODES.has(code) ? code : 'internal';
  const detail = vaultErrorDetail(error);
  if (key === 'backoff' || key === 'wrong-secret') {
    const seconds = Math.ceil(Number(detail ?? 0) / 1000);
    return seconds > 0 ? t(`errors.${key}Wait`, { seconds }) : t(`errors.${key}`);
  }
  if (key === 'bundle-refused' && detail && BUNDLE_REASONS.has(detail)) return t(`errors.bundle.${detail}`);
  if (key === 'backup-refused' && detail && BACKUP_REASONS.has(detail)) return t(`errors.backup.${detail}`);
  if (key === 'invalid-input' && detail && KNOWN_INPUT_DETAILS.has(detail)) return t(`errors.input.${detail}`);
  return detail && key === 'record-tampered' ? t('errors.record-tamperedAt', { where: detail }) : t(`errors.${key}`);
}
