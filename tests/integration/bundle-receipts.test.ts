import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { openJson, sealJson } from '../../renderer/src/vault/worker/crypto/envelope';
import { blindIndex, wipeKeys, type VaultKeys } from '../../renderer/src/vault/worker/crypto/keys';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import {
  asBeforeIntegrityMap,
  attach,
  bytes,
  exportAll,
  importAll,
  keysOfVault,
  newVault as newVaultIn,
  PASSPHRASE,
} from '../support/vault-service';

/**
 * What an import keeps of the sender's custody log: the links of the chain
 * once per import (a 'received-custody-log' record), and in each case's
 * receipt only that case's entries in full, so a bundle of many cases does
 * not store the sender's whole log once per case.
 */

const newVault = (name: string) => newVaultIn('bundle-receipts', name);

type Value = Record<string, unknown>;

interface OpenedRow {
  id: string;
  owner: string;
  value: Value;
}

const kindTag = (keys: VaultKeys, kind: string) => blindIndex(keys.blindIndex, `table:${kind}`);

/** Every case key stored, by the owner tag its case's rows carry. */
async function caseKeysByOwner(db: VaultDatabase, keys: VaultKeys): Promise<Map<string, Uint8Array>> {
  const caseKeys = new Map<string, Uint8Array>();
  for (const row of await db.records.toArray()) {
    if (row.kind !== kindTag(keys, 'case-key')) continue;
    const { caseId, key } = openJson(keys.records, { table: 'case-key', id: row.id }, row.env) as {
      caseId: string;
      key: Uint8Array;
    };
    caseKeys.set(blindIndex(keys.blindIndex, `case:${caseId}`), key);
  }
  return caseKeys;
}

/** Every stored row of record kind `kind`, opened: vault rows with the records key, case rows with their case's. */
async function rowsOfKind(db: VaultDatabase, kind: string): Promise<OpenedRow[]> {
  const keys = await keysOfVault(db);
  try {
    const caseKeys = await caseKeysByOwner(db, keys);
    return (await db.records.toArray())
      .filter((row) => row.kind === kindTag(keys, kind))
      .map((row) => {
        const key = row.owner === '' ? keys.records : caseKeys.get(row.owner)!;
        return { id: row.id, owner: row.owner, value: openJson(key, { table: kind, id: row.id }, row.env) as Value };
      });
  } finally {
    wipeKeys(keys);
  }
}

/** A sender with two cases of one document each, and a receiver that took both in one bundle with the log. */
async function receivedTwoCases() {
  const sender = await newVault('Zqsender');
  const receiver = await newVault('Zqreceiver');
  const contact = await sender.vault.addContact(await receiver.vault.identityCard());
  const first = await sender.vault.createCase({ ...emptyCaseFields(), title: 'Zqfirst case' });
  const second = await sender.vault.createCase({ ...emptyCaseFields(), title: 'Zqsecond case' });
  const document = await attach(sender.vault, first.id, 'first.txt', bytes('Zqfirst document\n'));
  await attach(sender.vault, second.id, 'second.txt', bytes('Zqsecond document\n'));
  const everything = { documentIds: 'all' as const, annotations: true, hearings: true, timeline: true };
  const cases = [first, second].map((record) => ({ caseId: record.id, ...everything }));
  const bundle = await exportAll(sender.vault, {
    cases,
    recipients: [contact.id],
    includeSelf: false,
    includeCustodyLog: true,
  });
  const { importId, preview } = await importAll(receiver.vault, bundle);
  await receiver.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });
  const custody = preview.custodyLog as { ok: true; entries: number; redacted: number };
  expect(custody.ok).toBe(true);
  return { receiver, bundle, first, second, document, entries: custody.entries };
}

async function receivedLog(vault: VaultWorkerApi) {
  return (await vault.listReceivedBundles()).map((received) => received.custodyLog);
}

beforeAll(async () => {
  await sodium.ready;
});

