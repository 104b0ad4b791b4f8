/**
 * Integration set-up shared by tests/integration: the vault service (the
 * worker's API, called in-process) on fake IndexedDB with the cheapest KDF.
 */
import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyProvenance } from '../../renderer/src/vault/model';
import { openJson, sealJson } from '../../renderer/src/vault/worker/crypto/envelope';
import { prepareFastSha256 } from '../../renderer/src/vault/worker/crypto/sha256';
import { unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { blindIndex, expandMasterKey, wipeKeys, type VaultKeys } from '../../renderer/src/vault/worker/crypto/keys';
import { LIST_INDEX_SHARDS } from '../../renderer/src/vault/worker/list-index';
import { LISTED_KINDS } from '../../renderer/src/vault/worker/record-kinds';
import { rowNames } from '../../renderer/src/vault/worker/row-ids';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService, type VaultServiceOptions } from '../../renderer/src/vault/worker/vault-service';

// The worker's fast SHA-256, as the app has it (newSha256 falls back to libsodium's when none is free).
await prepareFastSha256();

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

/**
 * Reads `bundle` as the file of bundle-queue entry `entryId`, to its preview; a refusal is returned, not thrown
 * (the queue records it).
 */
export async function readQueued(vault: VaultWorkerApi, entryId: string, bundle: Uint8Array, step = 70_000) {
  const importId = await vault.beginBundleImport(entryId);
  try {
    for (let offset = 0; offset < bundle.byteLength; offset += step)
      await vault.importBundleChunk(importId, bundle.slice(offset, offset + step));
    return { importId, preview: await vault.finishBundleImport(importId) };
  } catch (error) {
    return { importId, error };
  }
}

/** The keys PASSPHRASE opens in the vault of `db` (wipe them with wipeKeys when done). */
export async function keysOfVault(db: VaultDatabase): Promise<VaultKeys> {
  const row = (await db.meta.get('header')) as { header: VaultHeader };
  return expandMasterKey(await unlockWithPassphrase(row.header, passphraseBytes()));
}

/**
 * Makes the (locked) vault of `db` look as versions before the integrity map
 * left it: no map (the `state` table emptied) and a custody-log head without
 * the mark every head written with a map carries (integrity-map.ts). The next
 * unlock then builds the map from the rows as they are (trust on first use).
 */
export async function asBeforeIntegrityMap(
  db: VaultDatabase,
  /** Leave the case keys as this version wrote them (a forgery of an earlier vault, not one). */
  { caseKeysAsText = true } = {},
): Promise<void> {
  const keys = await keysOfVault(db);
  try {
    await db.state.clear();
    const head = await db.records.get('log-head');
    if (!head) return;
    const address = { table: 'log-head', id: 'log-head' };
    const { count, lastHash } = openJson(keys.custodyLog, address, head.env) as { count: number; lastHash: string };
    await db.records.put({ ...head, env: sealJson(keys.custodyLog, address, 1, { count, lastHash }) });
    // Case keys as those versions stored them: schema 1, the key as base64 (schema 2 is written only with a map).
    const caseKeyKind = blindIndex(keys.blindIndex, rowNames.kind('case-key'));
    if (caseKeysAsText)
      for (const row of await db.records.where('kind').equals(caseKeyKind).toArray()) {
        const caseKeyAddress = { table: 'case-key', id: row.id };
        const { caseId, key } = openJson(keys.records, caseKeyAddress, row.env) as { caseId: string; key: Uint8Array };
        const env = sealJson(keys.records, caseKeyAddress, 1, { caseId, key: sodium.to_base64(key) });
        await db.records.put({ ...row, env });
      }
  } finally {
    wipeKeys(keys);
  }
}

/** The row ids of the vault's list index (list-index/), every kind's shards and summary, whether stored or not. */
export async function listIndexRowIds(db: VaultDatabase): Promise<string[]> {
  const keys = await keysOfVault(db);
  try {
    return LISTED_KINDS.flatMap((kind) => [
      ...Array.from({ length: LIST_INDEX_SHARDS }, (_, shard) =>
        blindIndex(keys.blindIndex, rowNames.listIndex(kind, shard)),
      ),
      blindIndex(keys.blindIndex, rowNames.listSummary(kind)),
    ]);
  } finally {
    wipeKeys(keys);
  }
}
