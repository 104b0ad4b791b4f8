import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { openBlobRow } from '../../renderer/src/vault/worker/blob-store';
import { openJson, sealJson } from '../../renderer/src/vault/worker/crypto/envelope';
import { unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { blindIndex, expandMasterKey, randomId, type VaultKeys } from '../../renderer/src/vault/worker/crypto/keys';
import { nextEntry, type CustodyEntry, type LogHead } from '../../renderer/src/vault/worker/custody-log';
import { custodySegment } from '../../renderer/src/vault/worker/bundle';
import { RECORD_KINDS } from '../../renderer/src/vault/worker/record-kinds';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import {
  asBeforeIntegrityMap,
  attach as attachDocument,
  bytes,
  exportAll,
  fixture,
  importAll,
  newVault as newVaultIn,
  PASSPHRASE,
} from '../support/vault-service';

/**
 * Issue 15 §4: after a case is deleted, someone with the passphrase learns
 * nothing specific to it: not through the API, not by opening every row the
 * vault's keys open (records key, custody-log key, every case key left).
 */

const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');
const OTHER = bytes('Zqkept document: nothing to do with the deleted case.\n');

/** A vault whose identity is called `name`. */
const newVault = (name = 'Zqowner') => newVaultIn('deleted-case', name);

/** Every document here comes from the same (marked) source. */
const attach = (vault: VaultWorkerApi, caseId: string, name: string, content: Uint8Array) =>
  attachDocument(vault, caseId, name, content, { obtainedFrom: 'Zqsource clerk' });

/** The vault's keys, as anyone with the passphrase gets them. */
async function keysOf(db: VaultDatabase): Promise<VaultKeys> {
  const row = (await db.meta.get('header')) as { header: VaultHeader };
  return expandMasterKey(await unlockWithPassphrase(row.header, bytes(PASSPHRASE)));
}

/**
 * Everything the passphrase opens, as text: every record row under the
 * records key or any case key still stored (every table name tried), every
 * custody-log row, every sealed detail in it, every blob row; plus the raw
 * rows themselves.
 */
async function everythingReadable(db: VaultDatabase): Promise<string> {
  const keys = await keysOf(db);
  const tables = Object.keys(RECORD_KINDS);
  const opened: unknown[] = [];
  const tryOpen = (key: Uint8Array, table: string, id: string, env: Uint8Array) => {
    try {
      return openJson(key, { table, id }, env);
    } catch {
      return undefined;
    }
  };
  const records = await db.records.toArray();
  const caseKeys: Uint8Array[] = [];
  for (const row of records)
    for (const table of tables) {
      const value = tryOpen(keys.records, table, row.id, row.env) ?? tryOpen(keys.custodyLog, table, row.id, row.env);
      if (value === undefined) continue;
      opened.push(value);
      if (table === 'case-key') caseKeys.push((value as { key: Uint8Array }).key);
    }
  for (const row of records)
    for (const key of caseKeys)
      for (const table of tables) {
        const value = tryOpen(key, table, row.id, row.env);
        if (value !== undefined) opened.push(value);
      }
  for (const row of await db.log.toArray()) {
    const entry = tryOpen(keys.custodyLog, 'log-entry', row.id, row.env) as
      { seq: number; detail?: string } | undefined;
    expect(entry).toBeDefined();
    opened.push(entry);
    if (entry?.detail)
      for (const key of caseKeys) {
        const detail = tryOpen(key, 'log-entry', `detail:${entry.seq}`, sodium.from_base64(entry.detail));
        if (detail !== undefined) opened.push(detail);
      }
  }
  for (const row of await db.blobs.toArray())
    try {
      opened.push(openBlobRow(keys.records, row));
    } catch {
      // pending rows and the search snapshot's: nothing of a case's history
    }
  const raw = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify([opened, raw], (_key, value: unknown) =>
    value instanceof Uint8Array ? sodium.to_hex(value) : value,
  );
}

/** Every API that reports history or provenance, as one text. */
async function everythingTheApiSays(vault: VaultWorkerApi, caseId: string, itemIds: string[]): Promise<string> {
  return JSON.stringify([
    await vault.caseHistory(caseId),
    await vault.verifyLog(),
    await vault.listReceivedBundles(),
    await Promise.all(itemIds.map((itemId) => vault.itemOrigin(itemId))),
    await vault.overview(),
    await vault.listCases(),
  ]);
}

function expectNoneOf(text: string, secrets: Record<string, string>) {
  const found = Object.entries(secrets)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
  expect(found).toEqual([]);
}

function expectAllOf(text: string, secrets: Record<string, string>) {
  const missing = Object.entries(secrets)
    .filter(([, secret]) => !text.includes(secret))
    .map(([name]) => name);
  expect(missing).toEqual([]);
}

beforeAll(async () => {
  await sodium.ready;
});

/** A vault as an earlier version left it: entries with readable details, one vault-wide import record naming two cases. Locked. */
async function legacyVault() {
  const { db, vault } = await newVault();
  const gone = await vault.createCase({ ...emptyCaseFields(), title: 'Zqlegacy case title' });
  const kept = await vault.createCase({ ...emptyCaseFields(), title: 'Zqlegacy kept title' });
  await vault.lock();

  // What an earlier version wrote: entries with their details readable with the log key, and one
  // vault-wide import record for a bundle that brought both cases.
  const keys = await keysOf(db);
  const headRow = (await db.records.get('log-head'))!;
  let head = openJson(keys.custodyLog, { table: 'log-head', id: 'log-head' }, headRow.env) as LogHead;
  const fileHash = 'ab'.repeat(32);
  const goneDocument = 'd'.repeat(32);
  const keptDocument = 'e'.repeat(32);
  const legacy: CustodyEntry[] = [];
  for (const input of [
    { action: 'attached' as const, targetKind: 'document' as const, targetId: goneDocument, caseId: gone.id },
    { action: 'attached' as const, targetKind: 'document' as const, targetId: keptDocument, caseId: kept.id },
  ]) {
    const entry = nextEntry(head, { ...input, contentHashes: [fileHash] }, 'Zqactor');
    legacy.push(entry);
    head = { count: entry.seq, lastHash: entry.hash };
    const id = randomId();
    await db.log.add({ id, env: sealJson(keys.custodyLog, { table: 'log-entry', id }, 1, entry) });
  }
  await db.records.put({
    ...headRow,
    env: sealJson(keys.custodyLog, { table: 'log-head', id: 'log-head' }, 1, head),
  });
  const importId = blindIndex(keys.blindIndex, 'bundle-import:legacy');
  const segment = custodySegment(legacy, { count: legacy.at(-1)!.seq, lastHash: legacy.at(-1)!.hash }, () => true);
  await db.records.put({
    id: importId,
    kind: blindIndex(keys.blindIndex, 'table:bundle-import'),
    owner: '',
    env: sealJson(keys.records, { table: 'bundle-import', id: importId }, 1, {
      bundleId: 'f'.repeat(32),
      importedAt: 1,
      signer: { name: 'Zqlegacy signer', signingKey: 'c'.repeat(64), status: 'verified' },
      headerHash: '0'.repeat(64),
      createdAt: '2025-01-01T00:00:00.000Z',
      items: { [`case:${gone.id}`]: '1'.repeat(64), [`case:${kept.id}`]: '2'.repeat(64) },
      taken: { [`case:${gone.id}`]: `case:${gone.id}`, [`case:${kept.id}`]: `case:${kept.id}` },
      custodyLog: JSON.stringify(segment),
      created: [gone.id, kept.id],
    }),
  });
  // Those versions kept no integrity map either: the next unlock builds it from the rows as they are.
  await asBeforeIntegrityMap(db);

  return { db, vault, gone, kept, legacy, goneDocument, keptDocument };
}

describe('a deleted case leaves no readable history', () => {
  it('its custody entries keep their place in the chain and nothing else', async () => {
    const { db, vault } = await newVault();
    const gone = await vault.createCase({ ...emptyCaseFields(), title: 'Zqgone case title' });
    const kept = await vault.createCase({ ...emptyCaseFields(), title: 'Zqkept case title' });
    const letter = await attach(vault, gone.id, 'Zqletter.txt', LETTER);
    await attach(vault, kept.id, 'kept.txt', OTHER);
    await vault.saveTimelineEvent(gone.id, null, {
      kind: 'arrest',
      date: '2024-03',
      person: 'Zqperson',
      description: '',
      sources: [],
    });
    const secrets = { sha256: letter.sha256, caseId: gone.id, documentId: letter.id, title: 'Zqgone case title' };
    // The scan can see them while the case exists (the log's details open with its key).
    expectAllOf(await everythingReadable(db), secrets);
    const goneEntries = (await vault.caseHistory(gone.id)).length;

    await vault.deleteCase(gone.id);

    const verdict = await vault.verifyLog();
    expect(verdict.ok).toBe(true);
    expectNoneOf(await everythingTheApiSays(vault, gone.id, [`document:${letter.id}`]), secrets);
    expectNoneOf(await everythingReadable(db), secrets);
    expect(await vault.caseHistory(gone.id)).toEqual([]);
    // The kept case's history still reads in full.
    expect((await vault.caseHistory(kept.id)).map((entry) => entry.action)).toEqual(['created', 'attached']);

    // The overview lists the deleted case's entries as about a deleted case, the deletion among them.
    const recent = (await vault.overview()).recentActivity;
    const deleted = recent.filter((entry) => entry.aboutDeletedCase);
    expect(deleted.map((entry) => entry.action)).toEqual(['deleted', 'created', 'attached', 'created']);
    expect(deleted.length).toBe(goneEntries + 1);
    expect(deleted[0]).not.toHaveProperty('targetId');

    // And after a lock the chain still verifies without the case's key.
    await vault.lock();
    await vault.unlock(bytes(PASSPHRASE));
    expect(await vault.verifyLog()).toEqual(verdict);
  });

  it('a received bundle leaves neither its items, the sender’s custody log nor its signer', async () => {
    const sender = await newVault('Zqsender unknown');
    const receiver = await newVault('Zqreceiver');
    const receiverContact = await sender.vault.addContact(await receiver.vault.identityCard());
    const gone = await sender.vault.createCase({ ...emptyCaseFields(), title: 'Zqbundled case title' });
    const letter = await attach(sender.vault, gone.id, 'Zqletter.txt', LETTER);
    const bundle = await exportAll(sender.vault, {
      cases: [{ caseId: gone.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [receiverContact.id],
      includeSelf: false,
      includeCustodyLog: true,
    });
    const { importId, preview } = await importAll(receiver.vault, bundle);
    const { bundleId } = preview;
    expect(preview.signer.status).toBe('unknown');
    await receiver.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });
    const kept = await receiver.vault.createCase({ ...emptyCaseFields(), title: 'Zqreceiver own case' });
    await attach(receiver.vault, kept.id, 'kept.txt', OTHER);

    const secrets = {
      sha256: letter.sha256,
      caseId: gone.id,
      documentId: letter.id,
      title: 'Zqbundled case title',
      signer: 'Zqsender unknown',
      bundleId,
    };
    const itemIds = [`document:${letter.id}`, `case:${gone.id}`];
    expect(await receiver.vault.itemOrigin(`document:${letter.id}`)).toMatchObject({ bundleId });
    expect((await receiver.vault.listReceivedBundles())[0]).toMatchObject({ bundleId, custodyLog: { ok: true } });
    expectAllOf(await everythingReadable(receiver.db), secrets);

    await receiver.vault.deleteCase(gone.id);

    expect((await receiver.vault.verifyLog()).ok).toBe(true);
    expect(await receiver.vault.listReceivedBundles()).toEqual([]);
    expect(await receiver.vault.itemOrigin(`document:${letter.id}`)).toBeNull();
    expectNoneOf(await everythingTheApiSays(receiver.vault, gone.id, itemIds), secrets);
    expectNoneOf(await everythingReadable(receiver.db), secrets);

    // The same bundle, opened again, is new: nothing says it was here.
    const { importId: again, preview: second } = await importAll(receiver.vault, bundle);
    expect(second.alreadyImportedAt).toBeNull();
    expect(second.items.every((item) => item.status === 'new')).toBe(true);
    await receiver.vault.cancelBundleImport(again);
  });

  it('entries and import records written before this version still read, and lose the case when it is deleted', async () => {
    const { db, vault, gone, kept, legacy, goneDocument, keptDocument } = await legacyVault();
    await vault.unlock(bytes(PASSPHRASE));
    expect((await vault.verifyLog()).ok).toBe(true);
    expect((await vault.caseHistory(gone.id)).at(-1)).toMatchObject({ targetId: goneDocument });
    expect((await vault.listReceivedBundles())[0]).toMatchObject({ signer: { name: 'Zqlegacy signer' } });

    await vault.deleteCase(gone.id);

    expect((await vault.verifyLog()).ok).toBe(true);
    const secrets = { caseId: gone.id, documentId: goneDocument, title: 'Zqlegacy case title' };
    expectNoneOf(await everythingTheApiSays(vault, gone.id, [`case:${gone.id}`]), secrets);
    expectNoneOf(await everythingReadable(db), secrets);
    // The kept case keeps its legacy entry and its part of the import record.
    expect((await vault.caseHistory(kept.id)).map((entry) => entry.targetId)).toContain(keptDocument);
    const [received] = await vault.listReceivedBundles();
    expect(received).toMatchObject({ signer: { name: 'Zqlegacy signer' }, items: 1 });
    expect(await vault.itemOrigin(`case:${kept.id}`)).toMatchObject({ bundleId: 'f'.repeat(32) });
    // The first legacy entry now reads as about a deleted case.
    const recent = (await vault.overview()).recentActivity;
    expect(recent.find((entry) => entry.seq === legacy[0]!.seq)).toMatchObject({ aboutDeletedCase: true });
  });

  it('a case deleted by an earlier version loses its history at the first unlock with this one', async () => {
    const { db, vault, gone, kept, keptDocument } = await legacyVault();
    // What the earlier version's deletion left: the case's rows and key gone, its history still readable.
    const keys = await keysOf(db);
    const owner = blindIndex(keys.blindIndex, `case:${gone.id}`);
    await db.records.where('owner').equals(owner).delete();
    await db.records.delete(blindIndex(keys.blindIndex, `case-key:${gone.id}`));

    await vault.unlock(bytes(PASSPHRASE));
    expect((await vault.verifyLog()).ok).toBe(true);
    const secrets = { caseId: gone.id, documentId: 'd'.repeat(32), title: 'Zqlegacy case title' };
    expectNoneOf(await everythingReadable(db), secrets);
    expectNoneOf(await everythingTheApiSays(vault, gone.id, [`case:${gone.id}`]), secrets);
    expect((await vault.caseHistory(kept.id)).map((entry) => entry.targetId)).toContain(keptDocument);
    expect(await vault.itemOrigin(`case:${kept.id}`)).toMatchObject({ bundleId: 'f'.repeat(32) });
    // Done once: the next unlock finds nothing left to do and changes nothing.
    await vault.lock();
    const before = await everythingReadable(db);
    await vault.unlock(bytes(PASSPHRASE));
    expect(await everythingReadable(db)).toBe(before);
  });
});
