import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { BYTE_FIELDS_MARKER } from '../crypto/key-bytes';
import { envelopeSchemaVersion, openJson, openRecord, sealJson, sealRecord } from '../crypto/envelope';
import { contentTag, openBlobRow, sealBlobRow } from '../blob-store';
import { custodyCaseTag, custodyDetailAddress, isSealedEntry, type StoredEntry } from '../custody-log';
import { RECORD_KINDS, rowIdOf, type RecordKind } from '../record-kinds';
import { rowNames } from '../row-ids';
import type { RecordRow, VaultDatabase } from '../storage/database';
import type { IntegrityMap } from '../integrity-map';
import type { KeyDomain } from './domain';

/**
 * Moves every row sealed in the `other` key domain into the `active` one,
 * in steps of one transaction each, so a crash or a lock between two steps
 * loses nothing: every row is, at every moment, wholly in one domain or the
 * other, and the next run finds what is left by looking, not by a cursor.
 * Records tell their domain by their `kind` hash; log and blob rows (whose
 * ids do not change) by which key opens them.
 *
 * Row ids that are keyed hashes (a draft's, a contact's, a document's text)
 * are derived again under the active key: the services find those rows by
 * recomputing them. Rows that open with neither key are left as they are
 * and counted: they were unreadable before the re-key too.
 */
