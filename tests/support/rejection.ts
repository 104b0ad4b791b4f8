import { VaultError } from '../../renderer/src/vault/worker/crypto/errors';

/** The code of the VaultError `work` rejects with ('no error' if it resolves); any other error is rethrown. */
export async function codeOfRejection(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
  return 'no error';
}
