/**
 * Every kind of stored record, in one table: which case owns it (or none),
 * the schema every read is parsed with, the version its records are written
 * with and the steps that upgrade older ones, how it travels in a bundle and
 * what the custody log calls it. The store reads and writes records only
 * through these entries (VaultStore.find/read/list/seal): adding a kind of
 * record means adding one entry here.
 *
 * A record's kind and case are fixed when it is first written: the store
 * refuses any later write of its id under another kind or case.
 */
import type { BundleItemType } from './bundle';
import type { CustodyTargetKind } from '../api';
import { storedHearingSchema } from '../hearing-model';
import { storedContactSchema, storedIdentitySchema } from '../identity-model';
import {
  annotationPageSchema,
  caseRecordSchema,
  documentRecordSchema,
  documentTextSchema,
  settingsSchema,
} from '../model';
import { timelineEventRecordSchema } from '../timeline-model';
import { z } from '../zod';
import type { MigrationTable } from './migrations';

/** Who a record belongs to: one case (sealed with its key, deleted with it), the vault, or either (drafts). */
export type RecordOwner = 'case' | 'vault' | 'case-or-vault';

interface RecordKindEntry {
  owner: RecordOwner;
  /** What every read is parsed with; a record that fails it reads as tampered. */
  schema: z.ZodType;
  /** The schema version records are written with, and the steps from each older one. */
  migrations: { current: number; steps: readonly [] };
  /** The bundle item type it travels as, if it travels. */
  bundleItem?: BundleItemType;
  /** What the custody log names it. */
  custodyTarget?: CustodyTargetKind;
}

const draftSchema = z.object({ name: z.string(), data: z.unknown(), savedAt: z.number() });
const caseKeySchema = z.object({ caseId: z.string(), key: z.string() });
const searchSnapshotPointerSchema = z.object({ blobId: z.string(), generation: z.string() });
const logHeadSchema = z.object({ count: z.number().int().nonnegative(), lastHash: z.string() });

const maintenanceSchema = z.object({ historyOfDeletedCasesReduced: z.boolean() });

const V1 = { current: 1, steps: [] } as const;

export const RECORD_KINDS = {
  case: { owner: 'case', schema: caseRecordSchema, migrations: V1, bundleItem: 'case', custodyTarget: 'case' },
  document: {
    owner: 'case',
    schema: documentRecordSchema,
    migrations: V1,
    bundleItem: 'document',
    custodyTarget: 'document',
  },
  'document-text': {
    owner: 'case',
    schema: documentTextSchema,
    migrations: V1,
    bundleItem: 'document-text',
    custodyTarget: 'document',
  },
  'annotation-page': {
    owner: 'case',
    schema: annotationPageSchema,
    migrations: V1,
    bundleItem: 'annotation',
    custodyTarget: 'annotation',
  },
  hearing: {
    owner: 'case',
    schema: storedHearingSchema,
    migrations: V1,
    bundleItem: 'hearing',
    custodyTarget: 'hearing',
  },
  'timeline-event': {
    owner: 'case',
    schema: timelineEventRecordSchema,
    migrations: V1,
    bundleItem: 'timeline-event',
    custodyTarget: 'event',
  },
  identity: { owner: 'vault', schema: storedIdentitySchema, migrations: V1 },
  contact: { owner: 'vault', schema: storedContactSchema, migrations: V1, custodyTarget: 'contact' },
  // Parsed field by field by the bundle service (its shape is changing with per-case receipts).
  'bundle-import': { owner: 'vault', schema: z.record(z.string(), z.unknown()), migrations: V1 },
  // What one import took into one case (sealed with its key, deleted with it); 'bundle-import' rows are older.
  'bundle-receipt': { owner: 'case', schema: z.record(z.string(), z.unknown()), migrations: V1 },
  'case-key': { owner: 'vault', schema: caseKeySchema, migrations: V1 },
  settings: { owner: 'vault', schema: settingsSchema, migrations: V1 },
  // One-time upkeep already done in this vault (so an unlock does not repeat it).
  maintenance: { owner: 'vault', schema: maintenanceSchema, migrations: V1 },
  draft: { owner: 'case-or-vault', schema: draftSchema, migrations: V1 },
  'search-snapshot': { owner: 'vault', schema: searchSnapshotPointerSchema, migrations: V1 },
  'log-head': { owner: 'vault', schema: logHeadSchema, migrations: V1 },
  // Custody entries are checked as a chain (custody-log.ts), not one by one.
  'log-entry': { owner: 'vault', schema: z.record(z.string(), z.unknown()), migrations: V1 },
} as const satisfies Record<string, RecordKindEntry>;

export type RecordKind = keyof typeof RECORD_KINDS;
/** A record of `K` as every read returns it: parsed by its schema. */
export type RecordOf<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]['schema']>;
/** Kinds that belong to a case. */
export type CaseRecordKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K]['owner'] extends 'vault' ? never : K;
}[RecordKind];
/** Kinds that belong to the vault. */
export type VaultRecordKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K]['owner'] extends 'case' ? never : K;
}[RecordKind];

/** The migration table the store upgrades records with, from the registry. */
export const RECORD_MIGRATIONS: MigrationTable = Object.fromEntries(
  Object.entries(RECORD_KINDS).map(([kind, entry]) => [kind, entry.migrations]),
);

/** The record kind each bundle item type is stored as (annotations travel one by one, stored by page). */
export function recordKindOfBundleItem(type: BundleItemType): CaseRecordKind | null {
  for (const [kind, entry] of Object.entries(RECORD_KINDS) as [RecordKind, RecordKindEntry][])
    if (entry.bundleItem === type) return kind as CaseRecordKind;
  return null;
}

/** What the custody log calls records of `kind`. */
export function custodyTargetOf(kind: RecordKind): CustodyTargetKind {
  const target = (RECORD_KINDS[kind] as RecordKindEntry).custodyTarget;
  if (target === undefined) throw new Error(`Records of kind ${kind} are not named in the custody log.`);
  return target;
}
