import { useEffect, useState } from 'react';
import type { BackupSetSummary } from '../vault';
import { queryKeys, useVaultQuery } from '../session';

/** The backup sets this vault writes (none until the first backup). */
export function useBackupSets() {
  return useVaultQuery<BackupSetSummary[]>(queryKeys.backupSets, (vault) => vault.listBackupSets());
}

/** When the last backup of any set was made (milliseconds since 1970), or null: never backed up. */
export function lastBackupAt(sets: readonly BackupSetSummary[]): number | null {
  const times = sets.map((set) => Date.parse(set.at)).filter((time) => Number.isFinite(time));
  return times.length === 0 ? null : Math.max(...times);
}

const DAY_MS = 24 * 3600 * 1000;

/** Whether a reminder of `days` (0: never) is due, with the last backup at `last` (null: never backed up). */
export function backupOverdue(last: number | null, days: number, now: number): boolean {
  if (days === 0) return false;
  return last === null || now - last > days * DAY_MS;
}

/** The time now, again every `everyMs`: for "9 days ago" texts that stay right while a view stays open. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
