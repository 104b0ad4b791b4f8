import sodium from 'libsodium-wrappers-sumo';
import {
  MIN_PASSPHRASE_SCORE,
  type BackupSource,
  type RestoreChoice,
  type RestoreProgress,
  type RestoreSecret,
  type CustodyEntryView,
  type RekeyStatus,
  type EngineHealth,
  type VaultStatus,
  type VaultWorkerApi,
} from '../api';
import {
  caseFieldsSchema,
  DEFAULT_SETTINGS,
  settingsSchema,
  type CaseFields,
  type CaseRecord,
  type VaultSettings,
} from '../model';
import { VaultError } from './crypto/errors';
import {
  createHeader,
  isRecoveryBoxSlot,
  rekeyedHeader,
  rewrapPassphrase,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
  withoutCreationTime,
  type VaultHeader,
} from './crypto/header';
import { deriveSubkey, expandMasterKey, newMasterKey, randomId, wipeKeys } from './crypto/keys';
import { openRecord } from './crypto/envelope';
import { wipeRecordMemory } from './crypto/sodium-memory';
import { formatRecoveryKey, newRecoveryKey, parseRecoveryKey } from './crypto/recovery-key';
import { recoveryAuthRow, recoveryTagKeyOf, type RecoveryTagKey } from './backup-service/recovery-auth';
import { countedIn, GiveWay } from './give-way';
import { readHeader } from './header-store';
import { yieldToWorker } from './yield-to-worker';
import {
  backoffHandover,
  checkUnderBackoff,
  clearFailures,
  continueBackoff,
  readFailures,
  recordFailure,
  retryAfterMs,
  systemClocks,
  type Clocks,
} from './lockout';
import { estimatePassphrase } from './passphrase-strength';
import type { VaultDatabase } from './storage/database';
import { sweepPendingIntakes } from './blob-store';
import { createAnnotationService } from './annotations-service';
import { createHearingService } from './hearings-service';
import { createTimelineService } from './timeline-service';
import { createIdentityService, writeIdentityKeyFile } from './identity-service';
import { asVaultError, clearVaultTables, createBackupService, inspectBackupFiles, restoreRows } from './backup-service';
import { createBundleService } from './bundle-service';
import { createSearchService } from './search/search-service';
import { createOverviewService } from './overview-service';
import { createDocumentsViewService } from './documents-view-service';
import { createCustodyLogService } from './custody-log-service';
import type { Sha256StreamFactory } from './content-hash';
import { createDocumentService } from './documents-service';
import { LOG_HEAD_ID, VaultStore } from './vault-store';
import { RekeyRun, finishRekey, hasOpenableJournal, startJournal, type RekeyAction } from './rekey';
import { inlineCipherPool, type CipherPool } from './cipher-pool';
import { storeKeysAsBytesOnce } from './key-storage-upgrade';
import { rowNames } from './row-ids';
import { checkDraftData, draftRef } from './drafts';
import { settleWithheldPeople } from './bundle-service/withholding';

export interface VaultServiceOptions {
  /** KDF cost for new vaults and passphrase changes (tests use the floor). */
  kdf?: { opsLimit: number; memLimit: number };
  health: () => Promise<EngineHealth>;
  /** Rows moved per transaction by a re-key (default 400), and a hook after each step (tests simulate a crash
   * there). */
  rekeyBatchSize?: number;
  rekeyAfterStep?: (step: number) => Promise<void> | void;
  /** Where intake hashing runs (default: in this thread). */
  sha256Stream?: Sha256StreamFactory;
  /** Where document chunks are sealed and opened (default: in this thread); ended at every lock. */
  cipherPool?: CipherPool;
  /** How long background search work waits: its encrypted snapshot is written this long after the index last
   * changed (default 3 s), and loaded this long after unlock (default 1 s). */
  searchSnapshotDelayMs?: number;
  /** The clocks the unlock back-off reads (tests give each "worker" its own monotonic clock). */
  clocks?: Clocks;
}

interface Session {
  header: VaultHeader;
  store: VaultStore;
}

const decoder = new TextDecoder();

function parseOrThrow<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new VaultError('invalid-input', `Invalid ${what}.`);
  return parsed.data;
}

/** The longest a slice of background work (the integrity map's warm-up) waits for the page's calls to end. */
const BACKGROUND_MAX_WAIT_MS = 1000;

/**
 * The vault behind the RPC API: holds the session (keys) while unlocked and
 * drops it at lock. Every method that changes data commits its records and
 * custody-log entries in one transaction.
 */
