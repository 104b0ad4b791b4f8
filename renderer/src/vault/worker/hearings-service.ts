import type { HearingRecord, VaultWorkerApi } from '../api';
import { hearingFieldsSchema, type HearingFields } from '../hearing-model';
import { edit, finalise, newVersioned } from '../versions';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { VaultStore } from './vault-store';
import { settleWithheldAccused } from './bundle-service/withholding';
import { draftNames } from '../draft-names';
import { draftRefs } from './drafts';

type HearingApi = Pick<
  VaultWorkerApi,
  'listHearings' | 'listAllHearings' | 'saveHearing' | 'finaliseHearing' | 'deleteHearing'
>;

function validFields(input: unknown): HearingFields {
  const parsed = hearingFieldsSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('invalid-input', 'Invalid hearing record.');
  // A defendant a bundle withheld keeps the mark only while they still are its placeholder.
  return { ...parsed.data, accused: parsed.data.accused.map(settleWithheldAccused) };
}

/**
 * Hearings are case records (sealed with the case key). A hearing is edited
 * as a draft until the monitor finalises it; an edit after that starts the
 * next version and the finalised ones stay in its history. Every change is
 * one commit with its custody-log entry.
 */
export function createHearingService(session: () => { store: VaultStore; actor: string }) {
  const load = (store: VaultStore, caseId: string, id: string): Promise<HearingRecord> =>
    store.read('hearing', caseId, id);

  async function write(store: VaultStore, record: HearingRecord, action: 'created' | 'edited' | 'finalised') {
    await store.commit({
      put: [await store.seal('hearing', record.caseId, record.id, record)],
      log: [{ action, targetKind: 'hearing', targetId: record.id, caseId: record.caseId }],
    });
    return record;
  }

  const api: HearingApi = {
    async listHearings(caseId) {
      const { store } = session();
      const hearings = (await store.list('hearing', caseId)).map(({ value }) => value);
      return hearings.sort(
        (a, b) => a.hearing.value.date.localeCompare(b.hearing.value.date) || a.createdAt - b.createdAt,
      );
    },

    async listAllHearings() {
      const { store } = session();
      // A record moved into another case reads as damaged, like an unreadable one (the store checks).
      const { entries, damaged } = await store.listEntries('hearing');
      return { hearings: entries.map(({ entry }) => entry), damaged };
    },

    async saveHearing(caseId, id, input) {
      const { store } = session();
      const fields = validFields(input);
      const now = Date.now();
      if (id === null) {
        await store.read('case', caseId, caseId);
        return write(
          store,
          { id: randomId(), caseId, createdAt: now, updatedAt: now, hearing: newVersioned(fields) },
          'created',
        );
      }
      const existing = await load(store, caseId, id);
      return write(store, { ...existing, updatedAt: now, hearing: edit(existing.hearing, fields) }, 'edited');
    },

    async finaliseHearing(caseId, id) {
      const { store, actor } = session();
      const existing = await load(store, caseId, id);
      if (existing.hearing.state === 'final')
        throw new VaultError('invalid-input', 'This version is already finalised.');
      const now = Date.now();
      return write(
        store,
        { ...existing, updatedAt: now, hearing: finalise(existing.hearing, actor, now) },
        'finalised',
      );
    },

    async deleteHearing(caseId, id) {
      const { store } = session();
      await load(store, caseId, id);
      await store.commit({
        delete: [{ table: 'hearing', caseId, id }, ...draftRefs(store, [draftNames.hearing(caseId, id)])],
        log: [{ action: 'deleted', targetKind: 'hearing', targetId: id, caseId }],
      });
    },
  };
  return api;
}
