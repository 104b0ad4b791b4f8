/**
 * Why a backup set (or a file in it) was refused. Each reason is a word the
 * UI translates and the CLI prints; the message names files by their
 * generated names only.
 */
export const BACKUP_REFUSALS = [
  /** No run file of this format among the files given. */
  'not-a-backup',
  /** A run file of a newer (or unknown) format version. */
  'unknown-version',
  /** The vault header carried in a run file cannot be read. */
  'header-damaged',
  /** Files of several backup sets were given and none was chosen. */
  'several-sets',
  /** A run file's sealed index does not open or is malformed: altered, truncated, or sealed by another vault. */
  'run-corrupt',
  /** A run file's name does not match what it says inside (renamed, or moved from another set). */
  'run-misnamed',
  /** A run file of another vault sits among this set's files. */
  'foreign-run',
  /** A run between the first and the chosen one is missing. */
  'run-missing',
  /** A run does not follow the one before it (runs swapped, replaced or from an older copy of the set). */
  'chain-broken',
  /** The runs replayed do not give the state the run recorded. */
  'state-mismatch',
  /** A pack a run needs is not there. */
  'pack-missing',
  /** A pack's size or hash is not what its run recorded. */
  'pack-corrupt',
  /** The folder's newest run is older than the last run this vault wrote there: runs removed or rolled back. */
  'set-behind-vault',
  /** The folder holds runs newer than this vault knows of: the vault was put back to an older copy. */
  'vault-behind-set',
  /** The vault changed while the backup read it in a way that cannot be copied consistently: run it again. */
  'vault-changed',
  /** The backup was cancelled: nothing of this run counts. */
  'cancelled',
  /** Opened with the recovery key, a run's recovery tag is wrong: the run was not written by the vault whose
   * recovery key this is (someone sealed a key of their own to its public key). */
  'not-authentic',
] as const;
export type BackupRefusal = (typeof BACKUP_REFUSALS)[number];

export class BackupError extends Error {
  readonly reason: BackupRefusal;

  constructor(reason: BackupRefusal, message: string) {
    super(message);
    this.name = 'BackupError';
    this.reason = reason;
  }
}

export const isBackupError = (value: unknown): value is BackupError => value instanceof BackupError;
