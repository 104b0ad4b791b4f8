/**
 * Integration set-up shared by tests/integration: the vault service (the
 * worker's API, called in-process) on fake IndexedDB with the cheapest KDF.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyProvenance } from '../../renderer/src/vault/model';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService, type VaultServiceOptions } from '../../renderer/src/vault/worker/vault-service';

export const PASSPHRASE = 'orchid lantern 47 granite meadow';
/** The KDF floor: fast enough for tests, still Argon2id. */
export const FAST_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };
export const bytes = (text: string) => new TextEncoder().encode(text);
/** PASSPHRASE as new bytes each time (the vault wipes the passphrase bytes it is given). */
export const passphraseBytes = () => bytes(PASSPHRASE);
/** A file of tests/fixtures, as bytes. */
export const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures', name)));

let counter = 0;
/** A database name not used before in this test file: `${prefix}-1`, `${prefix}-2`, … */
export function freshName(prefix: string): string {
  return `${prefix}-${++counter}`;
}

/**
 * A vault service on the database named `database` (a new, empty one unless a
 * test used that name before), or on an open one (a restarted worker).
 */
export function vaultService(
  database: string | VaultDatabase,
  options: Omit<VaultServiceOptions, 'kdf' | 'health'> = {},
): { db: VaultDatabase; vault: VaultWorkerApi } {
  const db = typeof database === 'string' ? new VaultDatabase(database) : database;
  return { db, vault: createVaultService(db, { kdf: FAST_KDF, health: runSelfTest, ...options }) };
}

/** A vault created with PASSPHRASE on a fresh database; its identity named `identityName` when one is given. */
export async function newVault(
  prefix: string,
  identityName?: string,
): Promise<{ db: VaultDatabase; vault: VaultWorkerApi }> {
  const { db, vault } = vaultService(freshName(prefix));
  await vault.createVault(passphraseBytes());
  if (identityName !== undefined) await vault.renameIdentity(identityName);
  return { db, vault };
}

/** Feeds `content` to the vault in pieces of `piece` bytes, as the UI does, and finishes the intake. */
export async function attach(
  vault: VaultWorkerApi,
  caseId: string,
  name: string,
  content: Uint8Array,
  { obtainedFrom = emptyProvenance().obtainedFrom, piece = 100_000 }: { obtainedFrom?: string; piece?: number } = {},
) {
  const intakeId = await vault.beginIntake(caseId, name, content.byteLength);
  for (let offset = 0; offset < content.byteLength; offset += piece)
    await vault.intakeChunk(intakeId, content.slice(offset, offset + piece));
  return vault.finishIntake(intakeId, { ...emptyProvenance(), obtainedFrom });
}

/** The VaultError code a call fails with ('no error' when it does not fail). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

/** A whole bundle exported by `vault`, in memory. */
export async function exportAll(
  vault: VaultWorkerApi,
  request: Parameters<VaultWorkerApi['beginBundleExport']>[0],
): Promise<Uint8Array> {
  const { exportId } = await vault.beginBundleExport(request);
  const parts: Uint8Array[] = [];
  for (let piece = await vault.readBundleExport(exportId); piece; piece = await vault.readBundleExport(exportId))
    parts.push(piece);
  await vault.finishBundleExport(exportId);
  return new Uint8Array(Buffer.concat(parts));
}

/** Reads `bundle` into `vault` in pieces of `step` bytes, to its preview (nothing is written yet). */
export async function importAll(vault: VaultWorkerApi, bundle: Uint8Array, step = 70_000) {
  const importId = await vault.beginBundleImport();
  for (let offset = 0; offset < bundle.byteLength; offset += step)
    await vault.importBundleChunk(importId, bundle.slice(offset, offset + step));
  return { importId, preview: await vault.finishBundleImport(importId) };
}
