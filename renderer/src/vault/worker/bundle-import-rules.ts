/**
 * Where a bundle may write. A signed bundle is trusted to say what its
 * sender holds, never to change what the sender does not own: record ids
 * travel in every bundle, so anyone who ever received one knows ids of the
 * receiver's records.
 *
 * - A record lands only in a case the bundle carries.
 * - That case is new here, or was brought here by a bundle from the same
 *   signer. A case made in this vault belongs to this vault's own key: only
 *   its own bundles (a copy to self) change it.
 * - A document's text and annotations name a document of the same case.
 * - An id stored here as a record of another kind or case is never reused
 *   (the store refuses that too, as the last line).
 * - A hearing's signed-off versions are never replaced or dropped: an update
 *   may only add versions after them.
 *
 * Any refusal refuses the whole bundle: nothing is written.
 */
import type { BundleItemPreview, ImportRefusal } from '../api';
import { canonicalJson } from './canonical-json';
import { bundleKindOf } from './record-kinds-bundle';
import type { VaultStore } from './vault-store';

/** What the rules need of a received record. */
export interface IncomingRecord {
  type: BundleItemPreview['type'];
  value: unknown;
  caseId: string;
}

/** What the rules need of an earlier import (the stored bundle-import record). */
export interface EarlierImport {
  importedAt: number;
  signer: { signingKey: string };
  /** Case ids the import created; absent in imports recorded before this field existed. */
  created?: string[];
  /** Items it wrote, by their id in this vault ("case:<id>", …). */
  taken?: Record<string, string>;
}

/**
 * The signing key each case was brought by: the import that created it. For
 * imports recorded before `created` existed, the first that wrote the case,
 * unless the custody log says the case was made here (`madeHere`): an older
 * version let a bundle overwrite a case of this vault, and that must not make
 * its sender the case's owner now. A case no import created was made here.
 */
export function caseBringers(
  imports: readonly EarlierImport[],
  madeHere: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const bringers = new Map<string, string>();
  for (const record of [...imports].sort((a, b) => a.importedAt - b.importedAt)) {
    const created =
      record.created ??
      Object.keys(record.taken ?? {})
        .filter((id) => id.startsWith('case:'))
        .map((id) => id.slice('case:'.length))
        .filter((caseId) => !madeHere.has(caseId));
    for (const caseId of created) if (!bringers.has(caseId)) bringers.set(caseId, record.signer.signingKey);
  }
  return bringers;
}

interface StoredHistory {
  hearing: { history: unknown[] };
}

/** True when `incoming` keeps every signed-off version of `stored`, unchanged and in order. */
export function keepsSignedOffHistory(stored: StoredHistory, incoming: StoredHistory): boolean {
  const before = stored.hearing.history;
  const after = incoming.hearing.history;
  if (after.length < before.length) return false;
  return before.every((version, at) => canonicalJson(version) === canonicalJson(after[at]));
}

/**
 * Why each item may not be written, for the items that may not. `items`
 * are the previewed items (their status says which would write anything).
 */
export async function importRefusals(options: {
  store: VaultStore;
  signer: string;
  ownSigningKey: string;
  records: ReadonlyMap<string, IncomingRecord>;
  items: readonly BundleItemPreview[];
  earlier: readonly EarlierImport[];
  /** Cases the custody log shows were made here; asked only when an earlier import predates `created`. */
  casesMadeHere: () => Promise<ReadonlySet<string>>;
}): Promise<Map<string, ImportRefusal>> {
  const { store, signer, ownSigningKey, records, items, earlier } = options;
  const legacy = earlier.some((record) => record.created === undefined);
  const bringers = caseBringers(earlier, legacy ? await options.casesMadeHere() : new Set());
  const statusOf = new Map(items.map((item) => [item.id, item.status]));
  const refusals = new Map<string, ImportRefusal>();
  const caseHere = new Map<string, boolean>();
  const isCaseHere = async (caseId: string): Promise<boolean> => {
    let here = caseHere.get(caseId);
    if (here === undefined) {
      // A case that cannot be read is treated as here (the stricter rule applies).
      here = (await store.find('case', caseId, caseId).catch(() => null)) !== undefined;
      caseHere.set(caseId, here);
    }
    return here;
  };
  // Asked once per annotation: a bundle may carry hundreds of thousands of them on a few documents.
  const documentsHere = new Map<string, Promise<boolean>>();
  const documentInCase = async (caseId: string, documentId: string): Promise<boolean> => {
    const carried = records.get(`document:${documentId}`);
    if (carried) return carried.caseId === caseId;
    const key = `${caseId}:${documentId}`;
    let here = documentsHere.get(key);
    if (here === undefined) {
      here = store
        .find('document', caseId, documentId)
        .then((value) => value !== undefined)
        .catch(() => false);
      documentsHere.set(key, here);
    }
    return here;
  };

  for (const [itemId, incoming] of records) {
    const { caseId } = incoming;
    const writes = statusOf.get(itemId) !== 'same';
    let refusal: ImportRefusal | null = null;
    if (!records.has(`case:${caseId}`)) refusal = 'foreign-case';
    else if (writes && (await isCaseHere(caseId)) && (bringers.get(caseId) ?? ownSigningKey) !== signer)
      refusal = 'case-held-by-another';
    const { spec } = bundleKindOf(incoming.type);
    if (refusal === null) {
      // Annotations live in page rows, checked through their document.
      const row = spec.row(store, incoming.value, caseId);
      if (row && !(await store.fits({ ...row, caseId }))) refusal = 'id-taken';
    }
    const documentId = spec.documentOf?.(incoming.value);
    if (refusal === null && documentId !== undefined && !(await documentInCase(caseId, documentId)))
      refusal = 'document-not-in-case';
    if (refusal === null && incoming.type === 'hearing' && writes) {
      const { id } = incoming.value as { id: string };
      const stored: StoredHistory | undefined = await store.find('hearing', caseId, id).catch(() => undefined);
      if (stored && !keepsSignedOffHistory(stored, incoming.value as StoredHistory))
        refusal = 'signed-off-history-changed';
    }
    if (refusal !== null) refusals.set(itemId, refusal);
  }
  return refusals;
}
