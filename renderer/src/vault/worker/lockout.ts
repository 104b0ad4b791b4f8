import type { BackoffHandover } from '../api';
import { VaultError } from './crypto/errors';
import type { VaultDatabase } from './storage/database';

/**
 * Wrong passphrases slow down further attempts through the UI (2 s after the
 * third failure, doubling, at most 5 min): at unlock, and when the passphrase
 * is typed again in an unlocked vault (change passphrase, new recovery key,
 * identity key file), with one counter for all of them. The counter is
 * stored so a restart does not reset it. It slows a person at the keyboard,
 * not an attacker with a copy of the disk: that one faces Argon2id alone.
 *
 * The wait is measured so the system clock cannot stretch or skip it:
 * - in this worker's lifetime, only the monotonic clock counts (from the
 *   failure, or from when this worker first saw it): moving the clock
 *   forward skips nothing, moving it back adds nothing;
 * - the vault worker ends at every lock and a new one starts (its monotonic
 *   clock from zero): the old worker hands what is left of the wait to the
 *   new one through the page, which outlives both (backoffHandover →
 *   VaultRunner → continueBackoff), so a lock neither skips the wait (clock
 *   set forward meanwhile) nor stretches it (the stored end is rounded up to
 *   the minute);
 * - a wait stored by an earlier run of the app is dated by the wall clock
 *   once, when first read: what is left of it is never more than the
 *   back-off itself (a clock set back cannot lock the user out). What
 *   remains: quitting the app and starting it again with the clock set
 *   forward can shorten a wait (docs/threat-model.md).
 *
 * What is stored, in plaintext since it is read before any key exists
 * (`unlock-failures` in docs/threat-model.md, "What someone with the disk
 * sees"): the count, and only while a wait runs, the wall-clock time that
 * wait ends, rounded up to the whole minute. No failure's own time: a
 * restart needs only to know how much of the wait is left, and a wait is at
 * most 5 minutes, so the stored time says no more than "a wrong passphrase
 * was typed in the minutes before". Rounding up never lengthens a wait past
 * one back-off (what is left is capped by it) and costs at most a minute
 * more across a restart. Once the wait is over the time is dropped (the
 * next read rewrites the row without it), so a vault left after a few wrong
 * passphrases shows a count and no time. Rows written before this (the time
 * of the last failure, `lastAt`) are read as the wait they imply.
 */
const FREE_ATTEMPTS = 2;
const MAX_DELAY_MS = 5 * 60 * 1000;
/** The stored end of a wait is rounded up to this (see above). */
export const WAIT_END_GRANULARITY_MS = 60 * 1000;

export function backoffDelayMs(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS);
}

/** Where the back-off reads time; tests put their own clocks here. */
export interface Clocks {
  /** Wall-clock time (ms since the epoch): what is stored, and read once per failure per run. */
  wall(): number;
  /** Monotonic time (ms) of this run: the system clock cannot move it. */
  monotonic(): number;
}

export const systemClocks: Clocks = {
  wall: () => Date.now(),
  monotonic: () => performance.now(),
};

export interface FailureRecord {
  count: number;
  /** The stored end of the wait (wall clock, whole minutes), or undefined when none is stored. */
  waitUntil: number | undefined;
  /** What was left of the wait (`remainingMs`) at monotonic time `at` of this run. */
  seen: { remainingMs: number; at: number };
}

/** What this run knows of the stored failure: per database, since tests open several. */
const seenInThisRun = new WeakMap<VaultDatabase, FailureRecord>();

/** Checks of a passphrase in an unlocked vault run one at a time, so the counter cannot be raced. */
const queues = new WeakMap<VaultDatabase, Promise<unknown>>();

/** What the previous worker left of the wait (continueBackoff), used at the first sight of the same stored row. */
const handedOver = new WeakMap<VaultDatabase, FailureRecord>();

const NO_FAILURES: FailureRecord = { count: 0, waitUntil: undefined, seen: { remainingMs: 0, at: 0 } };

function storedWaitEnd(wallNow: number, count: number): number | undefined {
  const delay = backoffDelayMs(count);
  if (delay === 0) return undefined;
  return Math.ceil((wallNow + delay) / WAIT_END_GRANULARITY_MS) * WAIT_END_GRANULARITY_MS;
}

/** The row's wait end: stored as such, or (a row of an earlier version) the last failure's time plus the back-off. */
function waitEndOf(row: { count: number; waitUntil?: number; lastAt?: number }): number | undefined {
  if (typeof row.waitUntil === 'number') return row.waitUntil;
  if (typeof row.lastAt === 'number' && backoffDelayMs(row.count) > 0) return row.lastAt + backoffDelayMs(row.count);
  return undefined;
}

export async function readFailures(db: VaultDatabase, clocks: Clocks = systemClocks): Promise<FailureRecord> {
  const row = await db.meta.get('unlock-failures');
  if (!row || row.id !== 'unlock-failures') {
    seenInThisRun.delete(db);
    handedOver.delete(db);
    return NO_FAILURES;
  }
  const waitUntil = waitEndOf(row);
  let record = seenInThisRun.get(db);
  if (!record || record.count !== row.count || record.waitUntil !== waitUntil) {
    const given = handedOver.get(db);
    handedOver.delete(db);
    if (given && given.count === row.count && given.waitUntil === waitUntil) {
      // The worker before this one timed this very wait: it goes on from what that one left, on this clock.
      record = given;
    } else {
      // First sight in this run: the wall clock is all there is. What is left is never more than one back-off
      // (a wait end in the future beyond that means the clock was set back).
      const remainingMs =
        waitUntil === undefined ? 0 : Math.min(Math.max(0, waitUntil - clocks.wall()), backoffDelayMs(row.count));
      record = { count: row.count, waitUntil, seen: { remainingMs, at: clocks.monotonic() } };
    }
    seenInThisRun.set(db, record);
  }
  if (record.waitUntil !== undefined && retryAfterMs(record, clocks) === 0) record = await dropWaitEnd(db, record);
  return record;
}