describe('the sender’s custody log, as receipts keep it', () => {
  it('keeps its links once per import and each case’s entries in that case’s receipt; the links go with the last case', async () => {
    const { receiver, first, second, entries } = await receivedTwoCases();

    const [shared, ...more] = await rowsOfKind(receiver.db, 'received-custody-log');
    expect(more).toEqual([]);
    expect((shared!.value.cases as string[]).sort()).toEqual([first.id, second.id].sort());
    const links = JSON.parse(shared!.value.links as string) as { entries: { redacted?: true }[] };
    expect(links.entries).toHaveLength(entries);
    expect(links.entries.every((entry) => entry.redacted === true)).toBe(true);
    expect(shared!.value.links).not.toContain(first.id);

    const receipts = await rowsOfKind(receiver.db, 'bundle-receipt');
    expect(receipts).toHaveLength(2);
    const casesOfReceipts = receipts.map((receipt) => {
      const custody = receipt.value.custodyLog as { shared: string; entries: string };
      expect(custody.shared).toBe(shared!.id);
      const own = JSON.parse(custody.entries) as [number, { caseId: string }][];
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own.map(([, entry]) => entry.caseId)).size).toBe(1);
      return own[0]![1].caseId;
    });
    expect(casesOfReceipts.sort()).toEqual([first.id, second.id].sort());
    expect(await receivedLog(receiver.vault)).toMatchObject([{ ok: true, entries }]);

    await receiver.vault.deleteCase(first.id);
    const [left] = await rowsOfKind(receiver.db, 'received-custody-log');
    expect(left).toMatchObject({ id: shared!.id, value: { cases: [second.id] } });
    expect(await receivedLog(receiver.vault)).toMatchObject([{ ok: true, entries }]);

    await receiver.vault.deleteCase(second.id);
    expect(await rowsOfKind(receiver.db, 'received-custody-log')).toEqual([]);
    expect(await receiver.vault.listReceivedBundles()).toEqual([]);
  });

  it('keeps one copy when the same bundle is opened again', async () => {
    const { receiver, bundle, first, document, entries } = await receivedTwoCases();
    const [before] = await rowsOfKind(receiver.db, 'received-custody-log');
    await receiver.vault.deleteDocument(first.id, document.id);

    const again = await importAll(receiver.vault, bundle);
    expect(again.preview.items.find((item) => item.id === `document:${document.id}`)?.status).toBe('new');
    await receiver.vault.commitBundleImport(again.importId, { resolutions: {}, acceptUnknownSigner: true });

    const shared = await rowsOfKind(receiver.db, 'received-custody-log');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.id).not.toBe(before!.id);
    expect(await receivedLog(receiver.vault)).toMatchObject([{ ok: true, entries }]);
  });

  it('still reads receipts written before (schema 1: the whole segment in each), and deletes them with their case', async () => {
    const { receiver, first, second, entries } = await receivedTwoCases();
    const redacted = (await receivedLog(receiver.vault))[0];

    // What an earlier version wrote: each receipt with its case's segment whole, as text; nothing shared.
    const [shared] = await rowsOfKind(receiver.db, 'received-custody-log');
    const receipts = await rowsOfKind(receiver.db, 'bundle-receipt');
    await receiver.vault.lock();
    const keys = await keysOfVault(receiver.db);
    try {
      const caseKeys = await caseKeysByOwner(receiver.db, keys);
      const links = JSON.parse(shared!.value.links as string) as { entries: unknown[] };
      for (const receipt of receipts) {
        const custody = receipt.value.custodyLog as { entries: string };
        const own = new Map(JSON.parse(custody.entries) as [number, unknown][]);
        const whole = JSON.stringify({ ...links, entries: links.entries.map((entry, at) => own.get(at) ?? entry) });
        const row = (await receiver.db.records.get(receipt.id))!;
        await receiver.db.records.put({
          ...row,
          env: sealJson(caseKeys.get(receipt.owner)!, { table: 'bundle-receipt', id: receipt.id }, 1, {
            ...receipt.value,
            custodyLog: whole,
          }),
        });
      }
      await receiver.db.records.delete(shared!.id);
    } finally {
      wipeKeys(keys);
    }
    await asBeforeIntegrityMap(receiver.db);
    await receiver.vault.unlock(bytes(PASSPHRASE));

    expect(await receivedLog(receiver.vault)).toEqual([redacted]);
    expect(redacted).toMatchObject({ ok: true, entries });
    await receiver.vault.deleteCase(first.id);
    expect(await receivedLog(receiver.vault)).toMatchObject([{ ok: true, entries }]);
    await receiver.vault.deleteCase(second.id);
    expect(await receiver.vault.listReceivedBundles()).toEqual([]);
  });
});
