/** What the vault worker answers over RPC. Only plain data crosses: keys
 * never leave the worker. Secrets go in as bytes the worker wipes. */
import type {
  AnnotationFields,
  AnnotationRecord,
  CaseFields,
  CaseRecord,
  CaseSummary,
  DocumentKind,
  DocumentRecord,
  DocumentText,
  Provenance,
  VaultSettings,
} from './model';
import type { BackupSource, BackupTarget } from './worker/backup/folder';
import type { BundleQueueRecordEntry } from './bundle-model';
import type { DocumentListing, DocumentsPage, DocumentsPageQuery } from './document-view';
import type { HearingFields, HearingListing } from './hearing-model';
import type { TimelineEventFields, TimelineEventRecord } from './timeline-model';
import type { VersionedRecord } from './versions';
/** A hearing in storage: its versioned fields (drafts and signed-off versions). */
export interface HearingRecord {
  id: string;
  caseId: string;
  createdAt: number;
  updatedAt: number;
  hearing: VersionedRecord<HearingFields>;
}

/** This vault's identity as the UI shows it (public parts only). */
export interface IdentityView {
  name: string;
  signingKey: string;
  encryptionKey: string;
  /** Twelve groups of five digits, to compare aloud or on paper. */
  fingerprint: string[];
  /** How bundle manifests name this vault as a recipient. */
  keyId: string;
  /** How this vault names itself as the actor of what it signs off and logs (a hearing's finalisedBy). */
  actor: string;
  createdAt: number;
}

/** Someone else's public identity, imported from their identity card. */
export interface ContactView {
  id: string;
  name: string;
  signingKey: string;
  encryptionKey: string;
  fingerprint: string[];
  keyId: string;
  /** True once the user compared the fingerprint with the person, face to face or by phone. */
  verified: boolean;
  verifiedAt: number | null;
  addedAt: number;
}

/** What to put in a bundle. */
export interface BundleExportRequest {
  cases: {
    caseId: string;
    /** 'all', or the chosen documents of the case. */
    documentIds: 'all' | string[];
    annotations: boolean;
    hearings: boolean;
    timeline: boolean;
    /**
     * Sensitive people of the case and sensitive defendants of its hearings (by id) whose name and notes are
     * sent; every other sensitive person is withheld.
     */
    sendSensitive?: string[];
  }[];
  /** Contact ids. */
  recipients: string[];
  /** Also encrypt to this vault, so the sender can open the bundle again. */
  includeSelf: boolean;
  includeCustodyLog: boolean;
}

/** What a bundle being prepared would carry, named for the sender. */
export interface BundleSendContents {
  cases: {
    caseId: string;
    title: string;
    documents: { id: string; name: string; size: number; annotations: number }[];
    hearings: { id: string; date: string }[];
    timelineEvents: number;
    /**
     * The case's sensitive people and its hearings' sensitive defendants: which of their fields would travel,
     * and whether they are withheld.
     */
    sensitive: {
      id: string;
      name: string;
      role: string;
      fields: readonly ('name' | 'notes')[];
      withheld: boolean;
      /** Held here only as the placeholder of a bundle that withheld them: shown by the mark, not by `name`. */
      placeholder: boolean;
      /** A defendant: the dates of the hearings that name them. */
      hearings?: string[];
      /**
       * A withheld person: the outgoing items whose text still holds their name or notes (for the sender to
       * act on before sending).
       */
      namedIn: BundleNamedItem[];
    }[];
  }[];
}

/** An outgoing item that names a withheld person. */
export interface BundleNamedItem {
  type: 'case' | 'document' | 'document-text' | 'annotation' | 'hearing' | 'timeline-event';
  id: string;
  /** A document's name, a hearing's date, an event's date. */
  label: string;
}

export type ImportResolution = 'mine' | 'theirs' | 'both';

/**
 * Why an import may not write an item; any one refuses the whole bundle (nothing is written).
 * - foreign-case: the item belongs to a case the bundle does not carry;
 * - case-held-by-another: the case exists here and was not brought by this signer (a case made in this
 *   vault is changed only by this vault's own bundles);
 * - id-taken: the item's id is stored here as a record of another kind or case;
 * - document-not-in-case: a document text or annotation names a document that is not in its case;
 * - signed-off-history-changed: a hearing update replaces or drops versions already signed off.
 */
export const IMPORT_REFUSALS = [
  'foreign-case',
  'case-held-by-another',
  'id-taken',
  'document-not-in-case',
  'signed-off-history-changed',
] as const;
export type ImportRefusal = (typeof IMPORT_REFUSALS)[number];