/** The wait is over: the row keeps the count and loses the time (unless another failure landed meanwhile). */
async function dropWaitEnd(db: VaultDatabase, record: FailureRecord): Promise<FailureRecord> {
  const dropped = { ...record, waitUntil: undefined };
  try {
    const rewritten = await db.transaction('rw', db.meta, async () => {
      const row = await db.meta.get('unlock-failures');
      if (!row || row.id !== 'unlock-failures' || row.count !== record.count || waitEndOf(row) !== record.waitUntil)
        return false;
      await db.meta.put({ id: 'unlock-failures', count: record.count });
      return true;
    });
    if (!rewritten) return record;
  } catch {
    return record; // the time stays until the next read: only a little more is seen on disk
  }
  if (seenInThisRun.get(db) === record) seenInThisRun.set(db, dropped);
  return dropped;
}

export function retryAfterMs(failures: FailureRecord, clocks: Clocks = systemClocks): number {
  if (backoffDelayMs(failures.count) === 0) return 0;
  const remaining = failures.seen.remainingMs - Math.max(0, clocks.monotonic() - failures.seen.at);
  return Math.max(0, Math.ceil(remaining));
}

export async function recordFailure(db: VaultDatabase, clocks: Clocks = systemClocks): Promise<FailureRecord> {
  const current = await readFailures(db, clocks);
  const count = current.count + 1;
  const waitUntil = storedWaitEnd(clocks.wall(), count);
  const record = { count, waitUntil, seen: { remainingMs: backoffDelayMs(count), at: clocks.monotonic() } };
  await db.meta.put(
    waitUntil === undefined ? { id: 'unlock-failures', count } : { id: 'unlock-failures', count, waitUntil },
  );
  seenInThisRun.set(db, record);
  return record;
}

/**
 * What this worker knows of the wait, for the worker that replaces it at a
 * lock: read after any passphrase check under way has counted.
 */
export async function backoffHandover(db: VaultDatabase, clocks: Clocks = systemClocks): Promise<BackoffHandover> {
  await queues.get(db);
  const record = await readFailures(db, clocks);
  return { count: record.count, waitUntil: record.waitUntil ?? null, remainingMs: retryAfterMs(record, clocks) };
}

/**
 * Takes over what the previous worker left of the wait, timed from now on
 * this worker's monotonic clock. It applies only to the stored row it
 * describes (same count and wait end): a failure counted since is dated
 * anew. Never more than one back-off; nothing that is not a handover; and
 * not once this worker has timed the wait itself (it is meant as the first
 * call to a new worker, and cannot then shorten what this one knows).
 */
export function continueBackoff(db: VaultDatabase, handover: unknown, clocks: Clocks = systemClocks): void {
  const given = handover as Partial<BackoffHandover> | null;
  const whole = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
  if (
    seenInThisRun.has(db) ||
    !given ||
    !whole(given.count) ||
    !(given.waitUntil === null || whole(given.waitUntil)) ||
    typeof given.remainingMs !== 'number' ||
    !Number.isFinite(given.remainingMs)
  )
    return;
  const remainingMs = Math.min(Math.max(0, given.remainingMs), backoffDelayMs(given.count));
  handedOver.set(db, {
    count: given.count,
    waitUntil: given.waitUntil ?? undefined,
    seen: { remainingMs, at: clocks.monotonic() },
  });
}

export async function clearFailures(db: VaultDatabase): Promise<void> {
  await db.meta.delete('unlock-failures');
  seenInThisRun.delete(db);
}

/**
 * Checks a passphrase typed again in an unlocked vault under the same
 * back-off and counter as unlock: refused with `backoff` while a wait runs
 * (`check` is not called); a `wrong-secret` from `check` counts as a failure
 * and carries the new wait; success clears the counter.
 */
export function checkUnderBackoff<T>(
  db: VaultDatabase,
  check: () => T,
  clocks: Clocks = systemClocks,
): Promise<Awaited<T>> {
  const run = async (): Promise<Awaited<T>> => {
    const wait = retryAfterMs(await readFailures(db, clocks), clocks);
    if (wait > 0) throw new VaultError('backoff', 'Too many wrong attempts. Wait before trying again.', String(wait));
    let result: Awaited<T>;
    try {
      result = await check();
    } catch (error) {
      if (error instanceof VaultError && error.code === 'wrong-secret') {
        const next = await recordFailure(db, clocks);
        throw new VaultError('wrong-secret', error.message, String(retryAfterMs(next, clocks)));
      }
      throw error;
    }
    // The passphrase was right. A counter that fails to clear only means a wait later; throwing here would
    // leave the caller's key (the result) unwiped.
    await clearFailures(db).catch(() => undefined);
    return result;
  };
  const next = (queues.get(db) ?? Promise.resolve()).then(run);
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}
