import type { VaultOverview, VaultWorkerApi } from '../api';
import { latestFinal } from '../versions';
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
    const casesByStatus: Record<string, number> = {};
    for (const { value } of (await store.listAcrossCases('case')).records)
      if (!value.archived) casesByStatus[value.status] = (casesByStatus[value.status] ?? 0) + 1;
    const perMonth = new Map<string, number>();
    const indicatorAnswers: Record<string, number> = {};
    for (const hearing of (await deps.listAllHearings()).hearings) {
      const month = /^(\d{4}-\d{2})/.exec(hearing.hearing.value.date)?.[1];
      if (month) perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      for (const answer of latestFinal(hearing.hearing)?.value.indicators ?? [])
        indicatorAnswers[answer.answer] = (indicatorAnswers[answer.answer] ?? 0) + 1;
    }
    const annotated = new Set<string>();
    for (const { value } of (await store.listAcrossCases('annotation-page')).records)
      for (const annotation of value.annotations) annotated.add(annotation.documentId);
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
    const { entries } = await store.readLog();
    return {
      casesByStatus,
      hearingsPerMonth: [...perMonth]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, count]) => ({ month, count })),
      indicatorAnswers,
      recentActivity: entries.slice(-RECENT).reverse(),
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
