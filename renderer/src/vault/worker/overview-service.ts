import type { VaultOverview, VaultWorkerApi } from '../api';
import { isAnnotatable, newerFirst, type RecentDocument } from './list-index';
import type { VaultStore } from './vault-store';

type OverviewApi = Pick<VaultWorkerApi, 'overview'>;

const RECENT = 10;
const AWAITING = 20;

/**
 * Counts and lists for the home screen, from the summaries the list index
 * keeps (one row per kind) and the custody log's tail, and kept until the
 * vault changes (records or custody log). Dropped at lock.
 */
export function createOverviewService(deps: {
  session: () => { store: VaultStore };
  listAllDocuments: VaultWorkerApi['listAllDocuments'];
}) {
  let kept: { store: VaultStore; version: string; overview: VaultOverview } | null = null;

  const api: OverviewApi = {
    async overview(): Promise<VaultOverview> {
      const { store } = deps.session();
      const version = `${store.commits}:${store.logLength}`;
      if (kept?.store === store && kept.version === version) return kept.overview;
      const overview = await computeOverview(store);
      // Kept only if nothing changed while it was computed.
      if (`${store.commits}:${store.logLength}` === version) kept = { store, version, overview };
      return overview;
    },
  };

  async function computeOverview(store: VaultStore): Promise<VaultOverview> {
    // One summary row per kind, kept by every commit beside the list index (list-index/list-entries.ts).
    const cases = await store.listSummary('case');
    const hearings = await store.listSummary('hearing');
    const documents = await store.listSummary('document');
    const annotated = await store.listSummary('annotation-page');
    const awaiting = documents.recent.filter(([id]) => !annotated.pages[id]);
    // The summary keeps only the newest documents: when too few of them are unannotated and it does not hold them
    // all, every document is read.
    const recent =
      awaiting.length >= AWAITING || documents.recent.length === documents.annotatable
        ? awaiting
        : (await deps.listAllDocuments()).documents
            .filter((document) => isAnnotatable(document) && !annotated.pages[document.id])
            .map((document): RecentDocument => [document.id, document.caseId, document.name, document.intakeAt])
            .sort(newerFirst);
    return {
      casesByStatus: { ...cases.byStatus },
      hearingsPerMonth: Object.entries(hearings.perMonth)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, count]) => ({ month, count })),
      indicatorAnswers: { ...hearings.answers },
      // The latest entries through the log tail, not the whole log.
      recentActivity: await store.recentLog(RECENT),
      awaitingAnnotation: recent
        .slice(0, AWAITING)
        .map(([documentId, caseId, name, intakeAt]) => ({ caseId, documentId, name, intakeAt })),
      documentCount: documents.count,
    };
  }

  return {
    api,
    /** At lock: what was computed from the records goes too. */
    drop: () => {
      kept = null;
    },
  };
}