export interface MoveHooks {
  /**
   * The integrity map the other domain's rows were last written under (the old keys' map, on the way to new
   * keys), or null (on the way back: the new keys never had one). A row it does not vouch for (an older copy
   * put back while the move was cut short) is not moved: it is left, unreadable, and counted.
   */
  otherMap: IntegrityMap | null;
  batchSize: number;
  /** Called after each committed step with the progress so far; what it throws stops the move (a lock, a
   * cancel, a test's simulated crash). */
  afterStep(done: number, total: number): Promise<void> | void;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export async function moveRows(
  db: VaultDatabase,
  other: KeyDomain,
  active: KeyDomain,
  hooks: MoveHooks,
): Promise<{ unreadable: number; rolledBack: number }> {
  await loadCaseKeys(db, other);
  await loadCaseKeys(db, active);
  const missingKeys = [...other.caseKeys.keys()].filter((caseId) => !active.caseKeys.has(caseId));
  const recordIds = await idsOfKinds(
    db,
    (Object.keys(RECORD_KINDS) as RecordKind[])
      .filter((kind) => kind !== 'case-key')
      .map((kind) => other.kindName(kind)),
  );
  const logIds = await db.log.toCollection().primaryKeys();
  const blobIds = await db.blobs.toCollection().primaryKeys();
  const total = missingKeys.length + recordIds.length + logIds.length + blobIds.length + 1;
  let done = 0;
  let unreadable = 0;
  let rolledBack = 0;
  const step = async (count: number) => {
    done += count;
    await hooks.afterStep(done, total);
  };

  // 1. Every case gets its key in the active domain (a new one; on the way back the old one is still there).
  for (const batch of chunks(missingKeys, hooks.batchSize)) {
    const rows = batch.map((caseId) => {
      const key = sodium.randombytes_buf(32);
      active.addCaseKey(caseId, key);
      return active.sealCaseKeyRow(caseId, key);
    });
    await db.transaction('rw', db.records, () => db.records.bulkPut(rows));
    await step(batch.length);
  }

  // 2. Records. A document's text and its remembered password are named after the document: their pre-images come
  // from document ids.
  const documentIds = await idsOfKinds(db, [other.kindName('document'), active.kindName('document')]);
  const namedAfterDocument = new Map(
    documentIds.flatMap((id) =>
      [rowNames.documentText(id), rowNames.documentPassword(id)].map((name) => [other.blind(name), name] as const),
    ),
  );
  for (const batch of chunks(recordIds, hooks.batchSize)) {
    // Checked before the transaction (the map reads its buckets, which must not happen inside one that writes
    // records); nothing else writes while rows move.
    const stale = new Set(
      hooks.otherMap
        ? await hooks.otherMap.stale(
            (await db.records.bulkGet(batch)).filter((row): row is RecordRow => row !== undefined),
          )
        : [],
    );
    await db.transaction('rw', db.records, async () => {
      const rows = await db.records.bulkGet(batch);
      const puts: RecordRow[] = [];
      const deletes: string[] = [];
      for (const row of rows) {
        if (!row || !other.kindOfName.has(row.kind)) continue;
        if (stale.has(row.id)) {
          rolledBack += 1;
          continue;
        }
        const moved = moveRecord(row, other, active, namedAfterDocument);
        if (moved === 'unreadable') unreadable += 1;
        else {
          deletes.push(row.id);
          if (moved) puts.push(moved);
        }
      }
      await db.records.bulkDelete(deletes);
      await db.records.bulkPut(puts);
    });
    await step(batch.length);
  }

  // 3. The custody log: same ids and hashes; the outer envelope under the active log key, details under the
  //    case's active key.
  const caseOfTag = new Map([...other.caseKeys].map(([caseId, key]) => [custodyCaseTag(key), caseId]));
  for (const batch of chunks(logIds, hooks.batchSize)) {
    await db.transaction('rw', db.log, async () => {
      const rows = await db.log.bulkGet(batch);
      const puts: { id: string; env: Uint8Array }[] = [];
      for (const row of rows) {
        if (
          !row ||
          opens(() => openRecord(active.keys.custodyLog, { table: 'log-entry', id: row.id }, row.env).fill(0))
        )
          continue;
        const moved = moveLogEntry(row, other, active, caseOfTag);
        if (moved) puts.push(moved);
        else unreadable += 1;
      }
      await db.log.bulkPut(puts);
    });
    await step(batch.length);
  }

  // 4. Content: each blob row (its content key and facts) under the active records key, its tag under the
  //    active blind-index key. The chunks are sealed with the blob's own key and stay as they are.
  for (const batch of chunks(blobIds, hooks.batchSize)) {
    await db.transaction('rw', db.blobs, async () => {
      const rows = await db.blobs.bulkGet(batch);
      const puts = [];
      for (const row of rows) {
        // An intake cut short ('' tag) is removed by the sweep at unlock; one that opens is already moved.
        if (!row || row.tag === '' || opens(() => sodium.memzero(openBlobRow(active.keys.records, row).key))) continue;
        try {
          const info = openBlobRow(other.keys.records, row);
          try {
            puts.push(sealBlobRow(active.keys.records, row.id, contentTag(active.keys.blindIndex, info.sha256), info));
          } finally {
            sodium.memzero(info.key);
          }
        } catch {
          unreadable += 1;
        }
      }
      await db.blobs.bulkPut(puts);
    });
    await step(batch.length);
  }

  // 5. Nothing is sealed with the other domain's case keys any more: their rows go.
  const otherKeyRows = await idsOfKinds(db, [other.kindName('case-key')]);
  await db.transaction('rw', db.records, () => db.records.bulkDelete(otherKeyRows));
  await step(1);
  return { unreadable, rolledBack };
}

function opens(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}

async function loadCaseKeys(db: VaultDatabase, domain: KeyDomain): Promise<void> {
  const rows = await db.records
    .where('[kind+owner]')
    .between([domain.kindName('case-key'), Dexie.minKey], [domain.kindName('case-key'), Dexie.maxKey])
    .toArray();
  for (const row of rows) {
    const opened = domain.openCaseKeyRow(row);
    if (opened && !domain.caseKeys.has(opened.caseId)) domain.addCaseKey(opened.caseId, opened.key);
  }
}

async function idsOfKinds(db: VaultDatabase, kinds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const kind of kinds)
    ids.push(
      ...(await db.records.where('[kind+owner]').between([kind, Dexie.minKey], [kind, Dexie.maxKey]).primaryKeys()),
    );
  return ids;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let at = 0; at < items.length; at += size) yield items.slice(at, at + size);
}

/** Which key seals a record of `kind` in a domain: its case's, the log key (the log head) or the records key. */
function sealingKey(domain: KeyDomain, kind: RecordKind, caseId: string | null): Uint8Array | undefined {
  if (caseId !== null) return domain.caseKeys.get(caseId);
  return kind === 'log-head' ? domain.keys.custodyLog : domain.keys.records;
}

