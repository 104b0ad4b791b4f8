/**
 * Every kind of stored record, in one table: which case owns it (or none),
 * the schema every read is parsed with, the version its records are written
 * with and the steps that upgrade older ones, how it travels in a bundle and
 * what the custody log calls it. The store reads and writes records only
 * through these entries (VaultStore.find/read/list/seal): adding a kind of
 * record means adding one entry here. How a kind that travels is sent,
 * previewed and merged is its entry in record-kinds-bundle.ts, which the
 * compiler asks for once `bundleItem` is set (it needs the services, which
 * need the store, which needs this table).
 *
 * A record's kind and case are fixed when it is first written: the store
 * refuses any later write of its id under another kind or case.
 */
import sodium from 'libsodium-wrappers-sumo';
import { MAX_BACKUP_FOLDER_REF_LENGTH } from '../../../../electron/host-api';
import type { BundleItemType } from './bundle';
import type { CustodyTargetKind } from '../api';
import { bundleImportSchema, bundleQueueSchema, bundleReceiptSchema, receivedCustodyLogSchema } from '../bundle-model';
import { storedLogEntrySchema } from '../custody-model';
import { storedHearingSchema } from '../hearing-model';
import { storedContactSchema, storedIdentitySchema } from '../identity-model';
import {
  annotationPageSchema,
  caseRecordSchema,
  documentPasswordSchema,
  documentRecordSchema,
  documentTextSchema,
  settingsSchema,
} from '../model';
import { timelineEventRecordSchema } from '../timeline-model';
import { keyBytes, z } from '../zod';
import type { Migration, MigrationTable } from './migrations';
import { rowNames } from './row-ids';
import {
  annotationEntries,
  caseEntries,
  documentEntries,
  documentTextEntries,
  hearingEntries,
  timelineEventEntries,
  type SearchEntriesOf,
} from './search/search-entries';
import {
  annotationPageListEntry,
  caseListEntry,
  documentListEntry,
  hearingListEntry,
  type ListEntryOf,
} from './list-index/list-entries';

/** Who a record belongs to: one case (sealed with its key, deleted with it), the vault, or either (drafts). */
export type RecordOwner = 'case' | 'vault' | 'case-or-vault';

interface RecordKindEntry {
  owner: RecordOwner;
  /** What every read is parsed with; a record that fails it reads as tampered. */
  schema: z.ZodType;
  /** The schema version records are written with, and the steps from each older one. */
  migrations: { current: number; steps: readonly Migration[] };
  /** The bundle item type it travels as, if it travels. */
  bundleItem?: BundleItemType;
  /** What the custody log names it. */
  custodyTarget?: CustodyTargetKind;
  /**
   * When its row id is a keyed hash (row-ids.ts), not random: what it is a hash of, read from the record, so a
   * re-key (rekey/) can derive the id again under the new key. 'of-document': a document's text, named after
   * the document (whose id its record does not hold), as a remembered PDF password is.
   */
  rowIdOf?: ((value: Record<string, unknown>, caseId: string | null) => string | null) | 'of-document';
  /** How its records become search entries, if they are searched (search/search-entries.ts). Searched kinds are
   * read in registry order: documents before what takes their name (pages, annotations). */
  searchEntries?: SearchEntriesOf;
  /** Its entry in the vault-wide lists, if it is listed (list-index/): what the list shows, kept sealed apart. */
  listEntry?: ListEntryOf<never, unknown, unknown>;
}

const text = (value: unknown): value is string => typeof value === 'string';

const draftSchema = z.object({ name: z.string(), data: z.unknown(), savedAt: z.number() });
const caseKeySchema = z.strictObject({ caseId: z.string(), key: keyBytes(32) });
const searchSnapshotPointerSchema = z.object({
  blobId: z.string(),
  generation: z.string(),
  // The catalogue's head (search/catalogue-codec.ts, checked there): absent in a pointer written before version 5.
  catalogue: z.object({ version: z.number(), nextNumber: z.number(), counts: z.array(z.number()) }).optional(),
});
/** One part of a search term shard, or of a catalogue piece: its bytes in up to 16 byte fields b0…b15
 * (search/term-shards/). */
