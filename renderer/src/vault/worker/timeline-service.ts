import type { VaultWorkerApi } from '../api';
import { timelineEventFieldsSchema, type TimelineEventRecord } from '../timeline-model';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { VaultStore } from './vault-store';
import { draftNames } from '../draft-names';
import { draftRefs } from './drafts';

type TimelineApi = Pick<VaultWorkerApi, 'listTimelineEvents' | 'saveTimelineEvent' | 'deleteTimelineEvent'>;

/**
 * Timeline events are case records (sealed with the case key), one row per
 * event; each change is one commit with its custody-log entry. Hearings are
 * not stored here: the timeline shows them from the hearings themselves.
 */
export function createTimelineService(session: () => { store: VaultStore }) {
  const load = (store: VaultStore, caseId: string, id: string): Promise<TimelineEventRecord> =>
    store.read('timeline-event', caseId, id);

  const api: TimelineApi = {
    async listTimelineEvents(caseId) {
      const { store } = session();
      const events = (await store.list('timeline-event', caseId)).map(({ value }) => value);
      return events.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt);
    },

    async saveTimelineEvent(caseId, id, input) {
      const { store } = session();
      const parsed = timelineEventFieldsSchema.safeParse(input);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid timeline event.');
      const now = Date.now();
      let record: TimelineEventRecord;
      if (id === null) {
        if ((await store.find('case', caseId, caseId)) === undefined)
          throw new VaultError('not-found', 'This case does not exist.');
        record = { ...parsed.data, id: randomId(), caseId, createdAt: now, updatedAt: now };
      } else {
        const existing = await load(store, caseId, id);
        record = { ...existing, ...parsed.data, updatedAt: now };
      }
      await store.commit({
        put: [await store.seal('timeline-event', caseId, record.id, record)],
        log: [{ action: id === null ? 'created' : 'edited', targetKind: 'event', targetId: record.id, caseId }],
      });
      return record;
    },

    async deleteTimelineEvent(caseId, id) {
      const { store } = session();
      await load(store, caseId, id);
      await store.commit({
        delete: [{ table: 'timeline-event', caseId, id }, ...draftRefs(store, [draftNames.event(caseId, id)])],
        log: [{ action: 'deleted', targetKind: 'event', targetId: id, caseId }],
      });
    },
  };
  return api;
}