export interface BundleItemPreview {
  /** The item's id in the bundle, e.g. "case:<id>". */
  id: string;
  type: 'case' | 'document' | 'document-text' | 'annotation' | 'hearing' | 'timeline-event';
  caseId: string;
  /** What names the item: a case's title, a document's file name, a hearing's date, an annotation's note. */
  label: string;
  /**
   * new: not here yet; same: identical here; update: changed by the sender only; conflict: changed on both
   * sides; refused: the bundle may not write it (see `refusal`).
   */
  status: 'new' | 'same' | 'update' | 'conflict' | 'refused';
  refusal?: ImportRefusal;
  /** A document's size in bytes. */
  size?: number;
  /** A document: how many of the bundle's annotations are on it. */
  annotations?: number;
  /** An annotation or a document's text: the document it is on, and that document's name. */
  documentId?: string;
  documentName?: string;
  /** An update or conflict: who wrote the copy this vault holds now (null: this vault). */
  currentFrom?: { name: string; status: string } | null;
}

/** What an opened bundle holds, before anything is written. */
export interface BundleImportPreview {
  bundleId: string;
  createdAt: string;
  signer: {
    name: string;
    signingKey: string;
    /** Whether the signing key is a verified contact, a contact not yet verified, unknown, or this vault. */
    status: 'verified' | 'unverified' | 'unknown' | 'self';
    contactName: string | null;
    contactId: string | null;
  };
  recipients: number;
  /** When this vault imported the same bundle before, if it did. */
  alreadyImportedAt: number | null;
  items: BundleItemPreview[];
  documentBytes: number;
  custodyLog: { ok: true; entries: number; redacted: number } | { ok: false; reason: string } | null;
}

/** A bundle this vault took in: its provenance, and the sender's custody log checked again now. */
export interface ReceivedBundle {
  bundleId: string;
  importedAt: number;
  createdAt: string;
  signer: { name: string; signingKey: string; status: string };
  items: number;
  custodyLog: { ok: true; entries: number; redacted: number } | { ok: false; reason: string } | null;
}

/** Where an item came from, if a bundle brought it: the latest import that did. */
export interface ItemOrigin {
  bundleId: string;
  importedAt: number;
  /** When the sender made the bundle (their clock). */
  createdAt: string;
  /** The signer as this vault saw them at import: verified contact, unverified contact, unknown key, or self. */
  signer: { name: string; status: string };
}

export interface BundleImportResult {
  bundleId: string;
  added: number;
  updated: number;
  kept: number;
  newCases?: string[];
  /** The cases the import wrote to. */
  cases?: string[];
}

/**
 * Taking a bundle in, as the page follows it: each record taken is merged (read against what is here, sealed),
 * then everything is written in one commit, all or nothing, which cannot report on its way ('writing').
 */
export interface BundleMergeProgress {
  stage: 'merging' | 'writing';
  /** Records of the bundle merged so far, of those being taken. */
  done: number;
  total: number;
}

/** A bundle file in the queue of bundles being opened (sealed in the vault: it survives a lock). */
export type BundleQueueEntry = BundleQueueRecordEntry & {
  /**
   * Its contents are staged in this session: it can be previewed and taken now. False for a file not read yet, or
   * one read before the vault last locked: a lock ends every staged import, so its file must be opened again.
   */
  staged: boolean;
};

/** What "accept all from verified contacts" did to one bundle of the queue. */
export type BundleQueueAcceptance =
  | { entryId: string; ok: true; result: BundleImportResult }
  | { entryId: string; ok: false; error: { code: string; detail?: string } };

export type SearchKind = 'case' | 'document' | 'page' | 'annotation' | 'hearing' | 'event';

/**
 * The search index being built (the first search after unlock with no snapshot, or after many changes): records
 * to take in, and how far. A record counts half when it is read and decrypted, whole once its entries are in the
 * index (most of the time goes to the second half), so `done` may be a fraction; it never goes back.
 */
/**
 * How far the search index a search waits on has got: opening the stored index (`opening`, in bytes of it taken
 * in), then taking in the records changed since (`building`, in records).
 */
export interface SearchIndexProgress {
  stage: 'opening' | 'building';
  done: number;
  total: number;
}

export interface SearchOptions {
  caseId?: string;
  kinds?: SearchKind[];
  tag?: string;
  /** A legal provision a hearing's charges name, e.g. "Criminal Code art. 494" (matched by prefix). */
  provision?: string;
  /** A fair-trial indicator, optionally with the answer it got. */
  indicator?: string;
  answer?: string;
  /** Entries dated within [from, to] (YYYY, YYYY-MM or YYYY-MM-DD, either may be empty). */
  from?: string;
  to?: string;
  documentKind?: string;
  limit?: number;
}

