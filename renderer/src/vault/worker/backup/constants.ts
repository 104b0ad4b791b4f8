/** Fixed values of the backup format, version 1 (docs/backup-format.md). */

/** The first 8 bytes of every run file. */
export const RUN_MAGIC = 'EVBACKUP';
export const BACKUP_VERSION = 1;
/** What a run's sealed index names itself. */
export const BACKUP_FORMAT = 'evidence-vault/backup/v1';

/** Bytes before the vault header in a run file: magic 8, version 2, flags 2, set id 16, seq 4, header length 4. */
export const RUN_PREFIX_BYTES = 36;
export const SET_ID_BYTES = 16;
export const NONCE_BYTES = 24;
/** A vault header is about 400 bytes; anything past this is not one. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** The largest run file read whole (an index of a few hundred thousand rows is tens of MiB). */
export const MAX_RUN_FILE_BYTES = 512 * 1024 * 1024;
/** Runs in one set (six digits in the file name). */
export const MAX_SEQ = 999_999;

/** A pack is closed once it holds this much; one row larger than it goes alone. */
export const PACK_TARGET_BYTES = 16 * 1024 * 1024;

/**
 * The vault tables a backup copies, each by a one-letter code in the index:
 * records (r), custody log (l), content blobs (b), content chunks (c),
 * integrity map (s). Rows are copied as stored: ciphertext only.
 */
export const TABLE_CODES = ['r', 'l', 'b', 'c', 's'] as const;
export type TableCode = (typeof TABLE_CODES)[number];
