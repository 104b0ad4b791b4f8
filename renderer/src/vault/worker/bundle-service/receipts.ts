import type { BundleImportPreview, VaultWorkerApi } from '../../api';
import type { BundleImportRecord, BundleReceipt, ReceiptCustody } from '../../bundle-model';
import { verifyCustodySegment, type CustodySegment } from '../bundle';
import { custodySegmentSchema } from '../bundle/custody-segment';
import { VaultError } from '../crypto/errors';
import { randomId } from '../crypto/keys';
import { RECORD_KINDS } from '../record-kinds';
import { BUNDLE_KINDS, TRAVELLING_KINDS } from '../record-kinds-bundle';
import { rowNames } from '../row-ids';
import type { VaultChange, VaultStore } from '../vault-store';
import { absentIfNotFound, type BundleServices } from './common';

/**
 * One earlier import as the preview, the import rules and the lists see it:
 * a vault-wide record from before per-case receipts, or one bundle's
 * receipts merged back into one record.
 */
export interface EarlierImportRecord extends Omit<BundleImportRecord, 'custodyLog'> {
  custodyLog: ReceiptCustody;
}

type RecordChange = Required<Pick<VaultChange, 'put' | 'delete'>>;

// ── the sender's custody segment as receipts keep it ─────────────────────────

type SegmentEntry = CustodySegment['entries'][number];

