import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, emptyProvenance } from '../../renderer/src/vault/model';
import { sealBlobRow } from '../../renderer/src/vault/worker/blob-store';
import { unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { blindIndex, expandMasterKey, randomId } from '../../renderer/src/vault/worker/crypto/keys';
import { newRecoveryKey } from '../../renderer/src/vault/worker/crypto/recovery-key';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService } from '../../renderer/src/vault/worker/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';
import { exportAll, readQueued } from '../support/vault-service';
import { formatOneHeader } from '../support/format-one-header';

/**
 * Issue 15 §6: everything a vault stores in plaintext, listed field by field
 * from the raw IndexedDB of a vault that used every feature that writes, and
 * compared with the allow-list below, which is the table "What someone with
 * the disk sees" in docs/threat-model.md (the test checks the two agree). A
 * new plaintext field, a field whose kind changes (a random id becoming
 * readable text, a zero becoming a time), or a time finer than the table
 * allows fails with its path.
 */

const PASSPHRASE = 'orchid lantern 47 granite meadow';
const FAST_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };
const bytes = (text: string) => new TextEncoder().encode(text);
const LETTER = readFileSync(join(import.meta.dirname, '../fixtures/mission-letter-koet-saray-2025-07-17.txt'), 'utf8');
const MINUTE = 60_000;

/**
 * What a stored value is, as someone with the disk sees it: its shape, never
 * its meaning. Strings that are neither empty nor hex ids are listed by
 * value (they are constants, or a leak); numbers in the range of a date
 * (2000 to 2100, in ms or s) are times.
 */
/** e.g. 'empty', 'hex128', 'chunk-id', 'zero', 'int', 'time', 'ciphertext', 'envelope-v1', 'bytes[16]', '"log-head"'. */
type Kind = string;

interface Allowed {
  kinds: Kind[];
  /** For times: every value is a whole multiple of this. */
  granularityMs?: number;
  /** Where a field the scenario below cannot show is seen instead (it is then not required to be seen). */
  seenElsewhere?: string;
}

/** The table of docs/threat-model.md, "What someone with the disk sees": path → what it may be. */
const ALLOWED: Record<string, Allowed> = {
  'meta[header].header.magic': { kinds: ['"evidence-vault"'] },
  'meta[header].header.formatVersion': { kinds: ['int'] },
  'meta[header].header.vaultId': { kinds: ['bytes[16]'] },
  'meta[header].header.createdAt': { kinds: ['zero'] },
  'meta[header].header.kdf.algorithm': { kinds: ['"argon2id13"'] },
  'meta[header].header.kdf.opsLimit': { kinds: ['int'] },
  'meta[header].header.kdf.memLimit': { kinds: ['int'] },
  'meta[header].header.kdf.salt': { kinds: ['bytes[16]'] },
  'meta[header].header.passphraseSlot.nonce': { kinds: ['bytes[24]'] },
  'meta[header].header.passphraseSlot.wrappedKey': { kinds: ['bytes[48]'] },
  // Format 1 (vaults made before format 2, until their first re-key): a symmetric recovery slot.
  'meta[header].header.recoverySlot.nonce': { kinds: ['bytes[24]'], seenElsewhere: 'the earlier-version test below' },
  'meta[header].header.recoverySlot.wrappedKey': {
    kinds: ['bytes[48]'],
    seenElsewhere: 'the earlier-version test below',
  },
  // Format 2: the recovery key's public key and the master key sealed to it.
  'meta[header].header.recoverySlot.publicKey': { kinds: ['bytes[32]'] },
  'meta[header].header.recoverySlot.sealedKey': { kinds: ['ciphertext'] },
  // Only while a re-key runs.
  'meta[rekey].env': { kinds: ['ciphertext'], seenElsewhere: 'the re-key test below' },
  'meta[header].header.mac': { kinds: ['bytes[32]'] },
  'meta[header].header.checksum': { kinds: ['bytes[32]'] },
  'meta[unlock-failures].count': { kinds: ['int'] },
  'meta[unlock-failures].waitUntil': { kinds: ['time'], granularityMs: MINUTE },
  'meta[records-generation].value': { kinds: ['hex128'] },
  'records.id': { kinds: ['hex128', '"log-head"', '"settings"', '"identity"'] },
  'records.kind': { kinds: ['hex128'] },
  'records.owner': { kinds: ['empty', 'hex128'] },
  'records.env[0..2]': { kinds: ['envelope-v1'] },
  'records.env': { kinds: ['ciphertext'] },
  'log.id': { kinds: ['hex128'] },
  'log.env[0..2]': { kinds: ['envelope-v1'] },
  'log.env': { kinds: ['ciphertext'] },
  'blobs.id': { kinds: ['hex128'] },
  'blobs.tag': { kinds: ['hex128'] },
  'blobs.env[0..2]': { kinds: ['envelope-v1'] },
  'blobs.env': { kinds: ['ciphertext'] },
  'chunks.id': { kinds: ['chunk-id'] },
  'chunks.env': { kinds: ['ciphertext'] },
  'state.id': { kinds: ['zero', 'int'] },
  'state.env[0..2]': { kinds: ['envelope-v1'] },
  'state.env': { kinds: ['ciphertext'] },
};

