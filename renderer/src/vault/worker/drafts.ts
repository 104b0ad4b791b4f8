import { draftOwner } from '../draft-names';
import { VaultError } from './crypto/errors';
import { rowNames } from './row-ids';
import type { RecordRef, VaultStore } from './vault-store';

/** The largest draft the vault keeps (its data as JSON): as large as one record a bundle may carry. */
export const MAX_DRAFT_BYTES = 8 * 1024 * 1024;

/** A draft's row: its id a keyed hash of its name, its case the one its name gives (draft-names.ts). */
export function draftRef(store: VaultStore, name: string): RecordRef & { table: 'draft' } {
  const caseId = draftOwner(name);
  if (caseId === undefined) throw new VaultError('invalid-input', 'Not a draft name the vault keeps.');
  return { table: 'draft', caseId, id: store.blind(rowNames.draft(name)) };
}

/** `data` as a draft may hold it: refused (`invalid-input`) when it is not JSON or is larger than MAX_DRAFT_BYTES. */
export function checkDraftData(data: unknown): void {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw new VaultError('invalid-input', 'A draft must be plain data.');
  // UTF-16 length bounds the UTF-8 size within a factor of 3: checked exactly only when it could matter.
  if (json.length * 3 > MAX_DRAFT_BYTES && new TextEncoder().encode(json).byteLength > MAX_DRAFT_BYTES)
    throw new VaultError('invalid-input', 'This draft is larger than the vault keeps.');
}

/**
 * The rows of the drafts named `names`, for deleting them with what they are drafts of (in the same commit):
 * whether they are stored or not, as looking would cost a read each. A name the vault would not keep has no row.
 */
export function draftRefs(store: VaultStore, names: readonly string[]): (RecordRef & { table: 'draft' })[] {
  return names.flatMap((name) => (draftOwner(name) === undefined ? [] : [draftRef(store, name)]));
}
