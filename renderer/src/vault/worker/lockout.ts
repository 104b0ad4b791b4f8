import type { VaultDatabase } from './storage/database';

/**
 * Failed unlocks slow down further attempts through the UI (2 s after the
 * third failure, doubling, at most 5 min). The counter is stored so a
 * restart does not reset it. It slows a person at the keyboard, not an
 * attacker with a copy of the disk: that one faces Argon2id alone.
 */
const FREE_ATTEMPTS = 2;
const MAX_DELAY_MS = 5 * 60 * 1000;

export function backoffDelayMs(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS);
}

export interface FailureRecord {
  count: number;
  lastAt: number;
}

export async function readFailures(db: VaultDatabase): Promise<FailureRecord> {
  const row = await db.meta.get('unlock-failures');
  return row && row.id === 'unlock-failures' ? { count: row.count, lastAt: row.lastAt } : { count: 0, lastAt: 0 };
}

export function retryAfterMs(failures: FailureRecord, now = Date.now()): number {
  return Math.max(0, failures.lastAt + backoffDelayMs(failures.count) - now);
}

export async function recordFailure(db: VaultDatabase): Promise<FailureRecord> {
  const current = await readFailures(db);
  const next = { count: current.count + 1, lastAt: Date.now() };
  await db.meta.put({ id: 'unlock-failures', ...next });
  return next;
}

export async function clearFailures(db: VaultDatabase): Promise<void> {
  await db.meta.delete('unlock-failures');
}
