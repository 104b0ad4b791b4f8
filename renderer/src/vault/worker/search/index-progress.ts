import type { SearchIndexProgress } from '../../api';
import { progressRelay, type ProgressRelay } from '../progress-relay';

/**
 * How far one update of the search index has got, for the searches waiting on it. Its unit is the record: each
 * record to take in counts half once it is read and decrypted, and whole once its entries are in the index
 * (inserting into the index takes most of a build: docs/benchmarks.md). The total is the rows the tag check found
 * to read; when the changed rows are known without a check, it is the records to index.
 */
export class IndexProgress {
  private total = 0;
  /** One relay a stage: figures never go back within a stage, and the stages count in different units. */
  private readonly openingRelay: ProgressRelay<SearchIndexProgress>;
  private readonly relay: ProgressRelay<SearchIndexProgress>;

  constructor(send: (progress: SearchIndexProgress) => void) {
    this.openingRelay = progressRelay(send);
    this.relay = progressRelay(send);
  }

  /** While the stored index is opened, the rows read beside it are told only once it is open (one stage at a time). */
  private openingUnderWay = false;
  private heldBack: SearchIndexProgress | null = null;

  /** Bytes of the stored index taken in, of all of them (before any record is put into it). */
  opening(done: number, total: number): void {
    this.openingUnderWay = true;
    this.openingRelay.report({ stage: 'opening', done, total });
  }

  /** The stored index is open (or could not be: it is then built from the records). */
  opened(): void {
    this.openingRelay.flush();
    this.openingUnderWay = false;
    if (this.heldBack) this.relay.report(this.heldBack);
    this.heldBack = null;
  }

  private building(progress: SearchIndexProgress): void {
    if (this.openingUnderWay) this.heldBack = progress;
    else this.relay.report(progress);
  }

  /** Rows of the tag check decrypted so far, of those to decrypt. */
  reading(opened: number, toOpen: number): void {
    this.total = toOpen;
    this.building({ stage: 'building', done: opened / 2, total: toOpen });
  }

  /** Records whose entries are in the index, of those to index (their rows all read by now). */
  indexing(indexed: number, toIndex: number): void {
    if (toIndex === 0) return;
    // Without a tag check the records to index are the whole of the work; with one, a damaged row read in the
    // check gives no record, and a document's pages read again give records it did not count: the indexing half
    // is measured against the records themselves, and scaled to the check's total.
    const total = this.total > 0 ? this.total : toIndex;
    this.total = total;
    this.building({ stage: 'building', done: total / 2 + (total * indexed) / toIndex / 2, total });
  }

  /** Sends the figures held back (an update's end, before the index is used). */
  flush(): void {
    this.openingRelay.flush();
    this.relay.flush();
  }
}
