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

export type MetaRow = { id: 'header'; header: unknown } | { id: 'unlock-failures'; count: number; lastAt: number };

export class VaultDatabase extends Dexie {
  meta!: Table<MetaRow, string>;
  records!: Table<RecordRow, string>;
  log!: Table<LogRow, string>;

  constructor(name = DATABASE_NAME) {
    super(name);
    this.version(1).stores({
      meta: '&id',
      records: '&id, owner, [kind+owner]',
      log: '&id',
    });
  }
}