function parseSegment(text: string): CustodySegment | null {
  try {
    return custodySegmentSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

const isFullAbout = (entry: SegmentEntry, keep: ReadonlySet<string>) =>
  !('redacted' in entry) && entry.caseId !== undefined && keep.has(entry.caseId);

/** The segment with full entries only about `keep`'s cases, the others reduced to their links. */
function reduced(segment: CustodySegment, keep: ReadonlySet<string>): CustodySegment {
  return {
    ...segment,
    entries: segment.entries.map((entry) =>
      'redacted' in entry || isFullAbout(entry, keep)
        ? entry
        : { seq: entry.seq, redacted: true, previousHash: entry.previousHash, hash: entry.hash },
    ),
  };
}

/**
 * The sender's custody segment as one case keeps it: full entries only
 * about `keep`'s cases, the others reduced to their links (the chain still
 * verifies). A segment that does not parse is kept as it came.
 */
function segmentFor(text: string, keep: ReadonlySet<string>): string {
  const segment = parseSegment(text);
  return segment === null ? text : JSON.stringify(reduced(segment, keep));
}

/**
 * A segment split for keeping: its links once (every entry reduced), and
 * for each case its full entries with their places. Null when it does not
 * parse (then each receipt keeps it as it came).
 */
function splitSegment(text: string): { links: string; entriesOf(caseId: string): string } | null {
  const segment = parseSegment(text);
  if (segment === null) return null;
  return {
    links: JSON.stringify(reduced(segment, new Set())),
    entriesOf: (caseId) =>
      JSON.stringify(
        segment.entries.flatMap((entry, at) => (isFullAbout(entry, new Set([caseId])) ? [[at, entry]] : [])),
      ),
  };
}

/** A case's segment again from the shared links and its entries: what `segmentFor(text, {case})` gives. */
function joinSegment(links: string, entries: string): string {
  try {
    const segment = JSON.parse(links) as CustodySegment;
    const full = new Map(JSON.parse(entries) as [number, SegmentEntry][]);
    return JSON.stringify({ ...segment, entries: segment.entries.map((entry, at) => full.get(at) ?? entry) });
  } catch {
    return ''; // reads as an unreadable custody log
  }
}

/** The custody segment a receipt keeps, as text; null when the bundle carried none. */
async function custodyText(store: VaultStore, custody: ReceiptCustody): Promise<string | null> {
  if (custody === null) return null;
  if ('text' in custody) return custody.text;
  const shared = await store.find('received-custody-log', null, custody.shared).catch(absentIfNotFound);
  // Its links gone: the segment no longer verifies, which is what the list says.
  return shared === undefined ? '' : joinSegment(shared.links, custody.entries);
}

/** The writes that take `cases` out of the shared custody logs named: each goes once no case is left. */
async function releaseShared(
  store: VaultStore,
  released: ReadonlyMap<string, ReadonlySet<string>>,
  change: RecordChange,
) {
  for (const [id, cases] of released) {
    const shared = await store.find('received-custody-log', null, id).catch(absentIfNotFound);
    if (!shared) continue;
    const left = shared.cases.filter((caseId) => !cases.has(caseId));
    if (left.length === 0) change.delete.push({ table: 'received-custody-log', caseId: null, id });
    else change.put.push(await store.seal('received-custody-log', null, id, { ...shared, cases: left }));
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string) {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

/** What a merge tells the receipts about the import it commits. */
export interface ImportTaken {
  preview: BundleImportPreview;
  headerHash: string;
  /** The sender's custody segment as it came, or null. */
  custodyLog: string | null;
  /** Item id → SHA-256 of every item this vault now holds as the bundle had it (taken, or found the same). */
  items: Record<string, string>;
  /** Id in this vault → item id, for every item written. */
  takenHere: Record<string, string>;
  caseOfItem(itemId: string): string;
  /** Every case the bundle carries records of. */
  touched: readonly string[];
  newCases: ReadonlySet<string>;
}

/**
 * What imports leave: one receipt per case an import touched (sealed with
 * that case's key, deleted with it) and the sender's custody log kept once
 * per import; the older vault-wide import records, scrubbed of each case
 * deleted; and what the lists of received bundles and item origins read.
 */
export function createReceipts(services: BundleServices) {
  const { session } = services;

  /**
   * Every earlier import, as far as the cases still here know it. Imports
   * since per-case receipts: one receipt per case it touched, merged back
   * into one record per bundle. Older imports: one vault-wide record each
   * (`forgetCase` takes a deleted case's part out of them).
   */
  async function previousImports(store: VaultStore): Promise<EarlierImportRecord[]> {
    const legacy = (await store.list('bundle-import', null)).map(({ value }): EarlierImportRecord => ({
      ...value,
      custodyLog: value.custodyLog === null ? null : { text: value.custodyLog },
    }));
    const byBundle = new Map<string, EarlierImportRecord>();
    for (const { value: receipt } of (await store.listAcrossCases('bundle-receipt')).records) {
      const seen = byBundle.get(receipt.bundleId);
      if (!seen)
        byBundle.set(receipt.bundleId, {
          ...receipt,
          items: { ...receipt.items },
          taken: { ...receipt.taken },
          created: [...(receipt.created ?? [])],
        });
      else {
        Object.assign(seen.items, receipt.items);
        Object.assign(seen.taken!, receipt.taken);
        seen.created!.push(...(receipt.created ?? []));
        seen.custodyLog ??= receipt.custodyLog;
      }
    }
    return [...legacy, ...byBundle.values()];
  }

  /**
   * The receipts of an import being merged, one per case it touched: what it
   * took there (item ids and hashes), the signer, and the case's entries of
   * the sender's custody log, whose links are kept once for the import.
   * The same bundle opened again (something of it was deleted here
   * meanwhile) adds to its receipts: what the first import created and took
   * stays credited to its signer.
   */
  async function receiptsOf(store: VaultStore, taken: ImportTaken): Promise<RecordChange> {
    const change: RecordChange = { put: [], delete: [] };
    const { preview } = taken;
    const split = taken.custodyLog === null ? null : splitSegment(taken.custodyLog);
    const sharedId = split ? randomId() : null;
    const released = new Map<string, Set<string>>();
    const importedAt = Date.now();
    const ofCase = (record: Record<string, string>, caseId: string, itemIdOf: (entry: [string, string]) => string) =>
      Object.fromEntries(Object.entries(record).filter((entry) => taken.caseOfItem(itemIdOf(entry)) === caseId));
    for (const caseId of taken.touched) {
      const receiptId = store.blind(rowNames.bundleReceipt(preview.bundleId, caseId));
      const before = await store.find('bundle-receipt', caseId, receiptId).catch(absentIfNotFound);
      if (before?.custodyLog && 'shared' in before.custodyLog) addTo(released, before.custodyLog.shared, caseId);
      const receipt: BundleReceipt = {
        bundleId: preview.bundleId,
        importedAt: before?.importedAt ?? importedAt,
        signer: { name: preview.signer.name, signingKey: preview.signer.signingKey, status: preview.signer.status },
        headerHash: taken.headerHash,
        createdAt: preview.createdAt,
        items: { ...before?.items, ...ofCase(taken.items, caseId, ([itemId]) => itemId) },
        taken: { ...before?.taken, ...ofCase(taken.takenHere, caseId, ([, itemId]) => itemId) },
        custodyLog:
          taken.custodyLog === null
            ? null
            : split && sharedId
              ? { shared: sharedId, entries: split.entriesOf(caseId) }
              : { text: taken.custodyLog },
        created: [...new Set([...(before?.created ?? []), ...(taken.newCases.has(caseId) ? [caseId] : [])])],
      };
      change.put.push(await store.seal('bundle-receipt', caseId, receiptId, receipt));
    }
    if (split && sharedId)
      change.put.push(
        await store.seal('received-custody-log', null, sharedId, { links: split.links, cases: [...taken.touched] }),
      );
    await releaseShared(store, released, change);
    return change;
  }

  /** Record item ids ("document:<id>", …) of one case as it is now; empty if it is not here. */
  async function itemIdsOf(caseId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    try {
      for (const kind of TRAVELLING_KINDS)
        for (const key of await BUNDLE_KINDS[kind].heldKeys(services, caseId))
          ids.add(`${RECORD_KINDS[kind].bundleItem}:${key}`);
    } catch (error) {
      absentIfNotFound(error);
      return new Set();
    }
    return ids;
  }

  /** The shared custody logs a case's receipts point at; when they cannot be read, every one naming the case. */
  async function sharedLogsOf(store: VaultStore, caseId: string): Promise<string[]> {
    try {
      return (await store.list('bundle-receipt', caseId)).flatMap(({ value }) =>
        value.custodyLog && 'shared' in value.custodyLog ? [value.custodyLog.shared] : [],
      );
    } catch (error) {
      // No key: the case and its receipts went before this version (it has nothing shared to release).
      if (error instanceof VaultError && error.code === 'not-found') return [];
    }
    const all = await store.list('received-custody-log', null).catch(() => []);
    return all.filter(({ value }) => value.cases.includes(caseId)).map(({ id }) => id);
  }

  /**
   * The writes that take a case being deleted out of what imports left
   * outside it: the shared custody logs its receipts point at (each goes with
   * its last case), and import records written before per-case receipts
   * (one vault-wide record per bundle): each that names the case keeps only
   * what belongs to its other cases still here (items, taken, created, full
   * custody entries), or goes when none is left. The receipts themselves
   * are the case's rows, deleted with it.
   */
  async function forgetCase(store: VaultStore, caseId: string): Promise<RecordChange> {
    const change: RecordChange = { put: [], delete: [] };
    const idsOfCase = new Map<string, Promise<Set<string>>>();
    const idsOf = (id: string) => {
      let ids = idsOfCase.get(id);
      if (!ids) {
        ids = itemIdsOf(id);
        idsOfCase.set(id, ids);
      }
      return ids;
    };
    for (const { id, value: record } of await store.list('bundle-import', null)) {
      const named = (key: string) => key === `case:${caseId}`;
      if (
        !Object.keys(record.items).some(named) &&
        !Object.keys(record.taken ?? {}).some(named) &&
        !(record.created ?? []).includes(caseId)
      )
        continue;
      const cases = [...Object.keys(record.items), ...Object.keys(record.taken ?? {})]
        .filter((key) => key.startsWith('case:'))
        .map((key) => key.slice('case:'.length));
      const others = new Set<string>();
      const keepIds = new Set<string>();
      for (const other of new Set(cases))
        if (other !== caseId) {
          const ids = await idsOf(other);
          if (ids.size === 0) continue;
          others.add(other);
          for (const itemId of ids) keepIds.add(itemId);
        }
      if (others.size === 0) {
        change.delete.push({ table: 'bundle-import', caseId: null, id });
        continue;
      }
      const taken = Object.fromEntries(Object.entries(record.taken ?? {}).filter(([local]) => keepIds.has(local)));
      const fromBundle = new Set(Object.values(taken));
      const scrubbed: BundleImportRecord = {
        ...record,
        items: Object.fromEntries(
          Object.entries(record.items).filter(([itemId]) => keepIds.has(itemId) || fromBundle.has(itemId)),
        ),
        ...(record.taken ? { taken } : {}),
        custodyLog: record.custodyLog === null ? null : segmentFor(record.custodyLog, others),
        ...(record.created ? { created: record.created.filter((created) => others.has(created)) } : {}),
      };
      change.put.push(await store.seal('bundle-import', null, id, scrubbed));
    }
    const released = new Map<string, Set<string>>();
    for (const shared of await sharedLogsOf(store, caseId)) addTo(released, shared, caseId);
    await releaseShared(store, released, change);
    return change;
  }

  /**
   * At unlock: import records written before per-case receipts that still
   * name cases deleted by an earlier version lose those cases' parts now
   * (what forgetCase does at deletion). One commit, or none.
   */
  async function forgetDeletedCases(store: VaultStore): Promise<void> {
    const named = new Set<string>();
    for (const { value } of await store.list('bundle-import', null)) {
      for (const key of [...Object.keys(value.items), ...Object.keys(value.taken ?? {})])
        if (key.startsWith('case:')) named.add(key.slice('case:'.length));
      for (const caseId of value.created ?? []) named.add(caseId);
    }
    const change: RecordChange = { put: [], delete: [] };
    for (const caseId of named) {
      if ((await store.find('case', caseId, caseId).catch(() => undefined)) !== undefined) continue;
      const forgotten = await forgetCase(store, caseId);
      // Later cases of the same record see what the earlier ones left.
      const puts = new Map(change.put.map((row) => [row.id, row]));
      for (const row of forgotten.put) puts.set(row.id, row);
      change.put = [...puts.values()];
      change.delete.push(...forgotten.delete);
    }
    const deleted = new Set(change.delete.map((ref) => ref.id));
    change.put = change.put.filter((row) => !deleted.has(row.id));
    if (change.put.length + change.delete.length > 0) await store.commit(change);
  }

  const api: Pick<VaultWorkerApi, 'listReceivedBundles' | 'itemOrigin'> = {
    async listReceivedBundles() {
      const { store } = session();
      const received = [];
      for (const record of await previousImports(store)) {
        const text = await custodyText(store, record.custodyLog);
        const verdict = text === null ? null : verifyCustodySegment(new TextEncoder().encode(text));
        received.push({
          bundleId: record.bundleId,
          importedAt: record.importedAt,
          createdAt: record.createdAt,
          signer: record.signer,
          items: Object.keys(record.items).length,
          custodyLog:
            verdict === null
              ? null
              : verdict.ok
                ? { ok: true as const, entries: verdict.entries, redacted: verdict.redacted }
                : { ok: false as const, reason: verdict.reason },
        });
      }
      return received.sort((a, b) => b.importedAt - a.importedAt);
    },

    async itemOrigin(itemId) {
      const { store } = session();
      if (typeof itemId !== 'string' || itemId.length > 200) throw new VaultError('invalid-input', 'Invalid item id.');
      // Only imports that wrote the item: one that found it already here, identical, did not bring it.
      const latest = (await previousImports(store))
        .filter((record) => record.taken !== undefined && Object.hasOwn(record.taken, itemId))
        .sort((a, b) => b.importedAt - a.importedAt)[0];
      if (!latest) return null;
      return {
        bundleId: latest.bundleId,
        importedAt: latest.importedAt,
        createdAt: latest.createdAt,
        signer: { name: latest.signer.name, status: latest.signer.status },
      };
    },
  };

  return { api, previousImports, receiptsOf, forgetCase, forgetDeletedCases };
}

export type Receipts = ReturnType<typeof createReceipts>;
