/**
 * Every way a bundle can be refused, as a code the UI translates and the
 * CLI prints. A reader throws nothing but BundleError for bad input.
 */
export const BUNDLE_ERROR_CODES = [
  /** The first bytes are not the bundle magic. */
  'not-a-bundle',
  /** A format version this reader does not know (newer, or retired). */
  'unsupported-version',
  /** The header breaks the format: flags, chunk size, recipient count, or it ends early. */
  'header-malformed',
  /** No recipient stanza opens with this key. */
  'not-for-you',
  /** The header's MAC does not verify: it was altered. */
  'header-altered',
  /** A payload chunk failed authentication (altered, reordered, duplicated, or from another bundle). */
  'payload-corrupt',
  /** The payload ends before its final chunk. */
  'payload-truncated',
  /** Bytes follow the final chunk. */
  'payload-trailing',
  /** The payload breaks the format: an empty or unexpected chunk, an absurd length. */
  'payload-malformed',
  /** The signed manifest is not valid JSON of the expected shape, or exceeds the limits. */
  'manifest-invalid',
  /** The manifest's signature does not verify with the sender key it names. */
  'signature-invalid',
  /** The manifest was signed for another header (a co-recipient re-wrapped the file key). */
  'header-hash-mismatch',
  /** The manifest does not name this reader among its recipients (forwarded by a recipient). */
  'not-a-named-recipient',
  /** An item's bytes do not match the SHA-256 the manifest gives. */
  'item-hash-mismatch',
  /** The payload holds more or fewer item bytes than the manifest lists. */
  'item-size-mismatch',
  /** The writer was given inconsistent input (a programming error on the sending side). */
  'writer-misuse',
] as const;

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
