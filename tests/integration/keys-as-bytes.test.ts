/**
 * Issue 15 §5: keys only ever as bytes. No stored row holds a key as text
 * (base64 or hex), what the store keeps of them is Uint8Arrays that the lock
 * wipes, and rows of earlier versions (keys as text) still open and are
 * rewritten once, at unlock.
 */
import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { openBlobRow } from '../../renderer/src/vault/worker/blob-store';
import {
  envelopeSchemaVersion,
  envelopeTag,
  openJson,
  openRecord,
  sealJson,
} from '../../renderer/src/vault/worker/crypto/envelope';
import { unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { blindIndex, expandMasterKey, type VaultKeys } from '../../renderer/src/vault/worker/crypto/keys';
import { RECORD_KINDS } from '../../renderer/src/vault/worker/record-kinds';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { attach, bytes, newVault, PASSPHRASE } from '../support/vault-service';

const DOCUMENT = bytes('Zqkeys document: court order of 17 July, page one.\n'.repeat(200));

beforeAll(async () => {
  await sodium.ready;
});

/** The vault's keys, as anyone with the passphrase gets them. */
async function keysOf(db: VaultDatabase): Promise<VaultKeys> {
  const row = (await db.meta.get('header')) as { header: VaultHeader };
  return expandMasterKey(await unlockWithPassphrase(row.header, bytes(PASSPHRASE)));
}

/** A vault with a named identity, a case, a document in it, a contact and an exported key file. */
async function usedVault(): Promise<{ db: VaultDatabase; vault: VaultWorkerApi; caseId: string; documentId: string }> {
  const { db, vault } = await newVault('keys-as-bytes', 'Zqkeys owner');
  const { vault: other } = await newVault('keys-as-bytes-other', 'Zqkeys contact');
  const created = await vault.createCase({ ...emptyCaseFields(), title: 'Zqkeys case' });
  const document = await attach(vault, created.id, 'order.txt', DOCUMENT);
  await vault.addContact(await other.identityCard());
  await vault.identityKeyFile(bytes(PASSPHRASE), bytes('a separate passphrase for the key file 7'));
  return { db, vault, caseId: created.id, documentId: document.id };
}

interface StoredKeys {
  caseKeys: { rowId: string; caseId: string; key: Uint8Array }[];
  blobKeys: { rowId: string; key: Uint8Array }[];
  identity: { signSecretKey: Uint8Array; boxSecretKey: Uint8Array } | null;
}

/** Every key the vault stores, opened with the passphrase's keys as the app opens them. */
async function storedKeys(db: VaultDatabase, keys: VaultKeys): Promise<StoredKeys> {
  const caseKind = blindIndex(keys.blindIndex, 'table:case-key');
  const caseKeys = (await db.records.where({ kind: caseKind, owner: '' }).toArray()).map((row) => {
    const value = openJson(keys.records, { table: 'case-key', id: row.id }, row.env) as {
      caseId: string;
      key: unknown;
    };
    const upgraded = RECORD_KINDS['case-key'].migrations.steps
      .slice(envelopeSchemaVersion(row.env) - 1)
      .reduce((current: unknown, step) => step(current), value) as { caseId: string; key: Uint8Array };
    return { rowId: row.id, caseId: upgraded.caseId, key: upgraded.key };
  });
  const blobKeys = (await db.blobs.toArray())
    .filter((row) => row.tag !== '')
    .map((row) => ({ rowId: row.id, key: openBlobRow(keys.records, row).key }));
  const identityRow = await db.records.get('identity');
  let identity: StoredKeys['identity'] = null;
  if (identityRow) {
    const value = openJson(keys.records, { table: 'identity', id: 'identity' }, identityRow.env);
    identity = RECORD_KINDS.identity.migrations.steps
      .slice(envelopeSchemaVersion(identityRow.env) - 1)
      .reduce((current: unknown, step) => step(current), value) as StoredKeys['identity'];
  }
  return { caseKeys, blobKeys, identity };
}

/** Every way a key could be written as text. */
function textForms(key: Uint8Array): string[] {
  const hex = sodium.to_hex(key);
  return [
    hex,
    hex.toUpperCase(),
    sodium.to_base64(key, sodium.base64_variants.URLSAFE_NO_PADDING),
    sodium.to_base64(key, sodium.base64_variants.ORIGINAL),
  ];
}

/** The plaintext of every row the passphrase opens (records under every key, custody log, blob rows). */
async function everyPlaintext(db: VaultDatabase, keys: VaultKeys, caseKeys: Uint8Array[]): Promise<Uint8Array[]> {
  const tables = Object.keys(RECORD_KINDS);
  const open = (key: Uint8Array, table: string, id: string, env: Uint8Array) => {
    try {
      return openRecord(key, { table, id }, env);
    } catch {
      return undefined;
    }
  };
  const plaintexts: Uint8Array[] = [];
  for (const row of await db.records.toArray()) {
    let opened: Uint8Array | undefined;
    for (const key of [keys.records, keys.custodyLog, ...caseKeys])
      for (const table of tables) opened ??= open(key, table, row.id, row.env);
    expect(opened, `record ${row.id} opens`).toBeDefined();
    plaintexts.push(opened!);
  }
  for (const row of await db.log.toArray()) plaintexts.push(open(keys.custodyLog, 'log-entry', row.id, row.env)!);
  for (const row of await db.blobs.toArray()) plaintexts.push(open(keys.records, 'blob', row.id, row.env)!);
  return plaintexts;
}

describe('keys stored as bytes', () => {
  it('no stored row holds a key as text, and what the store keeps are byte arrays the lock wipes', async () => {
    const { db, vault } = await usedVault();
    await vault.lock();
    const keys = await keysOf(db);
    const stored = await storedKeys(db, keys);
    expect(stored.caseKeys).toHaveLength(1);
    expect(stored.blobKeys.length).toBeGreaterThanOrEqual(1);
    const allKeys = [
      ...stored.caseKeys.map(({ key }) => key),
      ...stored.blobKeys.map(({ key }) => key),
      stored.identity!.signSecretKey,
      stored.identity!.boxSecretKey,
    ];
    for (const key of allKeys) {
      expect(key).toBeInstanceOf(Uint8Array);
      expect(key.some((byte) => byte !== 0)).toBe(true);
    }
    // Rows are in the form that keeps keys as bytes.
    for (const row of await db.records.bulkGet(stored.caseKeys.map(({ rowId }) => rowId)))
      expect(envelopeSchemaVersion(row!.env)).toBe(RECORD_KINDS['case-key'].migrations.current);
    expect(envelopeSchemaVersion((await db.records.get('identity'))!.env)).toBe(
      RECORD_KINDS.identity.migrations.current,
    );

    // No plaintext holds any key as hex or base64 (the key bytes themselves are there, in their own rows).
    const plaintexts = (
      await everyPlaintext(
        db,
        keys,
        stored.caseKeys.map(({ key }) => key),
      )
    ).map((plain) => Buffer.from(plain));
    for (const key of allKeys) {
      expect(plaintexts.some((plain) => plain.includes(Buffer.from(key)))).toBe(true);
      for (const text of textForms(key))
        expect(plaintexts.some((plain) => plain.includes(Buffer.from(text, 'latin1')))).toBe(false);
    }

    // The store's case-key cache: byte arrays only, all zero after the wipe a lock does.
    const store = await VaultStore.open(db, keys, 'test');
    const { records } = await store.listAllCaseRecords('case');
    expect(records).toHaveLength(1);
    const cache = (store as unknown as { caseKeys: Map<string, unknown> }).caseKeys;
    expect(cache.size).toBe(1);
    const cached = [...cache.values()];
    for (const key of cached) expect(key).toBeInstanceOf(Uint8Array);
    expect(sodium.to_hex(cached[0] as Uint8Array)).toBe(sodium.to_hex(stored.caseKeys[0]!.key));
    const identity = await store.find('identity', null, 'identity');
    expect(identity!.signSecretKey).toBeInstanceOf(Uint8Array);
    expect(identity!.boxSecretKey).toBeInstanceOf(Uint8Array);
    store.wipe();
    for (const key of [...cached, keys.records, keys.master])
      expect((key as Uint8Array).every((byte) => byte === 0)).toBe(true);
  });

  it('reads rows of earlier versions (keys as text) and rewrites them once at unlock', async () => {
    const { db, vault, caseId, documentId } = await usedVault();
    const identityBefore = await vault.getIdentity();
    await vault.lock();
    const keys = await keysOf(db);
    const stored = await storedKeys(db, keys);

    // The rows as the version before this one wrote them, and no mark that they were rewritten.
    const caseKeyRows = await db.records.bulkGet(stored.caseKeys.map(({ rowId }) => rowId));
    for (const [at, { rowId, caseId: keyCase, key }] of stored.caseKeys.entries())
      await db.records.put({
        ...caseKeyRows[at]!,
        env: sealJson(keys.records, { table: 'case-key', id: rowId }, 1, {
          caseId: keyCase,
          key: sodium.to_base64(key),
        }),
      });
    const identityRow = (await db.records.get('identity'))!;
    const identityValue = openJson(keys.records, { table: 'identity', id: 'identity' }, identityRow.env) as {
      name: string;
      createdAt: number;
    };
    await db.records.put({
      ...identityRow,
      env: sealJson(keys.records, { table: 'identity', id: 'identity' }, 1, {
        name: identityValue.name,
        signSecretKey: sodium.to_hex(stored.identity!.signSecretKey),
        boxSecretKey: sodium.to_hex(stored.identity!.boxSecretKey),
        createdAt: identityValue.createdAt,
      }),
    });
    for (const row of (await db.blobs.toArray()).filter((blob) => blob.tag !== '')) {
      const info = openBlobRow(keys.records, row);
      await db.blobs.put({
        ...row,
        env: sealJson(keys.records, { table: 'blob', id: row.id }, 2, { ...info, key: sodium.to_base64(info.key) }),
      });
    }
    const maintenanceId = blindIndex(keys.blindIndex, 'maintenance');
    // (An unlock by the version before marked only the history of deleted cases as reduced.)
    await db.records.put({
      id: maintenanceId,
      kind: blindIndex(keys.blindIndex, 'table:maintenance'),
      owner: '',
      env: sealJson(keys.records, { table: 'maintenance', id: maintenanceId }, 1, {
        historyOfDeletedCasesReduced: true,
      }),
    });
    const legacyTags = new Map(
      [...(await db.records.toArray()), ...(await db.blobs.toArray())].map((row) => [row.id, envelopeTag(row.env)]),
    );

    // Still read as they are, keys decoded to bytes. (Rows written outside a commit: the integrity map is told
    // to hold them as current, as an earlier version's rows are.)
    const store = await VaultStore.open(db, expandMasterKey(keys.master.slice()), 'test');
    await store.rebuildIntegrityMap();
    expect((await store.read('case', caseId, caseId)).title).toBe('Zqkeys case');
    const legacyIdentity = await store.find('identity', null, 'identity');
    expect(sodium.to_hex(legacyIdentity!.boxSecretKey)).toBe(sodium.to_hex(stored.identity!.boxSecretKey));
    const legacyBlob = (await db.blobs.toArray()).find((blob) => blob.tag !== '')!;
    expect(envelopeSchemaVersion(legacyBlob.env)).toBe(2);
    expect(openBlobRow(keys.records, legacyBlob).key).toBeInstanceOf(Uint8Array);
    store.wipe();

    // The unlock rewrites every one of them, once.
    await vault.unlock(bytes(PASSPHRASE));
    for (const row of await db.records.bulkGet(stored.caseKeys.map(({ rowId }) => rowId)))
      expect(envelopeSchemaVersion(row!.env)).toBe(2);
    expect(envelopeSchemaVersion((await db.records.get('identity'))!.env)).toBe(2);
    for (const row of (await db.blobs.toArray()).filter((blob) => blob.tag !== ''))
      expect(envelopeSchemaVersion(row.env)).toBe(3);
    expect(
      openJson(keys.records, { table: 'maintenance', id: maintenanceId }, (await db.records.get(maintenanceId))!.env),
    ).toEqual({ historyOfDeletedCasesReduced: true, keysStoredAsBytes: true });
    // Rewritten, not changed: the same keys open the same evidence.
    const after = await storedKeys(db, keys);
    expect(after.caseKeys.map(({ key }) => sodium.to_hex(key))).toEqual(
      stored.caseKeys.map(({ key }) => sodium.to_hex(key)),
    );
    expect(after.blobKeys.map(({ key }) => sodium.to_hex(key)).sort()).toEqual(
      stored.blobKeys.map(({ key }) => sodium.to_hex(key)).sort(),
    );
    expect(await vault.getIdentity()).toEqual(identityBefore);
    expect(new Uint8Array(await vault.readDocument(caseId, documentId))).toEqual(DOCUMENT);
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
    const rewritten = [...(await db.records.toArray()), ...(await db.blobs.toArray())].filter(
      (row) => legacyTags.get(row.id) !== envelopeTag(row.env),
    );
    expect(rewritten.length).toBeGreaterThanOrEqual(stored.caseKeys.length + 1 + stored.blobKeys.length);

    // Later unlocks leave them alone.
    const tags = new Map(
      [...(await db.records.toArray()), ...(await db.blobs.toArray())].map((row) => [row.id, envelopeTag(row.env)]),
    );
    await vault.lock();
    await vault.unlock(bytes(PASSPHRASE));
    for (const row of [...stored.caseKeys.map(({ rowId }) => rowId), 'identity'])
      expect(envelopeTag((await db.records.get(row))!.env)).toBe(tags.get(row));
    for (const { rowId } of stored.blobKeys)
      expect(envelopeTag((await db.blobs.get(rowId))!.env)).toBe(tags.get(rowId));
  });
});
