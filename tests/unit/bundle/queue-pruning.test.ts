import { describe, expect, it } from 'vitest';
import { BUNDLE_QUEUE_LIMIT, type BundleQueueRecordEntry } from '../../../renderer/src/vault/bundle-model';
import { IMPORTED_ENTRIES_KEPT, prunedQueue } from '../../../renderer/src/vault/worker/bundle-service/import-queue';

let next = 0;
function entry(state: BundleQueueRecordEntry['state'], at: number): BundleQueueRecordEntry {
  next += 1;
  return {
    id: next.toString(16).padStart(32, '0'),
    fileName: `file-${next}.evbundle`,
    size: 100,
    addedAt: at,
    state,
    decisions: [],
    error: state === 'refused' ? { code: 'bundle-refused', detail: 'payload-corrupt' } : null,
    bundle: null,
    imported: state === 'imported' ? { at, added: 1, updated: 0, kept: 0, cases: [] } : null,
  };
}

describe('the bundle queue as stored (prunedQueue)', () => {
  it('keeps the newest imported entries only; waiting, ready, failed and refused ones all stay, in order', () => {
    const imported = Array.from({ length: IMPORTED_ENTRIES_KEPT + 7 }, (_, at) => entry('imported', 1000 + at));
    const others = [entry('waiting', 1), entry('ready', 2), entry('failed', 3), entry('refused', 4)];
    // Shuffled in: the queue's order is the order files were added, not the order they were imported.
    const queue = [...imported.slice(30), others[0]!, ...imported.slice(0, 30), ...others.slice(1)];
    const kept = prunedQueue(queue);
    expect(kept.filter((candidate) => candidate.state === 'imported')).toHaveLength(IMPORTED_ENTRIES_KEPT);
    // The 7 imported first are the ones that go.
    expect(kept).toEqual(queue.filter((candidate) => !imported.slice(0, 7).includes(candidate)));
    expect(prunedQueue(others)).toEqual(others);
  });

  it('makes room in a full queue from the oldest imported entries, never from what waits or was refused', () => {
    const imported = Array.from({ length: 3 }, (_, at) => entry('imported', 100 + at));
    const waiting = Array.from({ length: BUNDLE_QUEUE_LIMIT - 3 }, (_, at) => entry('waiting', at));
    const full = [...imported, ...waiting];
    const roomForTwo = prunedQueue(full, 2);
    expect(roomForTwo).toEqual([imported[2], ...waiting]);
    expect(roomForTwo.length + 2).toBe(BUNDLE_QUEUE_LIMIT);
    // Nothing imported to drop: the queue stays full (queueBundleFiles then refuses with queue-full).
    expect(prunedQueue(waiting.concat(entry('refused', 9), entry('refused', 9), entry('refused', 9)), 1)).toHaveLength(
      BUNDLE_QUEUE_LIMIT,
    );
  });
});
