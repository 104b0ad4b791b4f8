import Dexie from 'dexie';

/** What a plain (unencrypted) app would store: the same records, indexed
 * the same way (by table and owning case), in cleartext. The baselines of
 * the vault benchmarks read and write it. */
export interface PlainRow {
  id: string;
  table: string;
  caseId: string;
  value: unknown;
}

export class PlainDatabase extends Dexie {
  records!: Dexie.Table<PlainRow, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ records: '&id, caseId, [table+caseId]' });
  }
}
