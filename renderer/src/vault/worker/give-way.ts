/**
 * Work under way that a background task gives way to. The search service
 * tracks each search while it finds its hits and reads their records, and
 * the background read of a restored catalogue waits, before each batch,
 * until none has been under way for a moment: a batch read meanwhile would
 * hold a search up behind its reads and decoding, and the next search of
 * someone typing comes a moment after the last, not at once. The vault
 * service tracks every call from the page (`countedIn`), and the integrity
 * map's warm-up after unlock waits until none is under way.
 */
export class GiveWay {
  private readonly underWay = new Set<Promise<unknown>>();
  private lastSettled = Number.NEGATIVE_INFINITY;
  /** Settled by `wake`: every `clear` waiting then looks again at whether it still should. */
  private woken!: Promise<void>;
  private wakeWaiting!: () => void;

  /**
   * `quietMs`: how long nothing must have been under way; `maxWaitMs`: the
   * longest `clear` waits, so that work started on and on never holds the
   * task back for good.
   */
  constructor(
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {
    this.resetWake();
  }

  private resetWake(): void {
    this.woken = new Promise<void>((resolve) => (this.wakeWaiting = resolve));
  }

  /** Every `clear` waiting now asks its `stillWaiting` again (someone now waits for the task, or it is to stop). */
  wake(): void {
    this.wakeWaiting();
    this.resetWake();
  }

  /** `work`, counted as under way until it settles. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.underWay.add(work);
    try {
      return await work;
    } finally {
      this.underWay.delete(work);
      this.lastSettled = performance.now();
    }
  }

  /**
   * Resolves once nothing tracked has been under way for `quietMs`, after
   * `maxWaitMs` at most, or as soon as `stillWaiting` says no (asked at
   * each `wake`).
   */
  async clear(stillWaiting: () => boolean = () => true): Promise<void> {
    const deadline = performance.now() + this.maxWaitMs;
    for (;;) {
      const now = performance.now();
      const quietAt = this.underWay.size > 0 ? Number.POSITIVE_INFINITY : this.lastSettled + this.quietMs;
      if (now >= deadline || now >= quietAt || !stillWaiting()) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, Math.min(deadline, quietAt) - now)));
      const settled = this.underWay.size > 0 ? Promise.allSettled([...this.underWay]) : late;
      await Promise.race([settled, late, this.woken]);
      clearTimeout(timer);
    }
  }
}

/** `api` with every call of its methods tracked in `calls` until it settles. */
export function countedIn<T extends object>(calls: GiveWay, api: T): T {
  const counted: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(api)) {
    if (typeof member !== 'function') {
      counted[name] = member;
      continue;
    }
    const method = member as (...args: unknown[]) => unknown;
    counted[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method(...args);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return calls.track(Promise.resolve(result));
    };
  }
  return counted as T;
}
