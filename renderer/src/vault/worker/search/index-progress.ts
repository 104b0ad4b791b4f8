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
  private readonly relay: ProgressRelay<SearchIndexProgress>;

  constructor(send: (progress: SearchIndexProgress) => void) {
    this.relay = progressRelay(send);
  }

  /** Rows of the tag check decrypted so far, of those to decrypt. */
  reading(opened: number, toOpen: number): void {
    this.total = toOpen;
    this.relay.report({ done: opened / 2, total: toOpen });
  }

  /** Records whose entries are in the index, of those to index (their rows all read by now). */
  indexing(indexed: number, toIndex: number): void {
    if (toIndex === 0) return;
    // Without a tag check the records to index are the whole of the work; with one, a damaged row read in the
    // check gives no record, and a document's pages read again give records it did not count: the indexing half
    // is measured against the records themselves, and scaled to the check's total.
    const total = this.total > 0 ? this.total : toIndex;
    this.total = total;
    this.relay.report({ done: total / 2 + (total * indexed) / toIndex / 2, total });
  }

  /** Sends the figures held back (an update's end, before the index is used). */
  flush(): void {
    this.relay.flush();
  }
}
