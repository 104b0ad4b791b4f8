import Dexie, { type Table } from 'dexie';

/**
 * The only schema of what reaches IndexedDB. Every row is a random id, a
 * keyed hash or two (blind indexes), and a ciphertext envelope — except the
 * `meta` rows, which hold what must be read before a key exists (the vault
 * header and the failed-unlock counter) and contain nothing personal.
 *
 * Store and index names are neutral on purpose: they sit in plaintext in
 * LevelDB.
 */
export const DATABASE_NAME = 'evidence-vault';

/** An encrypted record of any logical table. */
export interface RecordRow {
  /** Random 128-bit id (hex). */
  id: string;
  /** Blind index of the logical table name. */
  kind: string;
  /** Blind index of the owning case id, or '' for vault-wide records. */
  owner: string;
  env: Uint8Array;
}

/** One custody-log entry, encrypted. */
export interface LogRow {
  id: string;
  env: Uint8Array;
}

/** Encrypted content, stored once however many documents point at it. */
export interface BlobRow {
  /** Random 128-bit id (hex). */
  id: string;
  /** Keyed hash of the content's SHA-256 (dedupe), or '' while an intake is under way. */
  tag: string;
  env: Uint8Array;
}

/**
 * One sealed part of the integrity map (integrity-map.ts): id 0 is its root,
 * ids 1–256 its buckets. Sealed with the records key; numbers, so the ids
 * say nothing.
 */
export interface StateRow {
  id: number;
  env: Uint8Array;
}

/** One fixed-size encrypted chunk of a blob: id is `${blobId}.${index}`. */
export interface ChunkRow {
  id: string;
  env: Uint8Array;
}

export type MetaRow =
  | { id: 'header'; header: unknown }
  /** Wrong passphrases typed so far, and while a wait runs, when it ends (whole minutes): lockout.ts.
   * `lastAt` (the last failure's time) is what earlier versions stored; it is read, never written. */
  | { id: 'unlock-failures'; count: number; waitUntil?: number; lastAt?: number }
  /** A random value replaced by every commit that changes records: derived data stored with the value it
   * saw (the search snapshot) knows at once whether anything changed since. Reveals only that a change
   * happened, which the database files show anyway. */
  | { id: 'records-generation'; value: string }
  /** A re-key under way (rekey/journal.ts): sealed with the records key of the master key the header opens.
   * Its presence says a passphrase change was cut short; nothing more. */
  | { id: 'rekey'; env: Uint8Array };

export class VaultDatabase extends Dexie {
  meta!: Table<MetaRow, string>;
  records!: Table<RecordRow, string>;
  log!: Table<LogRow, string>;
  blobs!: Table<BlobRow, string>;
  chunks!: Table<ChunkRow, string>;
  state!: Table<StateRow, number>;

  constructor(name = DATABASE_NAME) {
    super(name);
    // Every version ever shipped stays declared: Dexie upgrades from any of them.
    this.version(1).stores({
      meta: '&id',
      records: '&id, owner, [kind+owner]',
      log: '&id',
    });
    // 2: source documents (content blobs and their chunks).
    this.version(2).stores({
      blobs: '&id, tag',
      chunks: '&id',
    });
    // 3: the integrity map (which sealing of each record is current), apart from the records it covers.
    this.version(3).stores({
      state: '&id',
    });
  }
}