/** Tables whose `env` is a record envelope (version byte, 2-byte schema version, then nonce ‖ ciphertext). */
const ENVELOPE_TABLES = new Set(['records', 'log', 'blobs', 'state']);

const MS_2000 = Date.UTC(2000, 0, 1);
const MS_2100 = Date.UTC(2100, 0, 1);

/** A run this long of printable ASCII does not happen in ciphertext (odds about 10⁻¹⁴ per byte). */
function hasPrintableRun(data: Uint8Array, run = 32): boolean {
  let length = 0;
  for (const byte of data) {
    length = byte >= 0x20 && byte < 0x7f ? length + 1 : 0;
    if (length >= run) return true;
  }
  return false;
}

function kindOf(value: unknown): Kind {
  if (typeof value === 'string') {
    if (value === '') return 'empty';
    if (/^[0-9a-f]{32}$/.test(value)) return 'hex128';
    if (/^[0-9a-f]{32}\.\d{8}$/.test(value)) return 'chunk-id';
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (value === 0) return 'zero';
    if (value >= MS_2000 && value < MS_2100) return 'time';
    if (value >= MS_2000 / 1000 && value < MS_2100 / 1000) return 'time-seconds';
    return Number.isInteger(value) ? 'int' : 'float';
  }
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Uint8Array) {
    if (value.byteLength <= 64) return `bytes[${value.byteLength}]`;
    return hasPrintableRun(value) ? 'readable-bytes' : 'ciphertext';
  }
  return value === null ? 'null' : typeof value;
}

interface Field {
  path: string;
  kind: Kind;
  value: unknown;
}

/** Every leaf of a row, with its path (arrays as `[]`). */
function leaves(path: string, value: unknown, out: Field[]): void {
  if (Array.isArray(value)) {
    for (const item of value) leaves(`${path}[]`, item, out);
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [key, item] of Object.entries(value)) leaves(`${path}.${key}`, item, out);
    return;
  }
  out.push({ path, kind: kindOf(value), value });
}

/** Every plaintext field of every row of every table, read raw. */
async function inventory(db: VaultDatabase): Promise<Field[]> {
  const fields: Field[] = [];
  for (const table of db.tables)
    for (const row of (await table.toArray()) as Record<string, unknown>[]) {
      if (table.name === 'meta') {
        const { id, ...rest } = row;
        leaves(`meta[${String(id)}]`, rest, fields);
        continue;
      }
      leaves(table.name, row, fields);
      if (ENVELOPE_TABLES.has(table.name) && row.env instanceof Uint8Array)
        fields.push({
          path: `${table.name}.env[0..2]`,
          kind: row.env[0] === 1 ? 'envelope-v1' : `envelope-v${row.env[0]}`,
          value: row.env.subarray(0, 3),
        });
    }
  return fields;
}

/** Problems with the inventory, each naming its path: empty when it matches the allow-list. */
function problemsOf(fields: Field[]): string[] {
  const problems = new Set<string>();
  const seen = new Map<string, Set<Kind>>();
  for (const field of fields) {
    const allowed = ALLOWED[field.path];
    if (!allowed) {
      problems.add(`${field.path}: not in the allow-list (${field.kind})`);
      continue;
    }
    if (!allowed.kinds.includes(field.kind))
      problems.add(`${field.path}: is ${field.kind}, the allow-list says ${allowed.kinds.join(' | ')}`);
    seen.set(field.path, (seen.get(field.path) ?? new Set()).add(field.kind));
    if (field.kind === 'time' || field.kind === 'time-seconds') {
      const ms = field.kind === 'time' ? (field.value as number) : (field.value as number) * 1000;
      if (allowed.granularityMs === undefined || ms % allowed.granularityMs !== 0)
        problems.add(`${field.path}: a time finer than the table allows (${ms % MINUTE} ms past the minute)`);
    }
  }
  // The scenario used every feature that writes: an entry never seen means the table lists a field no longer
  // stored (or the scenario missed a feature).
  for (const [path, allowed] of Object.entries(ALLOWED))
    for (const kind of allowed.seenElsewhere ? [] : allowed.kinds)
      if (!seen.get(path)?.has(kind)) problems.add(`${path}: ${kind} allowed but never seen`);
  return [...problems].sort();
}

