import sodium from 'libsodium-wrappers-sumo';
import {
  BackupError,
  checkPacksPresent,
  checkRecoveryTag,
  chooseSet,
  openChain,
  packsOf,
  readPack,
  readRuns,
  replayRuns,
  parseBackupFileName,
  type BackupSource,
  type BackupState,
  type OpenedRun,
  type RunProof,
  type StateRow,
} from '../backup';
import type { RestoreChoice, RestoreProgress } from '../../api';
import { VaultError } from '../crypto/errors';
import { isRecoveryBoxSlot, type VaultHeader } from '../crypto/header';
import { expandMasterKey } from '../crypto/keys';
import { readHeader } from '../header-store';
import type { BlobRow, ChunkRow, LogRow, RecordRow, StateRow as MapRow, VaultDatabase } from '../storage/database';
import { rowNames } from '../row-ids';
import { VaultStore } from '../vault-store';
import { backupKeyOf, keyCheckOf, rememberRun, setRowId } from './bookkeeping';
import { fingerprintOf } from './collect';
import { recoveryAuthRow, type RecoveryTagKey } from './recovery-auth';

/** Rows written per transaction: enough to be fast, few enough that memory stays flat. */
const BATCH_BYTES = 8 * 1024 * 1024;

/** Every table a restore fills, emptied first and again if it fails. */
export async function clearVaultTables(db: VaultDatabase): Promise<void> {
  await db.transaction('rw', [db.meta, db.records, db.log, db.blobs, db.chunks, db.state], async () => {
    await Promise.all([
      db.meta.clear(),
      db.records.clear(),
      db.log.clear(),
      db.blobs.clear(),
      db.chunks.clear(),
      db.state.clear(),
    ]);
  });
}

/** The run files of the chosen set, and the header that opens them (the chosen run's, or the newest's). */
export async function readChosenRuns(source: BackupSource, choice: RestoreChoice) {
  const files = await source.list();
  if (!files) throw new BackupError('not-a-backup', 'No backup files were given.');
  const set = chooseSet(files, choice.set);
  const runs = await readRuns(source, files, set);
  const chosen = choice.seq === undefined ? runs.at(-1)! : runs.find((run) => run.seq === choice.seq);
  if (!chosen) throw new BackupError('run-missing', `Run ${choice.seq} of this backup set is missing.`);
  return { files, set, runs, header: chosen.prefix.header };
}

/**
 * Puts rows into the tables they came from, one transaction per batch; says how many bytes each batch stored.
 * One batch is written while the next is gathered (at most one in flight): IndexedDB commits a batch while the
 * worker copies the next one's rows out of their pack, as a plain copy has nothing to do between its writes.
 */
class RowWriter {
  private records: RecordRow[] = [];
  private log: LogRow[] = [];
  private blobs: BlobRow[] = [];
  private chunks: ChunkRow[] = [];
  private map: MapRow[] = [];
  private bytes = 0;
  /** The batch being written, if any; its failure is thrown at the next send or at `finish`. */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly db: VaultDatabase,
    /** Told after each batch's transaction has committed: the progress counts rows stored, not merely read. */
    private readonly onStored: (bytes: number) => void,
    /** Asked before each batch is written: a cancel heard while the batch before was stored writes no more. */
    private readonly cancelled: () => boolean,
  ) {}

  async add(row: StateRow, env: Uint8Array): Promise<void> {
    if (row.table === 'r') this.records.push({ id: row.id, kind: row.a, owner: row.b, env });
    else if (row.table === 'l') this.log.push({ id: row.id, env });
    else if (row.table === 'b') this.blobs.push({ id: row.id, tag: row.a, env });
    else if (row.table === 'c') this.chunks.push({ id: row.id, env });
    else this.map.push({ id: Number(row.id), env });
    this.bytes += env.byteLength;
    if (this.bytes >= BATCH_BYTES) await this.send();
  }

  /** Starts writing the rows gathered, once the batch before is written. */
  async send(): Promise<void> {
    const [records, log, blobs, chunks, map] = [this.records, this.log, this.blobs, this.chunks, this.map];
    const bytes = this.bytes;
    if (records.length + log.length + blobs.length + chunks.length + map.length === 0) return;
    this.records = [];
    this.log = [];
    this.blobs = [];
    this.chunks = [];
    this.map = [];
    this.bytes = 0;
    await this.inFlight;
    if (this.cancelled()) throw new BackupError('cancelled', 'The restore was cancelled: nothing was kept.');
    const { db } = this;
    const written = db
      .transaction('rw', [db.records, db.log, db.blobs, db.chunks, db.state], async () => {
        if (records.length) await db.records.bulkPut(records);
        if (log.length) await db.log.bulkPut(log);
        if (blobs.length) await db.blobs.bulkPut(blobs);
        if (chunks.length) await db.chunks.bulkPut(chunks);
        if (map.length) await db.state.bulkPut(map);
      })
      .then(() => this.onStored(bytes));
    written.catch(() => undefined); // thrown where it is awaited (the next send, or finish)
    this.inFlight = written;
  }

  /** Writes what is left and waits until every batch is stored. */
  async finish(): Promise<void> {
    await this.send();
    await this.inFlight;
    this.inFlight = null;
  }
}