const searchShardSchema = z
  .object({
    space: z.enum(['words', 'khmer', 'entries']),
    slot: z.number().int().nonnegative(),
    part: z.number().int().nonnegative(),
    parts: z.number().int().positive(),
  })
  .catchall(z.instanceof(Uint8Array));
/** A backup folder's reference as the Electron main process makes it: opaque base64url (never a path). */
export const backupFolderRefSchema = z
  .string()
  .min(1)
  .max(MAX_BACKUP_FOLDER_REF_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);
/** What the vault remembers of a backup set it writes: its last run, and where the state after it is kept. */
const backupSetSchema = z.object({
  setId: z.string(),
  /** Which master key's backup key the set is sealed with: after a passphrase change a new set begins. */
  keyCheck: z.string(),
  /** A folder the app can read back, or a browser's downloads (where the state blob is all there is). */
  where: z.enum(['folder', 'downloads']),
  seq: z.number().int().nonnegative(),
  run: z.string(),
  runHash: z.string(),
  at: z.string(),
  /** The set's state after the last run (a sealed blob, kept out of backups), or '' if not kept. */
  stateBlob: z.string(),
  /** Set when this vault was restored from an earlier run of the set: it is not written to again. */
  retired: z.boolean().optional(),
  /**
   * Electron: the folder as the main process's opaque reference (its path sealed under a key only the main process
   * holds), so a later lock can offer "Back up now" there. Kept only inside this sealed record.
   */
  folderRef: backupFolderRefSchema.optional(),
  /** How many custody-log entries the vault held once the run was recorded: later entries are changes not backed up. */
  logCount: z.number().int().nonnegative().optional(),
});
/**
 * The backup tag keys of the vault's recovery keys, each named by its recovery public key: the newest one kept, and
 * the one for the header's recovery slot if that is another (a re-key under way may still end with it). Top-level
 * byte fields: keys are sealed and opened as bytes (crypto/key-bytes.ts).
 */
const publicKeyHex = z.string().regex(/^[0-9a-f]{64}$/);
const recoveryAuthSchema = z.strictObject({
  publicKey: publicKeyHex,
  key: keyBytes(32),
  otherPublicKey: publicKeyHex.optional(),
  otherKey: keyBytes(32).optional(),
});
/** One shard of a list index: [row id, case id, entry] per listed record (list-index/list-index.ts). */
const listIndexShardSchema = z.object({
  kind: z.string(),
  shard: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  entries: z.array(z.tuple([z.string(), z.string(), z.unknown()])),
});
/** What the home screen counts over a listed kind, kept beside its index (list-index/list-entries.ts). */
const listSummarySchema = z.object({
  kind: z.string(),
  version: z.number().int().positive(),
  summary: z.unknown(),
  /** The envelope tag of each shard as last written (list-index/list-index.ts, ListIndexSummary). */
  shards: z.array(z.string()),
});
/** The custody log's last rows, oldest first: [row id, case id or ''] (list-index/log-tail.ts). */
const logTailSchema = z.object({ rows: z.array(z.tuple([z.string(), z.string()])) });
const logHeadSchema = z.object({ count: z.number().int().nonnegative(), lastHash: z.string() });

const maintenanceSchema = z.object({
  historyOfDeletedCasesReduced: z.boolean(),
  /** Rows that held keys as text (case keys, the identity, content keys) were rewritten with them as bytes. */
  keysStoredAsBytes: z.boolean().optional(),
});

const V1 = { current: 1, steps: [] } as const;

/**
 * Keys as bytes (key-bytes.ts). Schema 1 of these kinds held them as text:
 * a case key as base64, the identity's secret keys as hex. Such a row is
 * still read, decoded to bytes here; the string this reading makes is the
 * one thing that cannot be wiped (a JavaScript string), so the unlock
 * rewrites every such row once in the new form (key-storage-upgrade.ts) and
 * the text is not read from disk again in later sessions.
 */