export function createVaultService(db: VaultDatabase, options: VaultServiceOptions): VaultWorkerApi {
  const clocks = options.clocks ?? systemClocks;
  const cipherPool = options.cipherPool ?? inlineCipherPool();
  let session: Session | null = null;
  /** Every call from the page, under way until it settles: background work after unlock gives way to them. */
  const pageCalls = new GiveWay(0, BACKGROUND_MAX_WAIT_MS);
  /** The integrity map's warm-up after the last unlock, while under way; `wanted` once a search waits for it. */
  let warming: { done: Promise<void>; wanted: boolean } | null = null;

  /**
   * Starts the integrity map's warm-up after unlock (VaultStore.warmIntegrityMap). Before each batch the calls
   * that came meanwhile start, and it waits until they end, unless a search waits for it.
   */
  function startWarmUp(store: VaultStore): void {
    const started = { done: Promise.resolve(), wanted: false };
    started.done = store
      .warmIntegrityMap(async () => {
        await yieldToWorker();
        await pageCalls.clear(() => !started.wanted);
      })
      .finally(() => {
        if (warming === started) warming = null;
      });
    warming = started;
  }

  /**
   * Resolves once the integrity map's warm-up under way, if any, is done; it no longer gives way meanwhile. A
   * search waits for it: each of its queries checks rows in dozens of buckets, and opening them one query at a
   * time made the first queries after unlock several times slower than the rest. (Opening every case key too
   * was tried: at 10,000 cases its reads held up the queries' own as much as they saved.)
   */
  function warmedUp(): Promise<void> {
    if (!warming) return Promise.resolve();
    warming.wanted = true;
    pageCalls.wake();
    return warming.done;
  }

  async function requireHealthyEngine(): Promise<void> {
    const health = await options.health();
    if (!health.ok) throw new VaultError('engine-failed', 'The encryption engine failed its self-test.');
  }

  /** The re-key this worker is running (a passphrase change, or one cut short finished at unlock). */
  let rekey: RekeyRun | null = null;
  /** How the last re-key ended in this worker (a failed one: the next unlock goes on with it). */
  let rekeyOutcome: RekeyStatus | null = null;

  function requireSession(): Session {
    if (!session && rekey?.progress)
      throw new VaultError('rekey-under-way', 'The vault is busy changing its keys. Try again when it is done.');
    if (!session) throw new VaultError('locked', 'The vault is locked.');
    return session;
  }

  function requireStrong(passphrase: Uint8Array): void {
    const estimate = estimatePassphrase(decoder.decode(passphrase));
    if (!estimate.acceptable || estimate.score < MIN_PASSPHRASE_SCORE) {
      sodium.memzero(passphrase);
      throw new VaultError('weak-passphrase', 'This passphrase is too easy to guess.');
    }
  }

  const actorOf = (header: VaultHeader) => sodium.to_hex(header.vaultId).slice(0, 16);

  /** Bumped by every lock: an unlock still in flight when a lock arrives must not end unlocked. */
  let lockGeneration = 0;

  /**
   * Opens the store for `masterKey` and makes it the session, unless a lock
   * came in meanwhile: then the keys are wiped and the caller gets `locked`.
   */
  async function startSession(
    opened: VaultHeader,
    openedKey: Uint8Array,
    generation: number,
    run = new RekeyRun(),
  ): Promise<Session> {
    // A re-key under way (begun now, or cut short by a crash or a lock) is finished first: nothing reads or
    // writes rows while they move between keys.
    rekey = run;
    rekeyOutcome = null;
    try {
      const outcome = await finishRekey(db, opened, openedKey, {
        run,
        stillWanted: () => generation === lockGeneration,
        batchSize: options.rekeyBatchSize,
        afterStep: options.rekeyAfterStep,
      }).catch((error: unknown) => {
        sodium.memzero(openedKey);
        throw error;
      });
      const { header } = outcome;
      const keys = expandMasterKey(outcome.masterKey);
      let store: VaultStore | undefined;
      try {
        store = await VaultStore.open(db, keys, actorOf(header));
        // Intakes cut short by a crash or a lock leave chunks behind: remove them.
        await sweepPendingIntakes(db);
        // Rows were rewritten outside commits: the integrity map is made again from them (under the new records
        // key), then the journal goes with the entry that says what changed (a cancelled re-key changed nothing).
        if (outcome.finished !== null) await store.rebuildIntegrityMap();
        if (outcome.finished !== null)
          await store.commit({
            rekeyJournal: null,
            log:
              outcome.finished === 'cancelled'
                ? []
                : [{ action: outcome.finished, targetKind: 'vault', targetId: sodium.to_hex(header.vaultId) }],
          });
      } catch (error) {
        if (store) store.wipe();
        else wipeKeys(keys);
        throw error;
      }
      if (generation !== lockGeneration) {
        store.wipe();
        throw new VaultError('locked', 'The vault was locked while it was being opened.');
      }
      endSession();
      session = { header, store };
      cipherPool.reopen(); // closed by the last lock or re-key
      search.warm();
      startWarmUp(store);
      if (outcome.finished !== null)
        rekeyOutcome =
          outcome.finished === 'cancelled'
            ? { running: false, outcome: 'cancelled' }
            : { running: false, outcome: 'finished', leftOut: outcome.rolledBack, unchecked: outcome.unchecked };
      return session;
    } catch (error) {
      if (run.progress && !(error instanceof VaultError && error.code === 'locked'))
        rekeyOutcome = {
          running: false,
          outcome: 'failed',
          failed: error instanceof VaultError ? error.code : 'engine-failed',
          direction: run.progress.direction,
        };
      throw error;
    } finally {
      if (rekey === run) rekey = null;
    }
  }

  /**
   * Starts a re-key from the session's master key (`oldMaster`, checked against the passphrase just typed) to
   * a new one under `passphrase` and, given one, a new recovery key. Returns once the change has committed (the
   * new secret opens the vault from then on); the rows move in the background (rekeyStatus, cancelRekey).
   */
  async function beginRekey(
    active: Session,
    oldMaster: Uint8Array,
    passphrase: Uint8Array,
    newRecovery: Uint8Array | null,
    action: RekeyAction,
  ): Promise<void> {
    // The map is rebuilt from the rows at the end: a record already rolled back would be made current. The user
    // sees it first (Verify custody log) and decides (accept the records as stored, or restore from a copy).
    const verdict = await active.store.verifyLog().catch(() => null);
    if (verdict?.ok === false && verdict.reason === 'record-rolled-back') {
      sodium.memzero(oldMaster);
      throw new VaultError(
        'record-rolled-back',
        'Some records are not the versions last written: verify the log first.',
      );
    }
    const newMaster = newMasterKey();
    const tagKey = newRecovery ? recoveryTagKeyOf(newRecovery, active.header.vaultId) : null;
    let header: VaultHeader;
    try {
      header = await rekeyedHeader(active.header, newMaster, passphrase, newRecovery, options.kdf);
      await active.store.commit({
        header,
        rekeyJournal: startJournal(newMaster, oldMaster, active.header, action),
        // A new recovery key's backup tag key, kept beside the current one in the same commit: whichever key the
        // re-key ends with (done, or cancelled back) finds its own.
        put: tagKey ? [await recoveryAuthRow(active.store, tagKey, active.header)] : [],
      });
    } catch (error) {
      sodium.memzero(newMaster);
      throw error;
    } finally {
      sodium.memzero(oldMaster);
      if (tagKey) sodium.memzero(tagKey.key);
    }
    const generation = lockGeneration;
    // Calls from here on are told the vault is busy, not locked.
    const run = new RekeyRun(true);
    run.progress = { direction: 'forward', done: 0, total: 1, cancellable: true };
    rekey = run;
    // As at a lock: nothing made with the old keys may outlive them (an intake's blob row, a staged import).
    endSession();
    cipherPool.terminate();
    search.drop();
    overview.drop();
    documentsView.drop();
    custodyLog.drop();
    await documents.dropIntakes();
    await bundles.dropAll();
    rekeyTask = startSession(header, newMaster, generation, run).then(
      () => undefined,
      () => undefined,
    );
  }
  /** The background run of the last re-key begun here (tests await it). */
  let rekeyTask: Promise<void> = Promise.resolve();

  /**
   * A master key from the recovery slot must open the vault's own rows: in format 2 anyone can seal a key of
   * their own to the recovery public key, and evidence written afterwards would be sealed with a key they
   * chose. The journal of a re-key under way, or else the custody log head (every vault has one), must open.
   */
  async function requireKeyOfThisVault(masterKey: Uint8Array): Promise<void> {
    const logKey = deriveSubkey(masterKey, 'custodyLog');
    try {
      if (await hasOpenableJournal(db, masterKey)) return;
      const head = await db.records.get(LOG_HEAD_ID);
      if (!head) throw new Error('no log head');
      openRecord(logKey, { table: 'log-head', id: LOG_HEAD_ID }, head.env);
    } catch {
      sodium.memzero(masterKey);
      throw new VaultError('header-altered', 'The recovery slot of the vault header was replaced.');
    } finally {
      sodium.memzero(logKey);
    }
  }

  function endSession(): void {
    session?.store.wipe();
    session = null;
    warming = null; // it stops at its next batch: the store's map is forgotten
    // The kept record area (zeros between calls) freed, the record nonces not yet handed out dropped.
    wipeRecordMemory();
  }

  const activeSession = () => {
    const active = requireSession();
    return { store: active.store, actor: actorOf(active.header) };
  };
  const annotations = createAnnotationService(activeSession);
  const hearings = createHearingService(activeSession);
  const timeline = createTimelineService(activeSession);
  const identity = createIdentityService(activeSession);
  const custodyLog = createCustodyLogService({
    session: activeSession,
    ownName: async () => (await identity.api.getIdentity()).name,
    senders: async () =>
      new Map((await bundles.api.listReceivedBundles()).map((received) => [received.bundleId, received.signer.name])),
  });
  const overview = createOverviewService({
    session: activeSession,
    listAllDocuments: (...args) => documents.listAllDocuments(...args),
  });
  const documentsView = createDocumentsViewService({
    session: activeSession,
    listAllDocuments: (...args) => documents.listAllDocuments(...args),
  });
  const search = createSearchService(activeSession, { snapshotDelayMs: options.searchSnapshotDelayMs, warmedUp });
  const documents = createDocumentService(activeSession, cipherPool, options.sha256Stream, (caseId, documentId) =>
    annotations.annotationsOfDocument(caseId, documentId),
  );
  const backups = createBackupService(activeSession);
  const bundles = createBundleService({
    session: activeSession,
    cipher: cipherPool,
    identity,
    documents,
    annotations,
    hearings,
    timeline,
  });

  const loadCase = (store: VaultStore, id: string): Promise<CaseRecord> => store.read('case', id, id);

  async function writeCase(
    store: VaultStore,
    record: CaseRecord,
    action: 'created' | 'edited' | 'archived' | 'restored',
    extraRows: Awaited<ReturnType<VaultStore['sealCaseRecord']>>[] = [],
  ): Promise<CaseRecord> {
    const row = await store.seal('case', record.id, record.id, record);
    await store.commit({
      put: [...extraRows, row],
      log: [{ action, targetKind: 'case', targetId: record.id, caseId: record.id }],
    });
    return record;
  }

  async function reduceHistoryOfDeletedCasesOnce(store: VaultStore): Promise<void> {
    const id = store.blind(rowNames.maintenance());
    const done = await store.find('maintenance', null, id);
    if (done?.historyOfDeletedCasesReduced) return;
    await store.reduceHistoryOfDeletedCases();
    await bundles.forgetDeletedCases(store);
    // Bookkeeping, not a record anything is derived from: the search index stored before this unlock stays current.
    await store.commit({
      put: [await store.seal('maintenance', null, id, { ...done, historyOfDeletedCasesReduced: true })],
      derived: true,
    });
  }

  /** Secrets given to a call are wiped when it ends, however it ends. */
  function wiping<A extends unknown[], R>(secretsOf: (...args: A) => Uint8Array[], run: (...args: A) => Promise<R>) {
    return async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } finally {
        for (const secret of secretsOf(...args)) if (secret instanceof Uint8Array) sodium.memzero(secret);
      }
    };
  }

  /** Set by cancelRestore; the restore under way (or queued) stops at its next pack, and clears it when it ends. */
  let restoreCancelled = false;

  /** Unlock attempts run one at a time, so the failure counter cannot be raced. */
  let unlockQueue: Promise<unknown> = Promise.resolve();
  function oneAtATime<A extends unknown[], R>(run: (...args: A) => Promise<R>) {
    return (...args: A): Promise<R> => {
      const calledAt = lockGeneration;
      const next = unlockQueue.then(() => {
        // A lock that came after this call but before it ran still wins.
        if (calledAt !== lockGeneration) throw new VaultError('locked', 'The vault was locked before it could open.');
        return run(...args);
      });
      unlockQueue = next.catch(() => undefined);
      return next;
    };
  }

  const api: VaultWorkerApi = {
    health: () => options.health(),

    async status(): Promise<VaultStatus> {
      const header = await readHeader(db).catch(() => 'damaged' as const);
      const failures = await readFailures(db, clocks);
      const state = session ? 'unlocked' : header === undefined ? 'no-vault' : 'locked';
      return { state, retryAfterMs: retryAfterMs(failures, clocks), failedAttempts: failures.count };
    },

    estimatePassphrase(passphrase) {
      try {
        return Promise.resolve(estimatePassphrase(decoder.decode(passphrase)));
      } finally {
        sodium.memzero(passphrase);
      }
    },

    createVault: wiping(
      (passphrase: Uint8Array) => [passphrase],
      async (passphrase) => {
        // Taken now: a lock during the (now asynchronous) Argon2id below must still win.
        const generation = lockGeneration;
        await requireHealthyEngine();
        if (await readHeader(db).catch(() => true))
          throw new VaultError('vault-exists', 'A vault already exists on this computer.');
        requireStrong(passphrase);
        // Rows without a header are what a restore cut short by a crash left: no vault, nothing to keep.
        await clearVaultTables(db);
        const recoveryKey = newRecoveryKey();
        const { header, masterKey } = await createHeader(passphrase, recoveryKey, options.kdf);
        const formatted = formatRecoveryKey(recoveryKey);
        const tagKey = recoveryTagKeyOf(recoveryKey, header.vaultId);
        sodium.memzero(recoveryKey);
        try {
          await clearFailures(db);
          const { store } = await startSession(header, masterKey, generation);
          // Header, settings, the identity keys, the recovery key's backup tag key and the first log entries land
          // together, or not at all.
          const own = await identity.newIdentityRow(store);
          await store.commit({
            header,
            put: [
              await store.seal('settings', null, 'settings', DEFAULT_SETTINGS),
              own.row,
              await recoveryAuthRow(store, tagKey, null),
            ],
            log: [
              { action: 'vault-created', targetKind: 'vault', targetId: sodium.to_hex(header.vaultId) },
              { action: 'created', targetKind: 'identity', targetId: own.keyId },
            ],
          });
        } finally {
          sodium.memzero(tagKey.key);
        }
        return { recoveryKey: formatted };
      },
    ),

    unlock: oneAtATime(
      wiping(
        (passphrase: Uint8Array) => [passphrase],
        async (passphrase) => {
          const generation = lockGeneration;
          await requireHealthyEngine();
          const header = await readHeader(db);
          if (!header) throw new VaultError('no-vault', 'There is no vault on this computer yet.');
          const failures = await readFailures(db, clocks);
          const wait = retryAfterMs(failures, clocks);
          if (wait > 0) {
            sodium.memzero(passphrase);
            throw new VaultError('backoff', 'Too many wrong attempts. Wait before trying again.', String(wait));
          }
          let masterKey: Uint8Array;
          try {
            masterKey = await unlockWithPassphrase(header, passphrase);
          } catch (error) {
            if (error instanceof VaultError && error.code === 'wrong-secret') {
              const next = await recordFailure(db, clocks);
              throw new VaultError('wrong-secret', error.message, String(retryAfterMs(next, clocks)));
            }
            throw error;
          }
          await clearFailures(db);
          const active = await startSession(header, masterKey, generation);
          // A header written by an earlier version still carries the vault's creation time in plaintext: it is
          // written again without it. At the next unlock if this fails (a lock meanwhile, a full disk).
          const scrubbed = active.header === header ? withoutCreationTime(header, masterKey) : null;
          if (scrubbed)
            await active.store
              .commit({ header: scrubbed })
              .then(() => (active.header = scrubbed))
              .catch(() => undefined);
          // Cases deleted by an earlier version left their history readable: it is reduced once, at the first
          // unlock with this version (again at the next unlock if this fails); later deletions do it themselves.
          await reduceHistoryOfDeletedCasesOnce(active.store).catch(() => undefined);
          // Rows of an earlier version that hold keys as text are rewritten with the keys as bytes, once (again
          // at the next unlock if this fails).
          await storeKeysAsBytesOnce(active.store).catch(() => undefined);
        },
      ),
    ),

    recover: oneAtATime(
      wiping(
        (_key: string, newPassphrase: Uint8Array) => [newPassphrase],
        async (recoveryKeyText, newPassphrase) => {
          const generation = lockGeneration;
          await requireHealthyEngine();
          const header = await readHeader(db);
          if (!header) throw new VaultError('no-vault', 'There is no vault on this computer yet.');
          requireStrong(newPassphrase);
          const recoveryKey = parseRecoveryKey(recoveryKeyText);
          let masterKey: Uint8Array;
          let tagKey: RecoveryTagKey;
          try {
            masterKey = unlockWithRecoveryKey(header, recoveryKey);
            tagKey = recoveryTagKeyOf(recoveryKey, header.vaultId);
          } finally {
            sodium.memzero(recoveryKey);
          }
          // Format 1's slot is sealed under a key only the recovery key gives: nobody could have put a key in it.
          try {
            if (isRecoveryBoxSlot(header.recoverySlot)) await requireKeyOfThisVault(masterKey);
            const next = await rewrapPassphrase(header, masterKey, newPassphrase, options.kdf).catch(
              (error: unknown) => {
                sodium.memzero(masterKey); // the KDF worker failed: no session will take the key
                throw error;
              },
            );
            const { store } = await startSession(next, masterKey, generation);
            // The new passphrase slot, the recovery key's backup tag key (a vault from before tags gets it now)
            // and the log entry land together.
            await store.commit({
              header: next,
              put: [await recoveryAuthRow(store, tagKey, next)],
              log: [{ action: 'recovered', targetKind: 'vault', targetId: sodium.to_hex(next.vaultId) }],
            });
          } finally {
            sodium.memzero(tagKey.key);
          }
          await clearFailures(db);
        },
      ),
    ),

    changePassphrase: wiping(
      (current: Uint8Array, next: Uint8Array) => [current, next],
      async (current, nextPassphrase) => {
        const active = requireSession();
        requireStrong(nextPassphrase);
        const oldMaster = await checkUnderBackoff(db, () => unlockWithPassphrase(active.header, current), clocks);
        // A format 1 header's recovery slot cannot be given the new master key without the recovery key
        // itself: such a vault gets a new recovery key with its new keys (shown once, as at creation).
        const newRecovery = isRecoveryBoxSlot(active.header.recoverySlot) ? null : newRecoveryKey();
        try {
          await beginRekey(active, oldMaster, nextPassphrase, newRecovery, 'passphrase-changed');
          return { recoveryKey: newRecovery ? formatRecoveryKey(newRecovery) : null };
        } finally {
          if (newRecovery) sodium.memzero(newRecovery);
        }
      },
    ),

    replaceRecoveryKey: wiping(
      (passphrase: Uint8Array) => [passphrase],
      async (passphrase) => {
        const active = requireSession();
        // The passphrase again: whoever finds the vault unlocked cannot take over its recovery. Checked on a copy:
        // the KDF wipes what it is given, and the passphrase itself seals the new header's passphrase slot.
        const oldMaster = await checkUnderBackoff(
          db,
          () => unlockWithPassphrase(active.header, passphrase.slice()),
          clocks,
        );
        const recoveryKey = newRecoveryKey();
        try {
          await beginRekey(active, oldMaster, passphrase, recoveryKey, 'recovery-key-replaced');
          return { recoveryKey: formatRecoveryKey(recoveryKey) };
        } finally {
          sodium.memzero(recoveryKey);
        }
      },
    ),

    rekeyStatus() {
      return Promise.resolve(rekey?.progress ? { ...rekey.progress, running: true as const } : rekeyOutcome);
    },

    cancelRekey() {
      rekey?.cancel();
      return Promise.resolve();
    },

    async whenRekeyStops() {
      await rekeyTask;
    },

    async lock() {
      // Keys go first and at once; leftovers of unfinished intakes after.
      lockGeneration += 1;
      endSession();
      cipherPool.terminate();
      search.drop();
      overview.drop();
      documentsView.drop();
      custodyLog.drop();
      await documents.dropIntakes();
      await bundles.dropAll();
    },

    async backoffHandover() {
      // An unlock under way counts its failure first (a lock during Argon2id must not lose it).
      await unlockQueue;
      return backoffHandover(db, clocks);
    },

    continueBackoff(handover) {
      continueBackoff(db, handover, clocks);
      return Promise.resolve();
    },

    beginIntake: documents.beginIntake,
    intakeChunk: documents.intakeChunk,
    finishIntake: documents.finishIntake,
    cancelIntake: documents.cancelIntake,
    listDocuments: documents.listDocuments,
    listAllDocuments: documents.listAllDocuments,
    listAnnotations: annotations.listAnnotations,
    createAnnotation: annotations.createAnnotation,
    updateAnnotation: annotations.updateAnnotation,
    deleteAnnotation: annotations.deleteAnnotation,
    importAnnotations: annotations.importAnnotations,
    listHearings: hearings.listHearings,
    saveHearing: hearings.saveHearing,
    finaliseHearing: hearings.finaliseHearing,
    deleteHearing: hearings.deleteHearing,
    listAllHearings: hearings.listAllHearings,
    ...identity.api,
    ...bundles.api,
    ...search.api,
    ...overview.api,
    ...documentsView.api,
    ...custodyLog.api,
    backUp: (target, onProgress, backupOptions) => backups.backUp(target, onProgress, backupOptions),
    lastBackupFolder: () => backups.lastBackupFolder(),
    cancelBackup: () => backups.cancelBackup(),
    pruneBackup: (target, keep) => backups.pruneBackup(target, keep),
    listBackupSets: () => backups.listBackupSets(),
    verifyBackup: (source, verifyOptions) => backups.verifyBackup(source, verifyOptions),
    inspectBackup: (source) => inspectBackupFiles(source),

    cancelRestore() {
      restoreCancelled = true;
      return Promise.resolve();
    },

    restoreBackup: oneAtATime(
      wiping(
        (
          _source: BackupSource,
          secret: RestoreSecret,
          _choice: RestoreChoice,
          _onProgress?: (progress: RestoreProgress) => void,
        ) => [secret.kind === 'passphrase' ? secret.passphrase : secret.newPassphrase],
        async (source, secret, choice, onProgress) => {
          const generation = lockGeneration;
          await requireHealthyEngine();
          if (secret.kind === 'recovery-key') requireStrong(secret.newPassphrase);
          const newPassphrase = secret.kind === 'recovery-key' ? secret.newPassphrase : null;
          let tagKey: RecoveryTagKey | null = null;
          const restored = await asVaultError(
            restoreRows(
              db,
              source,
              choice,
              async (header) => {
                if (secret.kind === 'passphrase')
                  return { masterKey: await unlockWithPassphrase(header, secret.passphrase), tagKey: null };
                const recoveryKey = parseRecoveryKey(secret.recoveryKey);
                try {
                  const masterKey = unlockWithRecoveryKey(header, recoveryKey);
                  tagKey = recoveryTagKeyOf(recoveryKey, header.vaultId);
                  return { masterKey, tagKey };
                } finally {
                  sodium.memzero(recoveryKey);
                }
              },
              {
                actor: actorOf,
                where: choice.where ?? 'folder',
                onProgress,
                cancelled: () => restoreCancelled,
              },
            ),
          ).finally(() => {
            restoreCancelled = false;
            if (tagKey) sodium.memzero(tagKey.key);
          });
          await clearFailures(db);
          // Opened with the recovery key: a new passphrase, as `recover` sets one, in its own commit.
          const header = newPassphrase
            ? await rewrapPassphrase(restored.header, restored.masterKey, newPassphrase, options.kdf).catch(
                (error: unknown) => {
                  sodium.memzero(restored.masterKey); // the KDF worker failed: no session will take the key
                  throw error;
                },
              )
            : restored.header;
          const { store } = await startSession(header, restored.masterKey, generation);
          if (newPassphrase)
            await store.commit({
              header,
              log: [{ action: 'recovered', targetKind: 'vault', targetId: sodium.to_hex(header.vaultId) }],
            });
          return { set: restored.set, seq: restored.seq, proof: restored.proof };
        },
      ),
    ),
    identityKeyFile: wiping(
      (vaultPassphrase: Uint8Array, filePassphrase: Uint8Array) => [vaultPassphrase, filePassphrase],
      async (vaultPassphrase, filePassphrase) => {
        const active = requireSession();
        // The vault passphrase again: an unlocked, unattended vault must not hand out its keys.
        sodium.memzero(await checkUnderBackoff(db, () => unlockWithPassphrase(active.header, vaultPassphrase), clocks));
        requireStrong(filePassphrase);
        const keys = await identity.identityKeys(active.store);
        try {
          const file = await writeIdentityKeyFile(keys.name, keys, filePassphrase.slice(), options.kdf);
          const view = await identity.api.getIdentity();
          await active.store.commit({ log: [{ action: 'exported', targetKind: 'identity', targetId: view.keyId }] });
          return file;
        } finally {
          sodium.memzero(keys.signSecretKey);
          sodium.memzero(keys.boxSecretKey);
        }
      },
    ),
    listTimelineEvents: timeline.listTimelineEvents,
    saveTimelineEvent: timeline.saveTimelineEvent,
    deleteTimelineEvent: timeline.deleteTimelineEvent,
    readDocumentChunk: documents.readDocumentChunk,
    readDocument: documents.readDocument,
    verifyDocument: documents.verifyDocument,
    deleteDocument: documents.deleteDocument,
    updateProvenance: documents.updateProvenance,
    saveDocumentText: documents.saveDocumentText,
    getDocumentText: documents.getDocumentText,
    sniffDocument: documents.sniffDocument,
    rememberDocumentPassword: wiping(
      (_caseId: string, _documentId: string, password: Uint8Array) => [password],
      documents.rememberDocumentPassword,
    ),
    rememberedDocumentPassword: documents.rememberedDocumentPassword,
    hasRememberedDocumentPassword: documents.hasRememberedDocumentPassword,
    forgetDocumentPassword: documents.forgetDocumentPassword,

    async listCases() {
      const { store } = requireSession();
      const { entries, damaged } = await store.listEntries('case');
      return { cases: entries.map(({ entry }) => entry), damaged };
    },

    async getCase(id) {
      return loadCase(requireSession().store, id);
    },

    async createCase(fields) {
      const { store } = requireSession();
      const parsed = parseOrThrow(caseFieldsSchema, fields, 'case');
      // A person a bundle withheld keeps the mark only while they still are its placeholder.
      const valid = { ...parsed, people: settleWithheldPeople(parsed.people) };
      const id = randomId();
      const now = Date.now();
      const keyRow = store.newCaseKey(id);
      return writeCase(store, { ...valid, id, archived: false, createdAt: now, updatedAt: now }, 'created', [keyRow]);
    },

    async updateCase(id, fields: CaseFields) {
      const { store } = requireSession();
      const parsed = parseOrThrow(caseFieldsSchema, fields, 'case');
      // A real name or notes typed over a withheld person's placeholder end the mark.
      const valid = { ...parsed, people: settleWithheldPeople(parsed.people) };
      const existing = await loadCase(store, id);
      return writeCase(store, { ...existing, ...valid, updatedAt: Date.now() }, 'edited');
    },

    async setCaseArchived(id, archived) {
      const { store } = requireSession();
      const existing = await loadCase(store, id);
      return writeCase(store, { ...existing, archived, updatedAt: Date.now() }, archived ? 'archived' : 'restored');
    },

    async deleteCase(id) {
      const { store } = requireSession();
      await loadCase(store, id);
      // The bundle queue is held while the case goes: its entries about the case leave in the same commit, and no
      // change to the queue read before it can put them back.
      await bundles.holdingQueue(async () => {
        // What the case holds is read before the commit; a document another window adds to it meanwhile would be
        // left behind, its content too. The commit is refused if any record changed since the reading began, and
        // read again. (A write sealed for the case before, committed after, is refused by the store: case-deleted.)
        for (let attempt = 1; ; attempt++) {
          const generation = await store.storedGeneration();
          const rows = await store.caseRows(id);
          const content = await documents.releaseCaseContent(id);
          // Import records from before per-case receipts lose the case's part in the same commit.
          const imports = await bundles.forgetCase(store, id);
          const queue = await bundles.queueRowsWithoutCase(store, id);
          try {
            await store.commit({
              ...content,
              put: [...imports.put, ...queue],
              delete: [...rows, ...imports.delete],
              log: [{ action: 'deleted', targetKind: 'case', targetId: id, caseId: id }],
              onlyIfStored: { generation },
            });
            break;
          } catch (error) {
            if (!(error instanceof VaultError && error.detail === 'stale') || attempt === 3) throw error;
          }
        }
      });
      store.forgetCaseKey(id);
    },

    async caseHistory(caseId): Promise<CustodyEntryView[]> {
      const { store } = requireSession();
      const { entries } = await store.readLog();
      return entries.filter((entry) => entry.caseId === caseId);
    },

    async verifyLog() {
      return requireSession().store.verifyLog();
    },

    acceptRecordsAsStored: wiping(
      (passphrase: Uint8Array) => [passphrase],
      async (passphrase) => {
        const active = requireSession();
        // The passphrase again: accepting what is on disk must not be one click for whoever finds the vault open.
        sodium.memzero(await checkUnderBackoff(db, () => unlockWithPassphrase(active.header, passphrase)));
        // The map and the entry that says it was accepted land in one transaction.
        await active.store.rebuildIntegrityMap({
          action: 'records-accepted',
          targetKind: 'vault',
          targetId: sodium.to_hex(active.header.vaultId),
        });
        // The rebuild dropped the stored search index (derived rows are not accepted as they are): the one in
        // memory goes too, and the next search builds it again from the records.
        search.drop();
      },
    ),

    // A draft of an existing case belongs to that case: sealed with its key, deleted with it (and with what it is a
    // draft of: draft-names.ts). Other drafts (a case not yet saved) are vault-wide. A malformed name is refused.
    async saveDraft(name, data) {
      const { store } = requireSession();
      const { caseId, id } = draftRef(store, name);
      checkDraftData(data);
      const value = { name, data, savedAt: Date.now() };
      const row = caseId ? await store.seal('draft', caseId, id, value) : await store.seal('draft', null, id, value);
      await store.commit({ put: [row] });
    },

    async loadDraft(name) {
      const { store } = requireSession();
      const { caseId, id } = draftRef(store, name);
      const draft = caseId ? await store.find('draft', caseId, id) : await store.find('draft', null, id);
      return draft?.data;
    },

    async discardDraft(name) {
      const { store } = requireSession();
      await store.commit({ delete: [draftRef(store, name)] });
    },

    async getSettings(): Promise<VaultSettings> {
      // Settings are the one record that falls back when unreadable: a vault must open to be repaired.
      const stored = await requireSession()
        .store.find('settings', null, 'settings')
        .catch(() => undefined);
      return stored ?? DEFAULT_SETTINGS;
    },

    async updateSettings(settings) {
      const { store } = requireSession();
      const valid = parseOrThrow(settingsSchema, settings, 'settings');
      await store.commit({ put: [await store.seal('settings', null, 'settings', valid)] });
      return valid;
    },
  };
  return countedIn(pageCalls, api);
}