/** Writes every row of `state` from its pack (each pack read once, its hash checked before its rows count). */
async function writeRows(
  db: VaultDatabase,
  source: BackupSource,
  set: string,
  chain: readonly OpenedRun[],
  state: BackupState,
  onProgress: (progress: RestoreProgress) => void,
  cancelled: () => boolean,
): Promise<void> {
  const packs = packsOf(chain);
  const byPack = new Map<string, StateRow[]>();
  let total = 0;
  for (const row of state.values()) {
    const rows = byPack.get(row.pack);
    if (rows) rows.push(row);
    else byPack.set(row.pack, [row]);
    total += row.length;
  }
  // Reported after each batch is stored (a few MiB; a pack holds several), so the bar moves within a pack too.
  let restored = 0;
  const writer = new RowWriter(
    db,
    (bytes) => {
      restored += bytes;
      onProgress({ restored, total });
    },
    cancelled,
  );
  // Each pack is read (and its hash checked) while the rows of the one before are written.
  const order = [...byPack.keys()];
  const read = (position: number) => {
    const id = order[position];
    return id === undefined ? null : readPack(source, set, id, packs.get(id)!);
  };
  let next = read(0);
  for (const [position, [, rows]] of [...byPack].entries()) {
    if (cancelled()) {
      next?.catch(() => undefined);
      throw new BackupError('cancelled', 'The restore was cancelled: nothing was kept.');
    }
    const bytes = await next!;
    next = read(position + 1);
    next?.catch(() => undefined); // awaited next turn; a failure then stops the restore
    for (const row of rows) {
      if (row.offset + row.length > bytes.byteLength)
        throw new BackupError('pack-corrupt', `A row lies outside its pack (run index and pack disagree).`);
      const env = bytes.slice(row.offset, row.offset + row.length);
      if (row.table !== 'c' && fingerprintOf(env) !== row.fingerprint)
        throw new BackupError('pack-corrupt', 'A row in a pack is not the one its run recorded.');
      await writer.add(row, env);
    }
    await writer.send();
  }
  await writer.finish();
}

/**
 * Restores a backup run into an empty vault: checks the whole chain up to
 * the run and the presence of every pack first, then writes the rows, then
 * in one last transaction the vault header, the set's record (when the
 * latest run is restored, so the next backup goes on with the set) and a
 * custody-log entry naming the run. Until that transaction the vault has no
 * header: a crash or a failure leaves no vault (the rows are cleared now, or
 * by the next restore or vault creation).
 */