const keysAsBytes = (decode: (value: Record<string, unknown>) => Record<string, unknown>): Migration => {
  return (value) => (value !== null && typeof value === 'object' ? decode(value as Record<string, unknown>) : value);
};
const textKey = (text: unknown, from: (text: string) => Uint8Array): unknown => {
  if (typeof text !== 'string') return text;
  try {
    return from(text);
  } catch {
    return text; // not a key: the schema refuses it, and the record reads as tampered
  }
};
const CASE_KEY_MIGRATIONS = {
  current: 2,
  steps: [keysAsBytes((value) => ({ ...value, key: textKey(value.key, (text) => sodium.from_base64(text)) }))],
} as const;
/**
 * Receipts of schema 1 kept the sender's custody segment whole, as text, in
 * every case's receipt; schema 2 says how it is kept (bundle-model.ts:
 * receiptCustodySchema), and new receipts share the segment's links.
 */
const RECEIPT_MIGRATIONS = {
  current: 2,
  steps: [
    (value: unknown) => {
      if (value === null || typeof value !== 'object') return value;
      const { custodyLog } = value as { custodyLog?: unknown };
      return typeof custodyLog === 'string' ? { ...value, custodyLog: { text: custodyLog } } : value;
    },
  ],
} as const;
const IDENTITY_MIGRATIONS = {
  current: 2,
  steps: [
    keysAsBytes((value) => ({
      ...value,
      signSecretKey: textKey(value.signSecretKey, (text) => sodium.from_hex(text)),
      boxSecretKey: textKey(value.boxSecretKey, (text) => sodium.from_hex(text)),
    })),
  ],
} as const;

