/**
 * Work under way that a background task gives way to: the search service
 * tracks each search while it finds its hits and reads their records, and
 * the background read of a restored catalogue waits, before each batch,
 * until none is under way. A batch read meanwhile would hold a search up
 * behind its reads and decoding.
 */
export class GiveWay {
  private readonly underWay = new Set<Promise<unknown>>();

  /** `maxWaitMs`: the longest `clear` waits, so that work started on and on never holds the task back for good. */
  constructor(private readonly maxWaitMs: number) {}

  /** `work`, counted as under way until it settles. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.underWay.add(work);
    try {
      return await work;
    } finally {
      this.underWay.delete(work);
    }
  }

  /** Resolves once nothing tracked is under way, or after `maxWaitMs` at most. */
  async clear(): Promise<void> {
    const deadline = performance.now() + this.maxWaitMs;
    while (this.underWay.size > 0 && performance.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, deadline - performance.now())));
      await Promise.race([Promise.allSettled([...this.underWay]), late]);
      clearTimeout(timer);
    }
  }
}