export async function restoreRows(
  db: VaultDatabase,
  source: BackupSource,
  choice: RestoreChoice,
  /** The master key the secret opens; with the recovery key, also its tag key (the caller's to wipe). */
  unlock: (header: VaultHeader) => Promise<{ masterKey: Uint8Array; tagKey: RecoveryTagKey | null }>,
  options: {
    actor: (header: VaultHeader) => string;
    /** Where the next backup of this set would go: a folder the app reads, or downloads. */
    where: 'folder' | 'downloads';
    onProgress?: (progress: RestoreProgress) => void;
    /** Asked between packs: true stops the restore (`cancelled`), which then leaves no vault. */
    cancelled?: () => boolean;
  },
): Promise<{ header: VaultHeader; masterKey: Uint8Array; set: string; seq: number; proof: RunProof }> {
  if (await readHeader(db).catch(() => true))
    throw new VaultError('vault-exists', 'A vault already exists on this computer: restore only into a new one.');
  const { files, set, runs, header } = await readChosenRuns(source, choice);
  const { masterKey, tagKey } = await unlock(header);
  const backupKey = backupKeyOf(masterKey);
  try {
    const chain = openChain(backupKey, runs, choice.seq);
    // With the recovery key, a format 2 header proves nothing (anyone can seal a key to its public key): the run's
    // tag does. A format 1 slot is sealed under a key only the recovery key gives: it proves the run by itself.
    const proof: RunProof = !tagKey
      ? 'passphrase'
      : isRecoveryBoxSlot(header.recoverySlot)
        ? checkRecoveryTag(tagKey.key, header, chain.at(-1)!.index)
        : 'recovery-slot';
    const state = replayRuns(chain);
    checkPacksPresent(
      files,
      set,
      packsOf(chain),
      [...state.values()].map((row) => row.pack),
    );
    await clearVaultTables(db);
    try {
      await writeRows(
        db,
        source,
        set,
        chain,
        state,
        options.onProgress ?? (() => undefined),
        options.cancelled ?? (() => false),
      );
      const last = chain.at(-1)!;
      const latest = (await source.list())!.every((file) => !isLaterRun(file.name, set, last.seq));
      const store = await VaultStore.open(db, expandMasterKey(masterKey.slice()), options.actor(header));
      try {
        const log = [
          { action: 'restored-from-backup' as const, targetKind: 'backup' as const, targetId: `${set}/${last.seq}` },
        ];
        // The run proved to be this recovery key's vault: its tag key is kept, for the tags of the next runs. A run
        // without a tag may be a forgery: whatever tag keys it carried go (a planted one would make its next runs
        // vouch for it, or the vault's genuine runs fail), and it gets none, so its runs are not tagged.
        const tagKeyRow = tagKey && proof === 'recovery-tag' ? [await recoveryAuthRow(store, tagKey, header)] : [];
        const dropTagKeys =
          proof === 'none'
            ? [{ table: 'recovery-auth' as const, caseId: null, id: store.blind(rowNames.recoveryAuth()) }]
            : [];
        const known = {
          setId: set,
          keyCheck: keyCheckOf(backupKey),
          where: options.where,
          seq: last.seq,
          run: last.index.run,
          runHash: last.hash,
          at: last.index.createdAt,
        };
        if (latest)
          await rememberRun(store, known, state, undefined, log, { header, put: tagKeyRow, delete: dropTagKeys });
        else {
          // An earlier run: the set goes on without this vault (its later runs are not this vault's past).
          await store.commit({
            header,
            put: [
              await store.seal('backup-set', null, setRowId(store, set), { ...known, stateBlob: '', retired: true }),
              ...tagKeyRow,
            ],
            delete: dropTagKeys,
            log,
            derived: true,
          });
        }
      } finally {
        store.wipe();
      }
      return { header, masterKey, set, seq: last.seq, proof };
    } catch (error) {
      await clearVaultTables(db).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    sodium.memzero(masterKey);
    throw error;
  } finally {
    sodium.memzero(backupKey);
  }
}

function isLaterRun(name: string, set: string, seq: number): boolean {
  const parsed = parseBackupFileName(name);
  return parsed?.kind === 'run' && parsed.set === set && parsed.seq > seq;
}