export const RECORD_KINDS = {
  case: {
    owner: 'case',
    schema: caseRecordSchema,
    migrations: V1,
    bundleItem: 'case',
    custodyTarget: 'case',
    searchEntries: caseEntries,
    listEntry: caseListEntry,
  },
  document: {
    owner: 'case',
    schema: documentRecordSchema,
    migrations: V1,
    bundleItem: 'document',
    custodyTarget: 'document',
    searchEntries: documentEntries,
    listEntry: documentListEntry,
  },
  'document-text': {
    owner: 'case',
    schema: documentTextSchema,
    migrations: V1,
    rowIdOf: 'of-document',
    bundleItem: 'document-text',
    custodyTarget: 'document',
    searchEntries: documentTextEntries,
  },
  // A PDF's password, remembered only when the user asks: sealed under the case key, deleted with its document and
  // its case, never carried in a bundle (no bundleItem), not searched and not listed (docs/threat-model.md).
  'document-password': {
    owner: 'case',
    schema: documentPasswordSchema,
    migrations: V1,
    rowIdOf: 'of-document',
  },
  'annotation-page': {
    owner: 'case',
    schema: annotationPageSchema,
    migrations: V1,
    rowIdOf: (value) =>
      text(value.documentId) && typeof value.page === 'number'
        ? rowNames.annotationPage(value.documentId, value.page)
        : null,
    bundleItem: 'annotation',
    custodyTarget: 'annotation',
    searchEntries: annotationEntries,
    listEntry: annotationPageListEntry,
  },
  hearing: {
    owner: 'case',
    schema: storedHearingSchema,
    migrations: V1,
    bundleItem: 'hearing',
    custodyTarget: 'hearing',
    searchEntries: hearingEntries,
    listEntry: hearingListEntry,
  },
  'timeline-event': {
    owner: 'case',
    schema: timelineEventRecordSchema,
    migrations: V1,
    bundleItem: 'timeline-event',
    custodyTarget: 'event',
    searchEntries: timelineEventEntries,
  },
  identity: { owner: 'vault', schema: storedIdentitySchema, migrations: IDENTITY_MIGRATIONS },
  contact: {
    owner: 'vault',
    schema: storedContactSchema,
    migrations: V1,
    custodyTarget: 'contact',
    rowIdOf: (value) => (text(value.signingKey) ? rowNames.contact(value.signingKey) : null),
  },
  // One import, vault-wide, as versions before per-case receipts wrote it (read, scrubbed of deleted cases).
  'bundle-import': { owner: 'vault', schema: bundleImportSchema, migrations: V1 },
  // What one import took into one case (sealed with its key, deleted with it).
  'bundle-receipt': {
    owner: 'case',
    schema: bundleReceiptSchema,
    migrations: RECEIPT_MIGRATIONS,
    rowIdOf: (value, caseId) =>
      text(value.bundleId) && caseId !== null ? rowNames.bundleReceipt(value.bundleId, caseId) : null,
  },
  // The links of a sender's custody log, once per import; its receipts hold their cases' entries in full.
  'received-custody-log': { owner: 'vault', schema: receivedCustodyLogSchema, migrations: V1 },
  // The bundle files being opened, with each one's state (bundle-service/import-queue.ts): no keys, no contents.
  'bundle-queue': { owner: 'vault', schema: bundleQueueSchema, migrations: V1, rowIdOf: () => rowNames.bundleQueue() },
  'case-key': { owner: 'vault', schema: caseKeySchema, migrations: CASE_KEY_MIGRATIONS },
  settings: { owner: 'vault', schema: settingsSchema, migrations: V1 },
  // One-time upkeep already done in this vault (so an unlock does not repeat it).
  maintenance: { owner: 'vault', schema: maintenanceSchema, migrations: V1, rowIdOf: () => rowNames.maintenance() },
  draft: {
    owner: 'case-or-vault',
    schema: draftSchema,
    migrations: V1,
    rowIdOf: (value) => (text(value.name) ? rowNames.draft(value.name) : null),
  },
  'search-snapshot': { owner: 'vault', schema: searchSnapshotPointerSchema, migrations: V1 },
  // Derived, sealed with the records key: the search index's terms, stored with its snapshot (search/term-shards/).
  'search-shard': {
    owner: 'vault',
    schema: searchShardSchema,
    migrations: V1,
    rowIdOf: (value) =>
      text(value.space) && typeof value.slot === 'number' && typeof value.part === 'number'
        ? rowNames.searchShard(value.space, value.slot, value.part)
        : null,
  },
  // Derived, sealed with the records key: the search catalogue's pieces (search/catalogue-codec.ts). A kind of its
  // own, so a commit that deletes records drops them with the pointer without opening a row.
  'search-piece': {
    owner: 'vault',
    schema: searchShardSchema,
    migrations: V1,
    rowIdOf: (value) =>
      typeof value.slot === 'number' && typeof value.part === 'number'
        ? rowNames.searchPiece(value.slot, value.part)
        : null,
  },
  'backup-set': {
    owner: 'vault',
    schema: backupSetSchema,
    migrations: V1,
    rowIdOf: (value) => (text(value.setId) ? rowNames.backupSet(value.setId) : null),
  },
  'recovery-auth': {
    owner: 'vault',
    schema: recoveryAuthSchema,
    migrations: V1,
    rowIdOf: () => rowNames.recoveryAuth(),
  },
  'log-head': { owner: 'vault', schema: logHeadSchema, migrations: V1 },
  // Derived, sealed with the records key, rewritten in the commit that changes what they reflect (list-index/).
  'list-index': {
    owner: 'vault',
    schema: listIndexShardSchema,
    migrations: V1,
    rowIdOf: (value) =>
      text(value.kind) && typeof value.shard === 'number' ? rowNames.listIndex(value.kind, value.shard) : null,
  },
  'list-summary': {
    owner: 'vault',
    schema: listSummarySchema,
    migrations: V1,
    rowIdOf: (value) => (text(value.kind) ? rowNames.listSummary(value.kind) : null),
  },
  'log-tail': { owner: 'vault', schema: logTailSchema, migrations: V1, rowIdOf: () => rowNames.logTail() },
  // Rows of the custody log (its own table, read by the store and checked as a chain in custody-log.ts).
  'log-entry': { owner: 'vault', schema: storedLogEntrySchema, migrations: V1 },
} as const satisfies Record<string, RecordKindEntry>;

