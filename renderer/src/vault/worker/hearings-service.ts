import type { HearingRecord, VaultWorkerApi } from '../api';
import { hearingFieldsSchema, type HearingFields } from '../hearing-model';
import { edit, finalise, newVersioned } from '../versions';
import { z } from '../zod';
import { VaultError } from './crypto/errors';
import { randomId } from './crypto/keys';
import type { VaultStore } from './vault-store';

type HearingApi = Pick<
  VaultWorkerApi,
  'listHearings' | 'listAllHearings' | 'saveHearing' | 'finaliseHearing' | 'deleteHearing'
>;

export const storedHearingSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  caseId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  hearing: z.object({
    value: hearingFieldsSchema,
    state: z.enum(['draft', 'final']),
    version: z.number().int().positive(),
    history: z.array(
      z.object({
        version: z.number().int().positive(),
        finalisedAt: z.number().int().nonnegative(),
        finalisedBy: z.string().max(64),
        value: hearingFieldsSchema,
      }),
    ),
  }),
});

function parseStored(value: unknown): HearingRecord {
  const parsed = storedHearingSchema.safeParse(value);
  if (!parsed.success) throw new VaultError('record-tampered', 'A stored hearing is malformed.');
  return parsed.data;
}

function validFields(input: unknown): HearingFields {
  const parsed = hearingFieldsSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('invalid-input', 'Invalid hearing record.');
  return parsed.data;
}

/**
 * Hearings are case records (sealed with the case key). A hearing is edited
 * as a draft until the monitor finalises it; an edit after that starts the
 * next version and the finalised ones stay in its history. Every change is
 * one commit with its custody-log entry.
 */
export function createHearingService(session: () => { store: VaultStore; actor: string }) {
  async function load(store: VaultStore, caseId: string, id: string): Promise<HearingRecord> {
    const value = await store.readCaseRecord(caseId, 'hearing', id);
    if (value === undefined) throw new VaultError('not-found', 'This hearing does not exist.');
    return parseStored(value);
  }

  async function write(store: VaultStore, record: HearingRecord, action: 'created' | 'edited' | 'finalised') {
    await store.commit({
      put: [await store.sealCaseRecord(record.caseId, 'hearing', record.id, record)],
      log: [{ action, targetKind: 'hearing', targetId: record.id, caseId: record.caseId }],
    });
    return record;
  }

  const api: HearingApi = {
    async listHearings(caseId) {
      const { store } = session();
      const hearings = (await store.listCaseRecords(caseId, 'hearing')).map(({ value }) => parseStored(value));
      return hearings.sort(
        (a, b) => a.hearing.value.date.localeCompare(b.hearing.value.date) || a.createdAt - b.createdAt,
      );
    },

    async listAllHearings() {
      const { store } = session();
      const { records, damaged } = await store.listAllCaseRecords('hearing');
      const hearings: HearingRecord[] = [];
      for (const { id, caseId, value } of records) {
        const parsed = storedHearingSchema.safeParse(value);
        // A record moved into another case is as damaged as an unreadable one.
        if (parsed.success && parsed.data.caseId === caseId && parsed.data.id === id) hearings.push(parsed.data);
        else damaged.push(id);
      }
      return { hearings, damaged };
    },

    async saveHearing(caseId, id, input) {
      const { store } = session();
      const fields = validFields(input);
      const now = Date.now();
      if (id === null) {
        if ((await store.readCaseRecord(caseId, 'case', caseId)) === undefined)
          throw new VaultError('not-found', 'This case does not exist.');
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
      await store.commit({ delete: [id], log: [{ action: 'deleted', targetKind: 'hearing', targetId: id, caseId }] });
    },
  };
  return api;
}
