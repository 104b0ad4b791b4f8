/** A reader throws nothing but BundleError for bad input; its code is one of BUNDLE_ERROR_CODES. */
import { BUNDLE_ERROR_CODES } from '../../api';

export { BUNDLE_ERROR_CODES };

export type BundleErrorCode = (typeof BUNDLE_ERROR_CODES)[number];

export class BundleError extends Error {
  readonly code: BundleErrorCode;

  /** Set only when an unexpected error was turned into a refusal: tests treat that as a bug. */
  constructor(code: BundleErrorCode, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'BundleError';
    this.code = code;
  }
}

export function isBundleError(value: unknown): value is BundleError {
  return value instanceof BundleError;
}