/** One search result: what it is, where it is, and the words around the match. */
export interface SearchHit {
  id: string;
  kind: SearchKind;
  caseId: string;
  title: string;
  documentId: string | null;
  /** 0-based page, for document pages and annotations. */
  page: number | null;
  /** The annotation, hearing or event to open. */
  targetId: string | null;
  score: number;
  /** The indexed terms that matched. */
  terms: string[];
  snippet: SearchSnippet;
}

/**
 * The words around a result's first match, exactly as the record holds them (search folds case, accents and
 * Khmer digits only to match), and where the matches are in them.
 */
export interface SearchSnippet {
  /** A piece of the original text, unchanged. */
  text: string;
  /** [start, end) in `text` of each match: the source's own characters that matched. */
  marks: [number, number][];
  /** Whether the record's text (or field) goes on before and after the piece. */
  cutBefore: boolean;
  cutAfter: boolean;
  /** The i18n key of the field the piece comes from (hearings), or null. */
  field: string | null;
}

/** The home screen's overview of the vault. */
export interface VaultOverview {
  casesByStatus: Record<string, number>;
  /** Hearings per month ("2025-07"), oldest first; hearings dated only by year are left out. */
  hearingsPerMonth: { month: string; count: number }[];
  /** Answers of signed-off hearings, per answer, across all indicators. */
  indicatorAnswers: Record<string, number>;
  recentActivity: CustodyEntryView[];
  /** Documents with text but no annotation yet, newest first. */
  awaitingAnnotation: { caseId: string; documentId: string; name: string; intakeAt: number }[];
  /** Documents in the vault (an empty list above means "all annotated" only when there are some). */
  documentCount: number;
}

export interface EngineHealth {
  /** True only when every self-test passed; the vault refuses to open otherwise. */
  ok: boolean;
  sodiumVersion: string;
  /** Names of the self-tests that failed (empty when ok). */
  failures: string[];
}

export type VaultState = 'no-vault' | 'locked' | 'unlocked';

export interface VaultStatus {
  state: VaultState;
  /** Milliseconds until another unlock attempt is allowed (0 = now). */
  retryAfterMs: number;
  failedAttempts: number;
}

/** What is left of the unlock back-off, handed from one vault worker to the next (lockout.ts). */
export interface BackoffHandover {
  /** The stored failure count and wait end it applies to: a stored row that changed since is dated anew. */
  count: number;
  waitUntil: number | null;
  /** Milliseconds left of the wait when the old worker answered. */
  remainingMs: number;
}

export interface PassphraseEstimate {
  /** 0 (trivial) to 4 (strong); the vault requires at least MIN_PASSPHRASE_SCORE. */
  score: number;
  /** log10 of the estimated guesses an attacker needs. */
  guessesLog10: number;
  acceptable: boolean;
}

/**
 * Every way a bundle can be refused (the bundle format's reason codes), as
 * the UI translates them and the CLI prints them.
 */
export const BUNDLE_ERROR_CODES = [
  /** The first bytes are not the bundle magic. */
  'not-a-bundle',
  /** A format version this reader does not know (newer, or retired). */
  'unsupported-version',
  /** The header breaks the format: flags, chunk size, recipient count, or it ends early. */
  'header-malformed',
  /** No recipient stanza opens with this key. */
  'not-for-you',
  /** The header's MAC does not verify: it was altered. */
  'header-altered',
  /** A payload chunk failed authentication (altered, reordered, duplicated, or from another bundle). */
  'payload-corrupt',
  /** The payload ends before its final chunk. */
  'payload-truncated',
  /** Bytes follow the final chunk. */
  'payload-trailing',
  /** The payload breaks the format: an empty or unexpected chunk, an absurd length. */
  'payload-malformed',
  /** The signed manifest is not valid JSON of the expected shape, or exceeds the limits. */
  'manifest-invalid',
  /** The manifest's signature does not verify with the sender key it names. */
  'signature-invalid',
  /** The manifest was signed for another header (a co-recipient re-wrapped the file key). */
  'header-hash-mismatch',
  /** The manifest does not name this reader among its recipients (forwarded by a recipient). */
  'not-a-named-recipient',
  /** An item's bytes do not match the SHA-256 the manifest gives. */
  'item-hash-mismatch',
  /** The payload holds more or fewer item bytes than the manifest lists. */
  'item-size-mismatch',
  /** The writer was given inconsistent input (a programming error on the sending side). */
  'writer-misuse',
] as const;

/** Reasons the vault adds when it refuses a bundle's content (beyond the format's). */
export const BUNDLE_CONTENT_REFUSALS = ['too-large', 'item-invalid', 'overreaches'] as const;

