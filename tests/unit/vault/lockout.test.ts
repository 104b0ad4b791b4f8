/**
 * The unlock back-off against clock changes, with clocks the test moves:
 * within one run only the monotonic clock counts; a failure stored by an
 * earlier run is dated by the wall clock once, and never into the future.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../../renderer/src/vault/worker/crypto/errors';
import {
  backoffHandover,
  checkUnderBackoff,
  continueBackoff,
  readFailures,
  recordFailure,
  retryAfterMs,
  type Clocks,
} from '../../../renderer/src/vault/worker/lockout';
import { VaultDatabase } from '../../../renderer/src/vault/worker/storage/database';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface TestClocks {
  wall: number;
  monotonic: number;
  /** Time passing: both clocks move. */
  pass(ms: number): void;
  /** What the back-off reads. */
  reader: Clocks;
}

/** Clocks the test sets: the wall clock (what the user can change) and this run's monotonic clock. */
function testClocks(wall = Date.UTC(2025, 6, 17, 8), monotonic = 1_000): TestClocks {
  const clocks: TestClocks = {
    wall,
    monotonic,
    pass(ms) {
      clocks.wall += ms;
      clocks.monotonic += ms;
    },
    reader: { wall: () => clocks.wall, monotonic: () => clocks.monotonic },
  };
  return clocks;
}

let databases = 0;
/** A database and a name to reopen it by: a new VaultDatabase object is what a restarted app sees. */
function newDatabase(): { db: VaultDatabase; reopen: () => VaultDatabase } {
  const name = `lockout-test-${++databases}`;
  return { db: new VaultDatabase(name), reopen: () => new VaultDatabase(name) };
}

async function failTimes(db: VaultDatabase, clocks: Clocks, times: number): Promise<void> {
  for (let time = 0; time < times; time++) await recordFailure(db, clocks);
}

const wait = async (db: VaultDatabase, clocks: Clocks) => retryAfterMs(await readFailures(db, clocks), clocks);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof VaultError ? error.code : String(error);
  }
  return 'no error';
}

const wrongSecret = () => {
  throw new VaultError('wrong-secret', 'Wrong passphrase.');
};

describe('unlock back-off and the clock', () => {
  it('counts down on the monotonic clock', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 4);
    expect(await wait(db, clocks.reader)).toBe(4000);
    clocks.pass(1500);
    expect(await wait(db, clocks.reader)).toBe(2500);
    clocks.pass(2500);
    expect(await wait(db, clocks.reader)).toBe(0);
  });

  it('is not skipped by setting the clock forward in the same run', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 4);
    clocks.wall += DAY;
    expect(await wait(db, clocks.reader)).toBe(4000);
    clocks.monotonic += 1000;
    expect(await wait(db, clocks.reader)).toBe(3000);
  });

  it('is not stretched by setting the clock back in the same run', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 4);
    clocks.wall -= DAY;
    expect(await wait(db, clocks.reader)).toBe(4000);
    clocks.pass(4000);
    expect(await wait(db, clocks.reader)).toBe(0);
  });

  it('treats a failure stored in the future (the clock set back before a restart) as now: one normal wait', async () => {
    const { db, reopen } = newDatabase();
    const before = testClocks();
    await failTimes(db, before.reader, 11);
    // The app restarts with the clock a year behind: a new run, a new monotonic clock.
    const after = testClocks(before.wall - 365 * DAY, 50);
    const restarted = reopen();
    expect(await wait(restarted, after.reader)).toBe(5 * MINUTE);
    after.pass(5 * MINUTE);
    expect(await wait(restarted, after.reader)).toBe(0);
  });

  it('counts the wall-clock time between runs (a restart with the clock set forward can shorten a wait)', async () => {
    const { db, reopen } = newDatabase();
    const before = testClocks();
    await failTimes(db, before.reader, 11);
    const after = testClocks(before.wall + MINUTE, 50);
    expect(await wait(reopen(), after.reader)).toBe(4 * MINUTE);
    // Once dated, the wait runs on this run's monotonic clock only.
    const restarted = reopen();
    expect(await wait(restarted, after.reader)).toBe(4 * MINUTE);
    after.wall += DAY;
    expect(await wait(restarted, after.reader)).toBe(4 * MINUTE);
  });

  it('dates a new failure from the moment it happens, whatever the clock did before', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 3);
    clocks.wall -= DAY;
    clocks.monotonic += 2000;
    await recordFailure(db, clocks.reader);
    expect(await wait(db, clocks.reader)).toBe(4000);
  });
});