/** The record as the active domain stores it; null: dropped (derived data); 'unreadable': left as it is. */
function moveRecord(
  row: RecordRow,
  other: KeyDomain,
  active: KeyDomain,
  namedAfterDocument: Map<string, string>,
): RecordRow | null | 'unreadable' {
  const kind = other.kindOfName.get(row.kind)!;
  // The search snapshot is derived from everything else: the next search writes a new one.
  if (kind === 'search-snapshot') return null;
  const caseId = row.owner === '' ? null : (other.caseOfOwner.get(row.owner) ?? undefined);
  if (caseId === undefined) return 'unreadable';
  const from = sealingKey(other, kind, caseId);
  const to = sealingKey(active, kind, caseId);
  if (!from || !to) return 'unreadable';
  let plain: Uint8Array;
  try {
    plain = openRecord(from, { table: kind, id: row.id }, row.env);
  } catch {
    return 'unreadable';
  }
  try {
    let id = row.id;
    const derivation = rowIdOf(kind);
    let preimage = derivation === 'of-document' ? namedAfterDocument.get(row.id) : undefined;
    const derive = typeof derivation === 'function' ? derivation : undefined;
    let value: Record<string, unknown> | undefined;
    if (derive) {
      // A record in the byte-fields layout (it holds keys) is not JSON: its id is derived only if it does not
      // depend on its fields (a fixed name, as the recovery tag keys' record has).
      if (plain[0] !== BYTE_FIELDS_MARKER) value = JSON.parse(decoder.decode(plain)) as Record<string, unknown>;
      preimage = derive(value ?? {}, caseId) ?? undefined;
    }
    // Only an id that is the keyed hash of its pre-image is derived (a record written otherwise keeps its id).
    if (preimage !== undefined && other.blind(preimage) === row.id) id = active.blind(preimage);
    // A record that names its own id (a contact) names the new one.
    if (value && value.id === row.id && id !== row.id) {
      sodium.memzero(plain);
      plain = encoder.encode(JSON.stringify({ ...value, id }));
    }
    const env = sealRecord(to, { table: kind, id }, envelopeSchemaVersion(row.env), plain);
    return { id, kind: active.kindName(kind), owner: caseId === null ? '' : active.ownerName(caseId), env };
  } finally {
    sodium.memzero(plain);
  }
}

/** A log row under the active keys; null when it opens with neither. */
function moveLogEntry(
  row: { id: string; env: Uint8Array },
  other: KeyDomain,
  active: KeyDomain,
  caseOfTag: Map<string, string>,
): { id: string; env: Uint8Array } | null {
  let entry: StoredEntry;
  try {
    entry = openJson(other.keys.custodyLog, { table: 'log-entry', id: row.id }, row.env) as StoredEntry;
  } catch {
    return null;
  }
  if (isSealedEntry(entry)) {
    const caseId = caseOfTag.get(entry.caseTag);
    const from = caseId === undefined ? undefined : other.caseKeys.get(caseId);
    const to = caseId === undefined ? undefined : active.caseKeys.get(caseId);
    // About a deleted case: its details stay sealed with a key that no longer exists, as they were.
    if (from && to) {
      const address = custodyDetailAddress(entry.seq);
      const sealed = sodium.from_base64(entry.detail);
      let detail: Uint8Array | null = null;
      try {
        detail = openRecord(from, address, sealed);
      } catch {
        // Damaged details stay as they are (verification reports them); the entry's place in the chain moves.
      }
      if (detail)
        try {
          entry = {
            ...entry,
            caseTag: custodyCaseTag(to),
            detail: sodium.to_base64(sealRecord(to, address, envelopeSchemaVersion(sealed), detail)),
          };
        } finally {
          sodium.memzero(detail);
        }
    }
  }
  return {
    id: row.id,
    env: sealJson(active.keys.custodyLog, { table: 'log-entry', id: row.id }, envelopeSchemaVersion(row.env), entry),
  };
}