export type RecordKind = keyof typeof RECORD_KINDS;
/** A record of `K` as every read returns it: parsed by its schema. */
export type RecordOf<K extends RecordKind> = z.infer<(typeof RECORD_KINDS)[K]['schema']>;
/** Kinds that belong to a case. */
export type CaseRecordKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K]['owner'] extends 'vault' ? never : K;
}[RecordKind];
/** Kinds that travel in bundles (their entry names a `bundleItem`). */
export type TravellingKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K] extends { bundleItem: BundleItemType } ? K : never;
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
export function recordKindOfBundleItem(type: BundleItemType): TravellingKind | null {
  for (const [kind, entry] of Object.entries(RECORD_KINDS) as [RecordKind, RecordKindEntry][])
    if (entry.bundleItem === type) return kind as TravellingKind;
  return null;
}

/** What the custody log calls records of `kind`. */
export function custodyTargetOf(kind: RecordKind): CustodyTargetKind {
  const target = (RECORD_KINDS[kind] as RecordKindEntry).custodyTarget;
  if (target === undefined) throw new Error(`Records of kind ${kind} are not named in the custody log.`);
  return target;
}

/** How a kind's row ids are derived, if they are keyed hashes (see RecordKindEntry.rowIdOf). */
export function rowIdOf(kind: RecordKind): RecordKindEntry['rowIdOf'] {
  return (RECORD_KINDS[kind] as RecordKindEntry).rowIdOf;
}

/** Kinds whose records are searched (their entry names `searchEntries`). */
export type SearchedKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K] extends { searchEntries: SearchEntriesOf } ? K : never;
}[RecordKind];

/** The searched kinds, in registry order (documents before what takes their name). */
export const SEARCHED_KINDS = (Object.keys(RECORD_KINDS) as RecordKind[]).filter(
  (kind) => (RECORD_KINDS[kind] as RecordKindEntry).searchEntries !== undefined,
) as SearchedKind[];

/** How records of `kind` become search entries (undefined: not searched). */
export function searchEntriesOf(kind: RecordKind): SearchEntriesOf | undefined {
  return (RECORD_KINDS[kind] as RecordKindEntry).searchEntries;
}

/** Kinds the vault-wide lists show (their entry names a `listEntry`). */
export type ListedKind = {
  [K in RecordKind]: (typeof RECORD_KINDS)[K] extends { listEntry: ListEntryOf<never, unknown, unknown> } ? K : never;
}[RecordKind];
/** The list entry of a listed kind's record. */
export type ListEntryOfKind<K extends ListedKind> = ReturnType<(typeof RECORD_KINDS)[K]['listEntry']['of']>;

/** The listed kinds, in registry order. */
export const LISTED_KINDS = (Object.keys(RECORD_KINDS) as RecordKind[]).filter(
  (kind) => (RECORD_KINDS[kind] as RecordKindEntry).listEntry !== undefined,
) as ListedKind[];

/** The summary kept beside a listed kind's index (list-index/list-entries.ts). */
export type ListSummaryOfKind<K extends ListedKind> = ReturnType<
  (typeof RECORD_KINDS)[K]['listEntry']['summary']['empty']
>;

/** How records of a listed kind become list entries, and those entries its summary. */
export function listEntryOf<K extends ListedKind>(
  kind: K,
): ListEntryOf<RecordOf<K>, ListEntryOfKind<K>, ListSummaryOfKind<K>> {
  return RECORD_KINDS[kind].listEntry as unknown as ListEntryOf<RecordOf<K>, ListEntryOfKind<K>, ListSummaryOfKind<K>>;
}