export const CUSTODY_ACTIONS = [
  'vault-created',
  'passphrase-changed',
  'recovery-key-replaced',
  'recovered',
  'created',
  'edited',
  'archived',
  'restored',
  'deleted',
  'attached',
  'annotated',
  'exported',
  'imported',
  'finalised',
  'verified',
  'records-accepted',
  /** A backup run written (target: the backup set and run). */
  'backed-up',
  /** The vault made from a backup run (its first entry after the restored ones). */
  'restored-from-backup',
  /** A backup set pruned to its last runs (target: the set and its new last run). */
  'backup-pruned',
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

// ── backups (docs/backup-format.md) ─────────────────────────────────────────

export type { BackupFileInfo, BackupSource, BackupTarget } from './worker/backup/folder';
export type { BackupRefusal } from './worker/backup/errors';

export interface BackupProgress {
  /** Bytes handed to the folder so far, and about how many this run writes. */
  written: number;
  total: number;
}

export interface BackupRunOutcome {
  set: string;
  seq: number;
  /** Whether this run began a new set (a first backup, a new folder, or new keys). */
  newSet: boolean;
  rowsWritten: number;
  rowsRemoved: number;
  /** Bytes written to the folder by this run: packs and the run file. */
  bytesWritten: number;
  files: number;
  /** The whole state after the run: rows and their bytes. */
  rows: number;
  bytes: number;
}

/** A backup set this vault writes, as the home screen and Settings show it. */
export interface BackupSetSummary {
  set: string;
  where: 'folder' | 'downloads';
  seq: number;
  /** When its last run was made (ISO 8601). */
  at: string;
}

/**
 * A restore done: which run, and how its origin is known — the passphrase, the run's recovery tag (opened with the
 * recovery key), a format 1 recovery slot (which only the recovery key could have sealed), or nothing (opened with the recovery key, the run carries no tag: made before this version, or
 * before the recovery key was last set). With `none`, compare the identity fingerprint with one you trust.
 */
export interface RestoreOutcome {
  set: string;
  seq: number;
  proof: 'passphrase' | 'recovery-tag' | 'recovery-slot' | 'none';
}

/** Where the last folder backup went, to offer "Back up now" there at a lock. */
export interface LastBackupFolder {
  /** The main process's opaque reference to the folder (never a path). */
  folderRef: string;
  /** When the set's last run was made (ISO 8601). */
  at: string;
  /** Whether the vault holds changes that run did not (custody-log entries since). */
  changedSince: boolean;
}

/** What a verification checked, in numbers the UI puts into words. */
export interface BackupVerifyReport {
  set: string;
  runs: number;
  latestSeq: number;
  latestAt: string;
  packs: number;
  packBytes: number;
  /** Rows the latest run holds. */
  rows: number;
  /** Documents whose content was decrypted and its SHA-256 compared (null: not asked). */
  documentsRehashed: number | null;
  /** Whether this vault wrote the set and its last run is the one the vault remembers (null: not this vault's). */
  matchesVault: boolean | null;
}

/** What a prune did: runs kept, run files and packs removed, bytes written (rows of dirty packs copied). */
export interface BackupPruneOutcome {
  keptRuns: number;
  removedRuns: number;
  removedPacks: number;
  bytesWritten: number;
}

/** A backup set found among files, before any key: its runs' numbers, oldest first. */
export interface BackupSetFound {
  set: string;
  /** The first 16 hex digits of the vault id: which vault it is a backup of. */
  vault: string;
  runs: number[];
}

/** Which run to restore: the set (needed only when the files hold several) and the run (default: the latest). */
export interface RestoreChoice {
  set?: string;
  seq?: number;
  /** Where this set's next runs will go: a folder the app reads back (default), or a browser's downloads. */
  where?: 'folder' | 'downloads';
}

export interface RestoreProgress {
  /** Bytes of rows written into the new vault, of the run's total. */
  restored: number;
  total: number;
}

/** What opens the backup: the passphrase it was made under, or the recovery key and a new passphrase. */
export type RestoreSecret =
  | { kind: 'passphrase'; passphrase: Uint8Array }
  | { kind: 'recovery-key'; recoveryKey: string; newPassphrase: Uint8Array };

/** What a custody-log entry can be about (each has a label in the catalogs). */
export const CUSTODY_TARGET_KINDS = [
  'vault',
  'case',
  'document',
  'annotation',
  'hearing',
  'event',
  'identity',
  'contact',
  'bundle',
  /** A backup run: its target id is `<set id>/<run number>`. */
  'backup',
] as const;
export type CustodyTargetKind = (typeof CUSTODY_TARGET_KINDS)[number];

/** Largest document handed over whole (larger ones are read chunk by chunk). */
export const MAX_WHOLE_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** Documents are stored (and read back) in chunks of this many bytes. */
export const DOCUMENT_CHUNK_BYTES = 1024 * 1024;

export const MIN_PASSPHRASE_SCORE = 3;
export const MIN_PASSPHRASE_LENGTH = 12;

/** A custody-log entry as shown: every detail, or, for an entry about a case since deleted, only its place in
 * the chain (its details were sealed with the case's key, which went with the case). */
export type CustodyEntryView =
  | {
      seq: number;
      time: number;
      actor: string;
      action: CustodyAction;
      targetKind: string;
      targetId: string;
      caseId?: string;
      contentHashes?: string[];
      hash: string;
      aboutDeletedCase?: undefined;
    }
  | {
      seq: number;
      time: number;
      actor: string;
      action: CustodyAction;
      hash: string;
      aboutDeletedCase: true;
      targetKind?: undefined;
      targetId?: undefined;
      caseId?: undefined;
      contentHashes?: undefined;
    };

/** Who a custody-log entry names: this vault (its identity's name, '' while unnamed); for what an import
 * brought, the bundle's signer as this vault knows them; or another actor id (none today). */
export type CustodyActor =
  | { kind: 'self'; name: string }
  | { kind: 'sender'; name: string }
  | { kind: 'other'; name: string }
  /** What an import brought whose sender this vault no longer knows (its received-bundle record is gone). */
  | { kind: 'unknown-sender' };

/** A custody-log entry as the log page lists it (listCustodyLog): plain words only, details opened in the worker. */
export interface CustodyLogRow {
  seq: number;
  time: number;
  action: CustodyAction;
  /** What it is about; null for an entry about a case since deleted (its details went with the case's key). */
  targetKind: CustodyTargetKind | null;
  /** The case it concerns (null: vault-wide, or a deleted case), with its title as it is now (null if unreadable). */
  caseId: string | null;
  caseTitle: string | null;
  aboutDeletedCase: boolean;
  who: CustodyActor;
  hash: string;
}

/** A page of the custody log, newest first: `nextBefore` is the `before` of the next page (null: no more). */
export interface CustodyLogPage {
  entries: CustodyLogRow[];
  total: number;
  nextBefore: number | null;
}

/** What "Verify custody log" found (custody-log.ts, LogVerdict): `record-rolled-back` when the chain holds but
 * `rolledBack` records are not the versions the vault last wrote; a broken chain carries `rolledBack` too, if any. */
export type LogVerification =
  | { ok: true; count: number }
  | {
      ok: false;
      count: number;
      firstBrokenSeq: number;
      reason: 'missing' | 'altered' | 'out-of-order' | 'truncated' | 'record-rolled-back';
      rolledBack?: number;
    };

/** A re-key as the UI follows it: rows moved so far ('back': a cancel on its way back), or why it stopped. */
export type RekeyStatus =
  | { running: true; direction: 'forward' | 'back'; done: number; total: number; cancellable: boolean }
  /** How the last re-key ended. Finished: `leftOut` records were not the versions last written (put back while
   * it was cut short) and were left out; `unchecked`: the record of versions was gone, so none could be checked.
   * 'failed' (with the error code and the way it was going) leaves the vault locked; the next unlock goes on. */
  | { running: false; outcome: 'finished'; leftOut: number; unchecked: boolean }
  | { running: false; outcome: 'cancelled' }
  | { running: false; outcome: 'failed'; failed: string; direction: 'forward' | 'back' };

export interface VaultWorkerApi {
  health(): Promise<EngineHealth>;
  status(): Promise<VaultStatus>;
  estimatePassphrase(passphrase: Uint8Array): Promise<PassphraseEstimate>;
  /** Creates the vault and leaves it unlocked; returns the recovery key, shown once. */
  createVault(passphrase: Uint8Array): Promise<{ recoveryKey: string }>;
  unlock(passphrase: Uint8Array): Promise<void>;
  /** Opens with the recovery key and sets a new passphrase. */
  recover(recoveryKey: string, newPassphrase: Uint8Array): Promise<void>;
  /** The backup sets among the files of `source` (no key needed): for the restore screen's choice of run. */
  inspectBackup(source: BackupSource): Promise<BackupSetFound[]>;
  /** Makes this computer's (empty) vault the vault as it was at a backup run, and leaves it unlocked. */
  restoreBackup(
    source: BackupSource,
    secret: RestoreSecret,
    choice: RestoreChoice,
    onProgress?: (progress: RestoreProgress) => void,
  ): Promise<RestoreOutcome>;
  /** Stops a restore under way between packs: it is refused as `cancelled` and leaves no vault. */
  cancelRestore(): Promise<void>;
  /**
   * One backup run into `target` (incremental when the set is known); cancellable with cancelBackup. `folderRef`
   * (Electron) is the folder's opaque reference from the main process, kept with the set for `lastBackupFolder`.
   * `newSet` starts a new set in the folder, leaving this vault's sets there as they are and passing over them from
   * then on: the way on after `set-behind-vault` or `vault-behind-set`.
   */
  backUp(
    target: BackupTarget,
    onProgress?: (progress: BackupProgress) => void,
    options?: { folderRef?: string; newSet?: boolean },
  ): Promise<BackupRunOutcome>;
  /** The folder the newest folder backup went to (Electron), and whether the vault changed since; null if none. */
  lastBackupFolder(): Promise<LastBackupFolder | null>;
  cancelBackup(): Promise<void>;
  /** Keeps the last `keep` runs of the set in `target` (a folder the app reads) and removes what no kept run needs. */
  pruneBackup(target: BackupTarget, keep: number): Promise<BackupPruneOutcome>;
  listBackupSets(): Promise<BackupSetSummary[]>;
  verifyBackup(source: BackupSource, options?: { rehash?: boolean; set?: string }): Promise<BackupVerifyReport>;
  /**
   * Re-keys the vault under a new passphrase: returns once the change has committed (from then on only the new
   * passphrase opens the vault) and moves every row to the new keys in the background (`rekeyStatus`). A vault
   * whose header predates format 2 also gets a new recovery key, returned to be shown once (else null).
   */
  changePassphrase(current: Uint8Array, next: Uint8Array): Promise<{ recoveryKey: string | null }>;
  /** Re-keys the vault with a new recovery key (the old one stops working), as `changePassphrase` does; returns
   * the new key, shown once. */
  replaceRecoveryKey(passphrase: Uint8Array): Promise<{ recoveryKey: string }>;
  /** The re-key under way, or how the last one ended (null: none since this worker started or the last unlock).
   * While one runs, other calls fail with `rekey-under-way`. */
  rekeyStatus(): Promise<RekeyStatus | null>;
  /** Stops the re-key under way and moves the rows back: the old passphrase and recovery key stay. */
  cancelRekey(): Promise<void>;
  /** Resolves when the re-key begun by the last change has stopped (finished, cancelled, failed or locked). */
  whenRekeyStops(): Promise<void>;
  lock(): Promise<void>;
  /**
   * The unlock back-off as this worker times it, for the worker that replaces it at a lock (VaultRunner): the
   * monotonic clock it is timed on starts again in a new worker, so what is left of a wait is handed over
   * (`continueBackoff`) rather than dated again by the system clock, which a restart could skip or stretch.
   */
  backoffHandover(): Promise<BackoffHandover>;
  /** Takes over what the previous worker left of the back-off; called before anything else in a new worker. */
  continueBackoff(handover: BackoffHandover): Promise<void>;

  /** Every readable case; ids of records that failed their integrity check are listed apart. */
  listCases(): Promise<{ cases: CaseSummary[]; damaged: string[] }>;
  getCase(id: string): Promise<CaseRecord>;
  createCase(fields: CaseFields): Promise<CaseRecord>;
  updateCase(id: string, fields: CaseFields): Promise<CaseRecord>;
  setCaseArchived(id: string, archived: boolean): Promise<CaseRecord>;
  deleteCase(id: string): Promise<void>;

  caseHistory(caseId: string): Promise<CustodyEntryView[]>;
  /** The whole custody log, newest first, a page at a time: entries older than `before` (a seq), at most `limit`
   * (1–5000). */
  listCustodyLog(page: { before?: number; limit: number }): Promise<CustodyLogPage>;
  verifyLog(): Promise<LogVerification>;
  /**
   * After a verification reported records that are not the versions last written (or the record of versions
   * itself damaged): takes every record as it is stored now as current, with the passphrase again, and says so
   * in the custody log. The way out for a vault that cannot be repaired from a trusted copy.
   */
  acceptRecordsAsStored(passphrase: Uint8Array): Promise<void>;

  saveDraft(name: string, data: unknown): Promise<void>;
  loadDraft(name: string): Promise<unknown>;
  discardDraft(name: string): Promise<void>;

  /** Starts taking in a file for a case; returns an intake id. */
  beginIntake(caseId: string, name: string, size: number): Promise<string>;
  /**
   * The next bytes of the file, in order (any size up to a few MiB). Resolves with the file bytes sealed and
   * committed so far: sealing and writing run behind the reading, so this trails the bytes sent by a few MiB.
   */
  intakeChunk(intakeId: string, bytes: Uint8Array): Promise<number>;
  finishIntake(intakeId: string, provenance: Provenance): Promise<DocumentRecord>;
  /** Removes everything the intake wrote. */
  cancelIntake(intakeId: string): Promise<void>;
  listDocuments(caseId: string): Promise<DocumentRecord[]>;
  /** Every document in the vault, as the documents view lists it; records that fail to open are reported by id. */
  listAllDocuments(): Promise<{ documents: DocumentListing[]; damaged: string[] }>;
  /** A window of the vault-wide documents view, filtered and sorted in the worker (the page holds only what it shows). */
  documentsPage(query: DocumentsPageQuery): Promise<DocumentsPage>;
  /** Decrypted bytes of chunk `index` (chunks are CHUNK_SIZE bytes but the last). */
  readDocumentChunk(caseId: string, documentId: string, index: number): Promise<Uint8Array>;
  /** The whole decrypted document in one call (for viewers; refused above MAX_WHOLE_DOCUMENT_BYTES). */
  readDocument(caseId: string, documentId: string): Promise<Uint8Array>;
  /** Re-hashes the stored bytes and compares with the SHA-256 taken at intake. */
  verifyDocument(caseId: string, documentId: string): Promise<{ ok: boolean; sha256: string }>;
  deleteDocument(caseId: string, documentId: string): Promise<void>;
  updateProvenance(caseId: string, documentId: string, provenance: Provenance): Promise<DocumentRecord>;
  /** Stores (encrypted) the text extracted from a document. */
  saveDocumentText(caseId: string, documentId: string, text: DocumentText): Promise<void>;
  /** The stored text, or null when none was extracted (yet). */
  getDocumentText(caseId: string, documentId: string): Promise<DocumentText | null>;
  /**
   * The type a document's bytes show now: its stored kind and type are fixed at intake, so a file taken in before
   * the vault knew its type (an office file or a HEIC photo stored as a generic type) is shown by what this says.
   * The record is left as it is.
   */
  sniffDocument(caseId: string, documentId: string): Promise<{ kind: DocumentKind; mimeType: string }>;
  /**
   * Remembers a PDF's password (UTF-8 bytes, wiped by the worker), sealed under the case key, when the user asks.
   * Replaces one remembered before. Deleted with the document; never carried in a bundle.
   */
  rememberDocumentPassword(caseId: string, documentId: string, password: Uint8Array): Promise<void>;
  /** The remembered password as UTF-8 bytes (the caller wipes them once used), or null when none is remembered. */
  rememberedDocumentPassword(caseId: string, documentId: string): Promise<Uint8Array | null>;
  /** Whether a password is remembered for this document (the password itself stays in the vault). */
  hasRememberedDocumentPassword(caseId: string, documentId: string): Promise<boolean>;
  forgetDocumentPassword(caseId: string, documentId: string): Promise<void>;

  /** Annotations of a case, or of one of its documents. */
  listAnnotations(caseId: string, documentId?: string): Promise<AnnotationRecord[]>;
  createAnnotation(caseId: string, fields: AnnotationFields): Promise<AnnotationRecord>;
  updateAnnotation(caseId: string, id: string, fields: AnnotationFields): Promise<AnnotationRecord>;
  deleteAnnotation(caseId: string, id: string): Promise<void>;
  /** Many annotations at once (an import): all stored in one transaction, or none. */
  importAnnotations(caseId: string, fields: AnnotationFields[]): Promise<AnnotationRecord[]>;

  /** A case's hearings, by date. */
  listHearings(caseId: string): Promise<HearingRecord[]>;
  /** Creates (id null) or edits a hearing; editing a finalised hearing starts its next version. */
  saveHearing(caseId: string, id: string | null, fields: HearingFields): Promise<HearingRecord>;
  /** Signs off the current version: it joins the hearing's history. */
  finaliseHearing(caseId: string, id: string): Promise<HearingRecord>;
  deleteHearing(caseId: string, id: string): Promise<void>;
  /** Every hearing in the vault as aggregates count it (its listing: hearing-model.ts); records that fail to open
   * are reported by id. */
  listAllHearings(): Promise<{ hearings: HearingListing[]; damaged: string[] }>;

  /** A case's timeline events (hearings excluded: they come from listHearings), by date. */
  listTimelineEvents(caseId: string): Promise<TimelineEventRecord[]>;
  saveTimelineEvent(caseId: string, id: string | null, fields: TimelineEventFields): Promise<TimelineEventRecord>;
  deleteTimelineEvent(caseId: string, id: string): Promise<void>;

  /** This vault's identity (made with the vault; older vaults get one on first use). */
  getIdentity(): Promise<IdentityView>;
  renameIdentity(name: string): Promise<IdentityView>;
  /** The public identity card to give to contacts (JSON text). */
  identityCard(): Promise<string>;
  /** The identity's secret keys in a file sealed with `filePassphrase`, for the command-line verifier.
   * Asks for the vault passphrase again: whoever finds the vault unlocked cannot take the keys. */
  identityKeyFile(vaultPassphrase: Uint8Array, filePassphrase: Uint8Array): Promise<string>;
  listContacts(): Promise<ContactView[]>;
  /** Adds the contact from an identity card (JSON text); the same card again returns the existing contact. */
  addContact(cardText: string): Promise<ContactView>;
  updateContact(id: string, changes: { name?: string; verified?: boolean }): Promise<ContactView>;
  removeContact(id: string): Promise<void>;

  /** What a bundle of these choices would hold, and its size to within a few KiB: nothing is prepared. */
  estimateBundleExport(
    request: BundleExportRequest,
  ): Promise<{ items: number; bytes: number; contents: BundleSendContents }>;
  /** Prepares a bundle; its bytes then come from readBundleExport. */
  beginBundleExport(
    request: BundleExportRequest,
  ): Promise<{ exportId: string; bundleId: string; items: number; approximateBytes: number }>;
  /** The next bytes of the bundle (about 1 MiB), or null once everything was returned. */
  readBundleExport(exportId: string): Promise<Uint8Array | null>;
  /** The file is saved: logs the export in each case's custody log. */
  finishBundleExport(exportId: string): Promise<void>;
  cancelBundleExport(exportId: string): Promise<void>;
  /**
   * Starts reading a bundle file; its bytes then go to importBundleChunk in order. With `queueEntryId`, the file of
   * that entry of the bundle queue: its verification and preview are recorded in the queue.
   */
  beginBundleImport(queueEntryId?: string): Promise<string>;
  importBundleChunk(importId: string, bytes: Uint8Array): Promise<void>;
  /** The file has ended: every check done, returns what importing would change. Nothing is written yet. */
  finishBundleImport(importId: string): Promise<BundleImportPreview>;
  /** Merges the bundle in one transaction, with a choice for every conflict; `onProgress` follows the merge. */
  commitBundleImport(
    importId: string,
    choices: { resolutions: Record<string, ImportResolution>; acceptUnknownSigner: boolean },
    onProgress?: (progress: BundleMergeProgress) => void,
  ): Promise<BundleImportResult>;
  cancelBundleImport(importId: string): Promise<void>;
  /** The queue of bundle files being opened, oldest first. */
  listBundleQueue(): Promise<BundleQueueEntry[]>;
  /**
   * Adds files to the bundle queue, in order, and returns their entries: a file with the name and size of an entry
   * not yet imported is that entry again (its file opened once more after a lock).
   */
  queueBundleFiles(files: { name: string; size: number }[]): Promise<BundleQueueEntry[]>;
  /** A staged entry's preview, worked out again against the vault as it is now. */
  previewQueuedBundle(entryId: string): Promise<BundleImportPreview>;
  /** Takes a staged entry in (its own transaction), with the coordinator's decisions, as commitBundleImport. */
  acceptQueuedBundle(
    entryId: string,
    choices: { resolutions: Record<string, ImportResolution>; acceptUnknownSigner: boolean },
    onProgress?: (progress: BundleMergeProgress) => void,
  ): Promise<BundleImportResult>;
  /**
   * Takes in, one after another and each in its own transaction, every staged entry (or those of `entryIds`) that
   * needs no decision: signed by a verified contact, no conflict, nothing refused, not imported before. A failure
   * stops nothing else; each entry's outcome is returned and recorded in the queue. `onProgress` follows the merge
   * of the bundle under way (from 0 again for each).
   */
  acceptVerifiedBundles(
    entryIds?: string[],
    onProgress?: (progress: BundleMergeProgress) => void,
  ): Promise<BundleQueueAcceptance[]>;
  /** Removes entries from the queue, their staged contents with them. */
  removeFromBundleQueue(entryIds: string[]): Promise<void>;
  /** Every bundle imported, newest first, with its sender's custody log verified again. */
  listReceivedBundles(): Promise<ReceivedBundle[]>;
  /** The bundle that last brought this item ("document:<id>", "annotation:<id>", …), or null if none did. */
  itemOrigin(itemId: string): Promise<ItemOrigin | null>;

  overview(): Promise<VaultOverview>;
  /** Full-text search over the whole vault (index in the worker's memory only). While the index is being built
   * for this search, `onIndexProgress` follows the build. */
  search(
    query: string,
    options?: SearchOptions,
    onIndexProgress?: (progress: SearchIndexProgress) => void,
  ): Promise<SearchHit[]>;

  getSettings(): Promise<VaultSettings>;
  updateSettings(settings: VaultSettings): Promise<VaultSettings>;
}