/** Blob tags seen at several times: a tag carried by two different blobs links them (what the constant
 * search-snapshot tag did: every snapshot recognisable, and its size, across copies of the disk). */
function linkedBlobTags(...snapshots: Field[][]): string[] {
  const idsByTag = new Map<string, Set<string>>();
  for (const fields of snapshots) {
    for (let at = 0; at < fields.length; at++) {
      const field = fields[at]!;
      if (field.path !== 'blobs.tag' || field.value === '') continue;
      const id = fields.slice(0, at).findLast((candidate) => candidate.path === 'blobs.id')?.value as string;
      idsByTag.set(field.value as string, (idsByTag.get(field.value as string) ?? new Set()).add(id));
    }
  }
  return [...idsByTag].filter(([, ids]) => ids.size > 1).map(([tag, ids]) => `${tag}: ${[...ids].join(', ')}`);
}

let counter = 0;
async function newVault(name: string) {
  const db = new VaultDatabase(`plaintext-inventory-${++counter}`);
  const vault = createVaultService(db, { kdf: FAST_KDF, health: runSelfTest, searchSnapshotDelayMs: 0 });
  await vault.createVault(bytes(PASSPHRASE));
  await vault.renameIdentity(name);
  return { db, vault };
}

async function attach(vault: VaultWorkerApi, caseId: string, name: string, content: string, pages: string[]) {
  const data = bytes(content);
  const intakeId = await vault.beginIntake(caseId, name, data.byteLength);
  await vault.intakeChunk(intakeId, data);
  const document = await vault.finishIntake(intakeId, { ...emptyProvenance(), obtainedFrom: 'Zqsource clerk' });
  await vault.saveDocumentText(caseId, document.id, {
    extractor: 'utf-8',
    pages: pages.map((text) => ({ text, hasText: true })),
  });
  return document;
}

/** Committed blobs (document contents and the search snapshot). */
const committedBlobs = async (db: VaultDatabase) => (await db.blobs.toArray()).filter((row) => row.tag !== '');