describe('the wait handed from one vault worker to the next (a lock starts a new worker)', () => {
  it('goes on from what the old worker left, whatever the system clock says, never beyond one back-off', async () => {
    const { db, reopen } = newDatabase();
    const old = testClocks();
    await failTimes(db, old.reader, 4);
    old.pass(1000);
    const handover = await backoffHandover(db, old.reader);
    expect(handover).toMatchObject({ count: 4, remainingMs: 3000 });

    // The new worker: its own database connection and a monotonic clock from zero; the system clock a day on.
    const fresh = testClocks(old.wall + DAY, 0);
    const next = reopen();
    continueBackoff(next, handover, fresh.reader);
    expect(await wait(next, fresh.reader)).toBe(3000);
    // More than one back-off is not taken.
    const other = reopen();
    continueBackoff(other, { ...handover, remainingMs: DAY }, fresh.reader);
    expect(await wait(other, fresh.reader)).toBe(4000);
    fresh.pass(3000);
    expect(await wait(next, fresh.reader)).toBe(0);
  });

  it('is ignored for another stored row, for a malformed one, and once the worker timed the wait itself', async () => {
    const { db, reopen } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 4);
    const handover = await backoffHandover(db, clocks.reader);
    // Another failure counted meanwhile (another window): dated anew.
    await recordFailure(db, clocks.reader);
    const stale = reopen();
    continueBackoff(stale, { ...handover, remainingMs: 0 }, clocks.reader);
    expect(await wait(stale, clocks.reader)).toBe(8000);
    for (const bad of [null, {}, { count: -1, waitUntil: null, remainingMs: 0 }, { count: 5, waitUntil: 'x' }]) {
      const other = reopen();
      continueBackoff(other, bad, clocks.reader);
      expect(await wait(other, clocks.reader)).toBe(8000);
    }
    // A worker that already times the wait keeps its own count-down.
    const current = await backoffHandover(db, clocks.reader);
    continueBackoff(db, { ...current, remainingMs: 0 }, clocks.reader);
    expect(await wait(db, clocks.reader)).toBe(8000);
  });
});

describe('what the back-off stores (plaintext: docs/threat-model.md, "What someone with the disk sees")', () => {
  const row = (db: VaultDatabase) => db.meta.get('unlock-failures');

  it('stores no time while there is no wait, and only the end of a wait, rounded up to the minute', async () => {
    const { db } = newDatabase();
    const clocks = testClocks(Date.UTC(2025, 6, 17, 8, 13, 47, 123));
    await failTimes(db, clocks.reader, 2);
    expect(await row(db)).toEqual({ id: 'unlock-failures', count: 2 });
    await recordFailure(db, clocks.reader);
    // The wait (2 s) ends at 08:13:49.123: stored as 08:14, never the failure's own time.
    expect(await row(db)).toEqual({ id: 'unlock-failures', count: 3, waitUntil: Date.UTC(2025, 6, 17, 8, 14) });
    expect(await wait(db, clocks.reader)).toBe(2000);
  });

  it('drops the time once the wait is over, keeping the count', async () => {
    const { db, reopen } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 4);
    clocks.pass(4000);
    expect(await wait(db, clocks.reader)).toBe(0);
    expect(await row(db)).toEqual({ id: 'unlock-failures', count: 4 });
    // A restart later finds no wait, and the next failure waits as the count says.
    const restarted = reopen();
    expect(await wait(restarted, clocks.reader)).toBe(0);
    await recordFailure(restarted, clocks.reader);
    expect(await wait(restarted, clocks.reader)).toBe(8000);
  });

  it('reads a row an earlier version wrote (the last failure’s time) as the wait it implies, then drops it', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await db.meta.put({ id: 'unlock-failures', count: 11, lastAt: clocks.wall - MINUTE });
    expect(await wait(db, clocks.reader)).toBe(4 * MINUTE);
    clocks.pass(4 * MINUTE);
    expect(await wait(db, clocks.reader)).toBe(0);
    expect(await row(db)).toEqual({ id: 'unlock-failures', count: 11 });
  });
});

describe('a passphrase typed again in an unlocked vault', () => {
  it('counts wrong passphrases, refuses while the wait runs without checking, and clears on success', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    let checks = 0;
    const counted = (check: () => string) => () => {
      checks += 1;
      return check();
    };
    expect(await codeOf(checkUnderBackoff(db, counted(wrongSecret), clocks.reader))).toBe('wrong-secret');
    expect(await codeOf(checkUnderBackoff(db, counted(wrongSecret), clocks.reader))).toBe('wrong-secret');
    const third = checkUnderBackoff(db, counted(wrongSecret), clocks.reader);
    await expect(third).rejects.toMatchObject({ code: 'wrong-secret', detail: '2000' });
    expect((await readFailures(db, clocks.reader)).count).toBe(3);

    // The right passphrase is not even checked while the wait runs, nor after the clock is set forward.
    clocks.wall += DAY;
    await expect(
      checkUnderBackoff(
        db,
        counted(() => 'key'),
        clocks.reader,
      ),
    ).rejects.toMatchObject({
      code: 'backoff',
      detail: '2000',
    });
    expect(checks).toBe(3);

    clocks.monotonic += 2000;
    expect(
      await checkUnderBackoff(
        db,
        counted(() => 'key'),
        clocks.reader,
      ),
    ).toBe('key');
    expect((await readFailures(db, clocks.reader)).count).toBe(0);
  });

  it('runs checks one at a time, so two at once cannot both slip under the count', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    await failTimes(db, clocks.reader, 2);
    const codes = await Promise.all([
      codeOf(checkUnderBackoff(db, wrongSecret, clocks.reader)),
      codeOf(checkUnderBackoff(db, wrongSecret, clocks.reader)),
    ]);
    expect(codes).toEqual(['wrong-secret', 'backoff']);
  });

  it('passes other errors through without counting them', async () => {
    const { db } = newDatabase();
    const clocks = testClocks();
    const damaged = () => {
      throw new VaultError('header-altered', 'The header was altered.');
    };
    expect(await codeOf(checkUnderBackoff(db, damaged, clocks.reader))).toBe('header-altered');
    expect((await readFailures(db, clocks.reader)).count).toBe(0);
  });
});
