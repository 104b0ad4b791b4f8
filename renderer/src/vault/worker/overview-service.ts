import type { VaultOverview, VaultWorkerApi } from '../api';
import type { VaultStore } from './vault-store';

type OverviewApi = Pick<VaultWorkerApi, 'overview'>;

const RECENT = 10;
const AWAITING = 20;

/**
 * Counts and lists for the home screen, computed from the decrypted records
 * and kept until the vault changes (records or custody log), so returning to
 * the home screen does not open the whole vault again. Dropped at lock.
 */
export function createOverviewService(deps: {
  session: () => { store: VaultStore };
  listAllHearings: VaultWorkerApi['listAllHearings'];
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
    // Every list from its sealed index (list-index/): no record is opened while the index holds.
    const casesByStatus: Record<string, number> = {};
    for (const { entry } of (await store.listEntries('case')).entries)
      if (!entry.archived) casesByStatus[entry.status] = (casesByStatus[entry.status] ?? 0) + 1;
    const perMonth = new Map<string, number>();
    const indicatorAnswers: Record<string, number> = {};
    for (const hearing of (await deps.listAllHearings()).hearings) {
      const month = /^(\d{4}-\d{2})/.exec(hearing.current.date)?.[1];
      if (month) perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      for (const answer of hearing.latestFinal?.indicators ?? [])
        indicatorAnswers[answer.answer] = (indicatorAnswers[answer.answer] ?? 0) + 1;
    }
    const annotated = new Set<string>();
    for (const { entry } of (await store.listEntries('annotation-page')).entries)
      if (entry.annotations > 0) annotated.add(entry.documentId);
    const { documents } = await deps.listAllDocuments();
    const awaitingAnnotation = documents
      .filter(
        (document) =>
          !annotated.has(document.id) &&
          (document.kind === 'pdf' || document.kind === 'text' || document.kind === 'image'),
      )
      .sort((a, b) => b.intakeAt - a.intakeAt)
      .slice(0, AWAITING)
      .map(({ caseId, id, name, intakeAt }) => ({ caseId, documentId: id, name, intakeAt }));
    return {
      casesByStatus,
      hearingsPerMonth: [...perMonth]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, count]) => ({ month, count })),
      indicatorAnswers,
      // The latest entries through the log tail, not the whole log.
      recentActivity: await store.recentLog(RECENT),
      awaitingAnnotation,
      documentCount: documents.length,
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
