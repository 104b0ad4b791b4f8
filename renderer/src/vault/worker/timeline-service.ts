import type { VaultWorkerApi } from '../api';
import { timelineEventFieldsSchema, timelineEventRecordSchema, type TimelineEventRecord } from '../timeline-model';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { VaultStore } from './vault-store';

type TimelineApi = Pick<VaultWorkerApi, 'listTimelineEvents' | 'saveTimelineEvent' | 'deleteTimelineEvent'>;

function parseStored(value: unknown): TimelineEventRecord {
  const parsed = timelineEventRecordSchema.safeParse(value);
  if (!parsed.success) throw new VaultError('record-tampered', 'A stored timeline event is malformed.');
  return parsed.data;
}

/**
 * Timeline events are case records (sealed with the case key), one row per
 * event; each change is one commit with its custody-log entry. Hearings are
 * not stored here: the timeline shows them from the hearings themselves.
 */
export function createTimelineService(session: () => { store: VaultStore }) {
  async function load(store: VaultStore, caseId: string, id: string): Promise<TimelineEventRecord> {
    const value = await store.readCaseRecord(caseId, 'timeline-event', id);
    if (value === undefined) throw new VaultError('not-found', 'This timeline event does not exist.');
    return parseStored(value);
  }

  const api: TimelineApi = {
    async listTimelineEvents(caseId) {
      const { store } = session();
      const events = (await store.listCaseRecords(caseId, 'timeline-event')).map(({ value }) => parseStored(value));
      return events.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt);
    },

    async saveTimelineEvent(caseId, id, input) {
      const { store } = session();
      const parsed = timelineEventFieldsSchema.safeParse(input);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid timeline event.');
      const now = Date.now();
      let record: TimelineEventRecord;
      if (id === null) {
        if ((await store.readCaseRecord(caseId, 'case', caseId)) === undefined)
          throw new VaultError('not-found', 'This case does not exist.');
        record = { ...parsed.data, id: randomId(), caseId, createdAt: now, updatedAt: now };
      } else {
        const existing = await load(store, caseId, id);
        record = { ...existing, ...parsed.data, updatedAt: now };
      }
      await store.commit({
        put: [await store.sealCaseRecord(caseId, 'timeline-event', record.id, record)],
        log: [{ action: id === null ? 'created' : 'edited', targetKind: 'event', targetId: record.id, caseId }],
      });
      return record;
    },

    async deleteTimelineEvent(caseId, id) {
      const { store } = session();
      await load(store, caseId, id);
      await store.commit({ delete: [id], log: [{ action: 'deleted', targetKind: 'event', targetId: id, caseId }] });
    },
  };
  return api;
}
