import { VaultError } from './crypto/errors';

/**
 * Record schema migrations. Records carry their schema version inside the
 * authenticated envelope; a record older than the current version is
 * upgraded in memory when read (and rewritten at its next save). A record
 * newer than this app knows is refused rather than misread.
 *
 * `steps[n]` upgrades a value from version n + 1 to n + 2.
 */
export type Migration = (value: unknown) => unknown;
export type MigrationTable = Readonly<Record<string, { current: number; steps: readonly Migration[] }>>;

export function upgradeRecord(
  migrations: MigrationTable,
  table: string,
  storedVersion: number,
  value: unknown,
  where: string,
): unknown {
  const plan = migrations[table];
  if (!plan) throw new VaultError('unknown-format-version', 'A stored record belongs to an unknown table.', where);
  if (storedVersion > plan.current || storedVersion < 1)
    throw new VaultError(
      'unknown-format-version',
      'A stored record was written by a newer version of the app.',
      `${where} (schema ${storedVersion})`,
    );
  let upgraded = value;
  for (let version = storedVersion; version < plan.current; version++) {
    const step = plan.steps[version - 1];
    if (!step) throw new VaultError('unknown-format-version', 'No upgrade path for a stored record.', where);
    upgraded = step(upgraded);
  }
  return upgraded;
}
