import type { TFunction } from 'i18next';
import { vaultErrorCode, vaultErrorDetail } from '../vault';

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
] as const;
const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** A translated, user-facing sentence for an error from the vault. */
export function errorMessage(t: TFunction, error: unknown): string {
  const code = vaultErrorCode(error);
  const key = KNOWN_CODES.has(code) ? code : 'internal';
  const detail = vaultErrorDetail(error);
  if (key === 'backoff' || key === 'wrong-secret') {
    const seconds = Math.ceil(Number(detail ?? 0) / 1000);
    return seconds > 0 ? t(`errors.${key}Wait`, { seconds }) : t(`errors.${key}`);
  }
  return detail && key === 'record-tampered' ? t('errors.record-tamperedAt', { where: detail }) : t(`errors.${key}`);
}