/** A bundle from another vault, opened through the queue and imported into `receiver`, which also keeps the sender as a contact. */
async function receiveBundle(receiver: VaultWorkerApi) {
  const sender = await newVault('Zqsender');
  const contact = await sender.vault.addContact(await receiver.identityCard());
  await receiver.addContact(await sender.vault.identityCard());
  const sent = await sender.vault.createCase({ ...emptyCaseFields(), title: 'Zqbundled case' });
  await attach(sender.vault, sent.id, 'Zqbundled.txt', 'Zqbundled words', ['Zqbundled words']);
  await sender.vault.saveTimelineEvent(sent.id, null, {
    kind: 'arrest',
    date: '2024-03',
    person: 'Zqperson',
    description: '',
    sources: [],
  });
  const bundle = await exportAll(sender.vault, {
    cases: [{ caseId: sent.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
    recipients: [contact.id],
    includeSelf: false,
    includeCustodyLog: true,
  });
  // Through the queue of bundles, which keeps the file's name (sealed) with its state.
  const [entry] = await receiver.queueBundleFiles([
    { name: 'Zqbundled field visit.evbundle', size: bundle.byteLength },
  ]);
  await readQueued(receiver, entry!.id, bundle);
  await receiver.acceptQueuedBundle(entry!.id, { resolutions: {}, acceptUnknownSigner: false });
}

/** A header as versions before issue 15 wrote it: the creation time in plaintext, under the MAC. */
function headerOfAnEarlierVersion(createdAt: number): { header: VaultHeader; recoveryKey: Uint8Array } {
  const recoveryKey = newRecoveryKey();
  const { header } = formatOneHeader(bytes(PASSPHRASE), recoveryKey, FAST_KDF, createdAt);
  return { header, recoveryKey };
}

beforeAll(async () => {
  await sodium.ready;
});

describe('what someone with the disk sees', () => {
  it('every plaintext field of every table is in the threat model’s table, and no more precise', async () => {
    const { db, vault } = await newVault('Zqowner');
    await receiveBundle(vault);

    const own = await vault.createCase({ ...emptyCaseFields(), title: 'Zqown case', summary: 'Zqsummary' });
    const letter = await attach(vault, own.id, 'letter.txt', LETTER, [LETTER]);
    const at = LETTER.indexOf('four (4) years');
    await vault.createAnnotation(own.id, {
      documentId: letter.id,
      color: 'yellow',
      note: 'Zqnote',
      tags: ['art-494'],
      link: null,
      target: {
        kind: 'text',
        extractor: 'utf-8',
        segments: [{ ...describeSegment(LETTER, 0, at, at + 14), rects: [] }],
      },
    });
    const hearing = await vault.saveHearing(own.id, null, koetSarayHearing());
    await vault.finaliseHearing(own.id, hearing.id);
    await vault.saveTimelineEvent(own.id, null, {
      kind: 'summons',
      date: '2025-06',
      person: 'Zqsummoned',
      description: 'Zqdescription',
      sources: [],
    });
    // A PDF's password remembered at the user's request (issue 19): sealed, so no form of it is on disk.
    const protectedPdf = await attach(vault, own.id, 'protected.pdf', '%PDF-1.7\n%Zqprotected\n', []);
    await vault.rememberDocumentPassword(own.id, protectedPdf.id, bytes('Zqpdfpassword ខ្មែរ'));
    await vault.saveDraft(`case:${own.id}`, { title: 'Zqdraft title' });
    await vault.saveDraft('new-case', { title: 'Zqnew draft' });
    const settings = await vault.getSettings();
    await vault.updateSettings({ ...settings, autoLockMinutes: 10 });

    // The vault-wide lists and the home screen: the list index, its summaries and the log tail are written too.
    await vault.listCases();
    await vault.listAllDocuments();
    await vault.listAllHearings();
    expect((await vault.overview()).documentCount).toBeGreaterThan(0);
    const dump = JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())), (_key, value: unknown) =>
      value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : value,
    );
    for (const marker of [
      'Zqown case',
      'Zqsummary',
      'Zqnote',
      'Zqsummoned',
      'Zqbundled',
      'letter.txt',
      'art-494',
      'Zqpdfpassword',
      'Zqprotected',
    ])
      expect.soft(dump).not.toContain(marker);

    // The search snapshot, written twice: every blob at both moments is compared (three documents' contents and it).
    expect((await vault.search('Zqsummary')).length).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await committedBlobs(db)).toHaveLength(4), { timeout: 5000 });
    const first = await inventory(db);
    const firstBlobs = (await committedBlobs(db)).map((row) => row.id);
    await vault.updateCase(own.id, { ...emptyCaseFields(), title: 'Zqown case', summary: 'Zqchanged' });
    expect((await vault.search('Zqchanged')).length).toBeGreaterThan(0);
    await vi.waitFor(
      async () => {
        const now = (await committedBlobs(db)).map((row) => row.id);
        expect(now).toHaveLength(4);
        expect(now).not.toEqual(firstBlobs);
      },
      { timeout: 5000 },
    );
    const second = await inventory(db);

    // Locked, then three wrong passphrases: the third starts a wait.
    await vault.lock();
    for (let attempt = 0; attempt < 3; attempt++)
      await expect(vault.unlock(bytes('a wrong passphrase, typed again'))).rejects.toMatchObject({
        code: 'wrong-secret',
      });
    const locked = await inventory(db);

    expect.soft(problemsOf(locked)).toEqual([]);
    expect.soft(problemsOf(second).filter((problem) => !problem.startsWith('meta[unlock-failures]'))).toEqual([]);
    // No blob tag is shared by two blobs across the three moments: the snapshot cannot be told from content.
    expect.soft(linkedBlobTags(first, second, locked)).toEqual([]);
  });

  it('the allow-list is the threat model’s table', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/threat-model.md'), 'utf8');
    const section = doc.split(/^## /m).find((part) => part.startsWith('What someone with the disk sees'));
    expect(section).toBeDefined();
    const paths = [...section!.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1]);
    expect([...paths].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('a wrong passphrase that starts no wait leaves a count and no time on disk', async () => {
    const { db, vault } = await newVault('Zqowner');
    await vault.lock();
    await expect(vault.unlock(bytes('a wrong passphrase, typed again'))).rejects.toMatchObject({
      code: 'wrong-secret',
    });
    // One wrong passphrase: no wait, so no time.
    expect(await db.meta.get('unlock-failures')).toEqual({ id: 'unlock-failures', count: 1 });
  });

  it('a header written by an earlier version still opens, and loses its creation time at unlock', async () => {
    const { db, vault } = await newVault('Zqowner');
    expect(((await db.meta.get('header')) as { header: VaultHeader }).header.createdAt).toBe(0);
    await vault.lock();

    const createdAt = Date.UTC(2025, 6, 17, 8, 13, 47, 123);
    const { header, recoveryKey } = headerOfAnEarlierVersion(createdAt);
    const old = new VaultDatabase(`plaintext-inventory-old-header-${++counter}`);
    await old.meta.put({ id: 'header', header });
    const reopened = createVaultService(old, { kdf: FAST_KDF, health: runSelfTest });
    await reopened.unlock(bytes(PASSPHRASE));
    const stored = ((await old.meta.get('header')) as { header: VaultHeader }).header;
    expect(stored.createdAt).toBe(0);
    expect(stored.vaultId).toEqual(header.vaultId);
    // Format 1's recovery slot (kept until its first re-key) is what the table says.
    expect(problemsOf(await inventory(old)).filter((problem) => !problem.endsWith('never seen'))).toEqual([]);
    expect((await inventory(old)).map((field) => field.path)).toContain('meta[header].header.recoverySlot.wrappedKey');
    // The rewritten header opens with the passphrase and the recovery key alike.
    await reopened.lock();
    await reopened.unlock(bytes(PASSPHRASE));
    await reopened.lock();
    const { formatRecoveryKey } = await import('../../renderer/src/vault/worker/crypto/recovery-key');
    await reopened.recover(formatRecoveryKey(recoveryKey), bytes('another long passphrase for the vault 93'));
    expect((await reopened.status()).state).toBe('unlocked');
  });

  it('a re-key cut short leaves only its sealed journal besides what the table lists', async () => {
    const db = new VaultDatabase(`plaintext-inventory-rekey-${++counter}`);
    let locks = 0;
    const vault: VaultWorkerApi = createVaultService(db, {
      kdf: FAST_KDF,
      health: runSelfTest,
      rekeyBatchSize: 1,
      rekeyAfterStep: (step) => {
        if (step === 3 && locks++ === 0) void vault.lock();
      },
    });
    await vault.createVault(bytes(PASSPHRASE));
    await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase' });
    await vault.changePassphrase(bytes(PASSPHRASE), bytes('copper heron 82 willow quarry'));
    await vault.whenRekeyStops();
    const fields = await inventory(db);
    expect(fields.map((field) => field.path)).toContain('meta[rekey].env');
    expect(problemsOf(fields).filter((problem) => !problem.endsWith('never seen'))).toEqual([]);
  });

  it('snapshot blobs are still all found without a shared tag: orphans and those of earlier versions go', async () => {
    const { db, vault } = await newVault('Zqowner');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase', summary: 'Zqfirst' });
    const doc = await attach(vault, id, 'kept.txt', 'Zqkept', ['Zqkept']);
    const header = ((await db.meta.get('header')) as { header: VaultHeader }).header;
    const keys = expandMasterKey(await unlockWithPassphrase(header, bytes(PASSPHRASE)));
    /** Snapshot blob rows no pointer names: one tagged as earlier versions did, one as a crash could leave. */
    const plant = async () => {
      const legacy = randomId();
      const orphan = randomId();
      const info = { key: new Uint8Array(32), size: 0, chunkCount: 0, sha256: '', refs: [] };
      await db.blobs.bulkPut([
        sealBlobRow(keys.records, legacy, blindIndex(keys.blindIndex, 'search-snapshot-blob'), info),
        sealBlobRow(keys.records, orphan, blindIndex(keys.blindIndex, `search-snapshot-blob:${orphan}`), info),
      ]);
      return [legacy, orphan];
    };
    const stored = async (ids: string[]) => (await db.blobs.bulkGet(ids)).filter((row) => row !== undefined).length;

    // Replaced: the next snapshot removes every other one.
    let planted = await plant();
    expect((await vault.search('Zqfirst')).length).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await stored(planted)).toBe(0), { timeout: 5000 });
    // Dropped: a deletion removes them in its own transaction, and keeps the document's content.
    planted = await plant();
    const gone = await vault.createCase({ ...emptyCaseFields(), title: 'Zqgone' });
    await vault.deleteCase(gone.id);
    expect(await stored(planted)).toBe(0);
    expect(await vault.verifyDocument(id, doc.id)).toMatchObject({ ok: true });
  });
});
