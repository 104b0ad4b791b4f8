/**
 * Exit statuses of the verifier, which scripts rely on:
 * 0 everything checked holds, 1 the bundle (or its custody log) is refused,
 * 2 nothing could be checked (usage, key file, passphrase, unreadable file).
 */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_CANNOT_CHECK = 2;

/** A failure that is not a BundleError, carrying the one line to print and the exit status. */
export class CliFailure extends Error {
  constructor(
    readonly exitCode: typeof EXIT_REFUSED | typeof EXIT_CANNOT_CHECK,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** The reason of a Node error (ENOENT and the like) without a stack. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
