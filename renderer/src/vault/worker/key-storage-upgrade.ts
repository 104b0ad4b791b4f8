import { envelopeSchemaVersion, envelopeTag } from './crypto/envelope';
import { VaultError } from './crypto/errors';
import { LEGACY_BLOB_SCHEMA, openBlobRow, sealBlobRow, wipeBlobKey } from './blob-store';
import { IDENTITY_ROW } from './identity-service';
import { RECORD_KINDS } from './record-kinds';
import { rowNames } from './row-ids';
import type { BlobRow, RecordRow } from './storage/database';
import type { VaultStore } from './vault-store';

/**
 * Once per vault, at unlock: the rows that still hold keys as text are
 * written again with the keys as bytes (key-bytes.ts):
 *
 * | row                 | old form (still read)                     | new form                                 |
 * | ------------------- | ----------------------------------------- | ---------------------------------------- |
 * | case key            | schema 1: `{caseId, key: base64}`         | schema 2: `{caseId}` + 32 key bytes      |
 * | identity            | schema 1: secret keys as hex              | schema 2: `{name, createdAt}` + 64 + 32  |
 * | blob (content key)  | schema 2: `{key: base64, size, …}`        | schema 3: `{size, chunkCount, …}` + 32   |
 *
 * Reading an old row makes its key into a string once more (base64 or hex
 * text, decoded to bytes by the registry's migrations or openBlobRow); that
 * string cannot be wiped and stays in this worker's heap until the worker
 * ends at the next lock. After the rewrite no session reads the text from
 * disk again.
 *
 * Blob rows (outside the records table and its integrity map) are rewritten
 * first, in one transaction, each only if it is still exactly as read. The
 * records (case keys, identity) then go in one commit with the mark that it
 * was done (the integrity map follows it), refused if any other change
 * landed meanwhile (it runs again at the next unlock). Rows the integrity map does not hold as current, and
 * damaged rows, are left as they are (they read as such either way).
 *
 * Returns how many rows were rewritten.
 */
export async function storeKeysAsBytesOnce(store: VaultStore): Promise<number> {
  const maintenanceId = store.blind(rowNames.maintenance());
  const maintenance = await store.find('maintenance', null, maintenanceId).catch(rethrowLocked);
  if (maintenance?.keysStoredAsBytes) return 0;
  const db = store.database;

  const blobs: { old: BlobRow; next: BlobRow }[] = [];
  for (const row of await db.blobs.toArray()) {
    if (row.tag === '' || envelopeSchemaVersion(row.env) !== LEGACY_BLOB_SCHEMA) continue;
    let info: ReturnType<typeof openBlobRow>;
    try {
      info = openBlobRow(store.recordsKey, row);
    } catch (error) {
      rethrowLocked(error);
      continue;
    }
    try {
      blobs.push({ old: row, next: sealBlobRow(store.recordsKey, row.id, row.tag, info) });
    } finally {
      wipeBlobKey(info);
    }
  }
  let rewritten = 0;
  if (blobs.length > 0)
    await db.transaction('rw', db.blobs, async () => {
      const stored = await db.blobs.bulkGet(blobs.map(({ old }) => old.id));
      const puts = blobs
        .filter(({ old }, at) => stored[at] !== undefined && envelopeTag(stored[at].env) === envelopeTag(old.env))
        .map(({ next }) => next);
      await db.blobs.bulkPut(puts);
      rewritten += puts.length;
    });

  const commits = store.commits;
  const records: RecordRow[] = (await store.legacyCaseKeyRows()).map(({ next }) => next);
  const identityRow = await db.records.get(IDENTITY_ROW);
  if (identityRow && envelopeSchemaVersion(identityRow.env) < RECORD_KINDS.identity.migrations.current) {
    const identity = await store.find('identity', null, IDENTITY_ROW).catch(rethrowLocked);
    if (identity)
      try {
        records.push(await store.seal('identity', null, IDENTITY_ROW, identity));
      } finally {
        identity.signSecretKey.fill(0);
        identity.boxSecretKey.fill(0);
      }
  }
  records.push(
    await store.seal('maintenance', null, maintenanceId, {
      historyOfDeletedCasesReduced: maintenance?.historyOfDeletedCasesReduced ?? false,
      keysStoredAsBytes: true,
    }),
  );
  // `derived`: the same keys and facts rewritten, nothing the search index reads changed, so the records
  // generation stays (a snapshot written before still matches the vault).
  await store.commit({ put: records, unlessChangedSince: commits, derived: true });
  return rewritten + records.length - 1;
}

function rethrowLocked(error: unknown): undefined {
  if (error instanceof VaultError && error.code === 'locked') throw error;
  return undefined;
}
