import type { CustodyLogPage, CustodyLogRow, VaultWorkerApi } from '../api';
import { VaultError } from './crypto/errors';
import type { VaultStore } from './vault-store';

type CustodyLogApi = Pick<VaultWorkerApi, 'listCustodyLog'>;

/** Most entries one page may ask for (a structured clone of a few MB at most). */
export const MAX_LOG_PAGE = 5000;

/**
 * The custody log as the log page lists it: every entry, newest first, its
 * details opened in the worker (with the case key, as readLog does) and
 * joined with what the page shows: the case title as it is now, and who (this
 * vault's identity, or for what an import brought, the bundle's signer).
 * Computed once per change of the vault (records or log) and kept until the
 * next, so paging through 100,000 entries opens them once. Dropped at lock.
 */
export function createCustodyLogService(deps: {
  session: () => { store: VaultStore; actor: string };
  /** This vault's identity name ('' when unnamed). */
  ownName: () => Promise<string>;
  /** Signer names of the bundles this vault took in, by bundle id. */
  senders: () => Promise<Map<string, string>>;
}) {
  let kept: { store: VaultStore; version: string; rows: CustodyLogRow[] } | null = null;

  async function allRows(): Promise<CustodyLogRow[]> {
    const { store, actor } = deps.session();
    const version = `${store.commits}:${store.logLength}`;
    if (kept?.store === store && kept.version === version) return kept.rows;
    const rows = await computeRows(store, actor);
    // Kept only if nothing changed while it was computed.
    if (`${store.commits}:${store.logLength}` === version) kept = { store, version, rows };
    return rows;
  }

  async function computeRows(store: VaultStore, actor: string): Promise<CustodyLogRow[]> {
    const { entries } = await store.readLog();
    const titles = new Map(
      (await store.listAcrossCases('case')).records.map(({ caseId, value }) => [caseId, value.title] as const),
    );
    const ownName = await deps.ownName();
    const senders = entries.some((entry) => entry.action === 'imported')
      ? await deps.senders()
      : new Map<string, string>();
    const rows: CustodyLogRow[] = [];
    // An import writes its bundle entries (one per case) first, then one entry per item it took, all in one
    // commit: the items' entries name the sender of the bundle entries just before them. When the bundle's
    // record is gone (its cases deleted), or the entry's details went with its case, the sender is not known:
    // such an entry says so rather than naming this vault. `run` is the import being read (null: none).
    let run: { sender: string | null } | null = null;
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      if (entry.action !== 'imported') run = null;
      else if (entry.targetKind === 'bundle') run = { sender: senders.get(entry.targetId) ?? null };
      const fromImport: { sender: string | null } | null =
        entry.action !== 'imported' ? null : entry.aboutDeletedCase ? { sender: null } : run;
      const who: CustodyLogRow['who'] =
        fromImport !== null
          ? fromImport.sender !== null
            ? { kind: 'sender', name: fromImport.sender }
            : { kind: 'unknown-sender' }
          : entry.actor === actor
            ? { kind: 'self', name: ownName }
            : { kind: 'other', name: entry.actor };
      const caseId = entry.caseId ?? null;
      rows.push({
        seq: entry.seq,
        time: entry.time,
        action: entry.action,
        targetKind: entry.aboutDeletedCase ? null : entry.targetKind,
        caseId,
        caseTitle: caseId === null ? null : (titles.get(caseId) ?? null),
        aboutDeletedCase: entry.aboutDeletedCase === true,
        who,
        hash: entry.hash,
      });
    }
    return rows.reverse();
  }

  const api: CustodyLogApi = {
    async listCustodyLog(page): Promise<CustodyLogPage> {
      const { before, limit } = (page ?? {}) as { before?: unknown; limit?: unknown };
      if (
        typeof limit !== 'number' ||
        !Number.isInteger(limit) ||
        limit < 1 ||
        limit > MAX_LOG_PAGE ||
        (before !== undefined && (typeof before !== 'number' || !Number.isInteger(before)))
      )
        throw new VaultError('invalid-input', 'Invalid custody log page.');
      const rows = await allRows();
      // Newest first: seqs descend, so the first row older than `before` is found by halving.
      let start = 0;
      if (before !== undefined) {
        let end = rows.length;
        while (start < end) {
          const middle = (start + end) >>> 1;
          if (rows[middle]!.seq >= before) start = middle + 1;
          else end = middle;
        }
      }
      const entries = rows.slice(start, start + limit);
      const more = start + limit < rows.length;
      return { entries, total: rows.length, nextBefore: more ? entries[entries.length - 1]!.seq : null };
    },
  };

  return {
    api,
    /** At lock: what was opened goes too. */
    drop: () => {
      kept = null;
    },
  };
}
