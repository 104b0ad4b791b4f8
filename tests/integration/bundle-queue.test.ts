import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BundleQueueEntry, VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import {
  attach,
  codeOf,
  exportAll,
  fixture,
  newVault,
  passphraseBytes,
  readQueued,
  vaultService,
} from '../support/vault-service';

const LETTER = fixture('mission-letter-koet-saray-2025-07-17.txt');
const PDF = fixture('hrn-statement-adhoc-defenders-2016-06-08.pdf');

async function rawRows(db: VaultDatabase): Promise<string> {
  const tables = await Promise.all(db.tables.map((table) => table.toArray()));
  return JSON.stringify(tables, (_key, value: unknown) => (value instanceof Uint8Array ? sodium.to_hex(value) : value));
}

/** A bundle of `caseIds` (everything in them) from `from` to its contact `to`. */
const bundleOf = (from: VaultWorkerApi, caseIds: string[], to: string) =>
  exportAll(from, {
    cases: caseIds.map((caseId) => ({
      caseId,
      documentIds: 'all' as const,
      annotations: true,
      hearings: true,
      timeline: true,
    })),
    recipients: [to],
    includeSelf: false,
    includeCustodyLog: true,
  });

const byName = (entries: BundleQueueEntry[], name: string) => entries.find((entry) => entry.fileName === name)!;

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Coordinator B, who knows monitor A as a verified contact, and A's contact for B. */
async function monitorAndCoordinator() {
  const a = await newVault('bundle-queue', 'Monitor A');
  const b = await newVault('bundle-queue', 'Coordinator B');
  const bOfA = await a.vault.addContact(await b.vault.identityCard());
  const aOfB = await b.vault.addContact(await a.vault.identityCard());
  await b.vault.updateContact(aOfB.id, { verified: true });
  return { a, b, bOfA };
}

/** Queues `bundle` under `name` in `vault` and reads it, to a ready entry. */
async function queueAndRead(vault: VaultWorkerApi, name: string, bundle: Uint8Array) {
  const [entry] = await vault.queueBundleFiles([{ name, size: bundle.byteLength }]);
  await readQueued(vault, entry!.id, bundle);
  return entry!;
}

describe('the queue of bundles', () => {
  it('verifies many files, takes those from verified contacts one transaction each, keeps the rest with their reason, and survives a lock', async () => {
    // Coordinator B knows monitor A as a verified contact; stranger C knows B, but B does not know C.
    const a = await newVault('bundle-queue', 'Monitor A');
    const b = await newVault('bundle-queue', 'Coordinator B');
    const c = await newVault('bundle-queue', 'Stranger C');
    const bOfA = await a.vault.addContact(await b.vault.identityCard());
    const bOfC = await c.vault.addContact(await b.vault.identityCard());
    const aOfB = await b.vault.addContact(await a.vault.identityCard());
    await b.vault.updateContact(aOfB.id, { verified: true });

    const first = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue first visit' });
    await attach(a.vault, first.id, 'letter.txt', LETTER);
    const fromFirstVisit = await bundleOf(a.vault, [first.id], bOfA.id);
    const second = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue second visit' });
    const pdf = await attach(a.vault, second.id, 'statement.pdf', PDF);
    // The second bundle carries the first case again: after the first is taken, it is compared anew.
    const fromSecondVisit = await bundleOf(a.vault, [first.id, second.id], bOfA.id);
    const strangers = await c.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue stranger case' });
    const fromStranger = await bundleOf(c.vault, [strangers.id], bOfC.id);
    // Made by A for C alone: forwarded to B, it is not addressed to B.
    const cOfA = await a.vault.addContact(await c.vault.identityCard());
    const forSomeoneElse = await bundleOf(a.vault, [first.id], cOfA.id);
    const tampered = new Uint8Array(fromFirstVisit);
    tampered[Math.floor(tampered.byteLength / 2)]! ^= 1;

    const files = {
      'Zqfile-visit-1.evbundle': fromFirstVisit,
      'Zqfile-visit-2.evbundle': fromSecondVisit,
      'Zqfile-stranger.evbundle': fromStranger,
      'Zqfile-tampered.evbundle': tampered,
      'Zqfile-for-c.evbundle': forSomeoneElse,
    };
    const queued = await b.vault.queueBundleFiles(
      Object.entries(files).map(([name, bytes]) => ({ name, size: bytes.byteLength })),
    );
    expect(queued.map((entry) => [entry.fileName, entry.state, entry.staged])).toEqual(
      Object.keys(files).map((name) => [name, 'waiting', false]),
    );
    // Verified one at a time, as the page sends them.
    for (const entry of queued) await readQueued(b.vault, entry.id, files[entry.fileName as keyof typeof files]);

    let queue = await b.vault.listBundleQueue();
    expect(byName(queue, 'Zqfile-visit-1.evbundle')).toMatchObject({
      state: 'ready',
      staged: true,
      decisions: [],
      bundle: { signer: { name: 'Monitor A', status: 'verified' }, changes: { new: 2 } },
    });
    expect(byName(queue, 'Zqfile-visit-2.evbundle')).toMatchObject({ state: 'ready', decisions: [] });
    expect(byName(queue, 'Zqfile-stranger.evbundle')).toMatchObject({
      state: 'ready',
      staged: true,
      decisions: ['signer-unknown'],
      bundle: { signer: { name: 'Stranger C', status: 'unknown' } },
    });
    expect(byName(queue, 'Zqfile-tampered.evbundle')).toMatchObject({
      state: 'refused',
      staged: false,
      error: { code: 'bundle-refused', detail: 'payload-corrupt' },
      bundle: null,
    });
    expect(byName(queue, 'Zqfile-for-c.evbundle')).toMatchObject({
      state: 'refused',
      error: { code: 'bundle-refused', detail: 'not-for-you' },
    });
    // Nothing is written by verifying: no case yet.
    expect((await b.vault.listCases()).cases).toEqual([]);

    // One action takes every bundle that needs no decision, each in its own transaction.
    const outcomes = await b.vault.acceptVerifiedBundles();
    expect(outcomes.map((outcome) => [outcome.entryId, outcome.ok])).toEqual([
      [byName(queue, 'Zqfile-visit-1.evbundle').id, true],
      [byName(queue, 'Zqfile-visit-2.evbundle').id, true],
    ]);
    // The second bundle's copy of the first case was found already here when its turn came.
    const secondOutcome = outcomes[1]!;
    expect(secondOutcome.ok && secondOutcome.result).toMatchObject({ added: 2, updated: 0, kept: 2 });
    expect((await b.vault.listCases()).cases.map((entry) => entry.title).sort()).toEqual([
      'Zqqueue first visit',
      'Zqqueue second visit',
    ]);
    expect((await b.vault.verifyDocument(second.id, pdf.id)).ok).toBe(true);
    const imports = (await b.vault.caseHistory(first.id)).filter(
      (entry) => entry.action === 'imported' && entry.targetKind === 'bundle',
    );
    expect(imports).toHaveLength(2);

    queue = await b.vault.listBundleQueue();
    expect(queue.map((entry) => [entry.fileName, entry.state, entry.decisions, entry.error])).toEqual([
      ['Zqfile-visit-1.evbundle', 'imported', [], null],
      ['Zqfile-visit-2.evbundle', 'imported', [], null],
      ['Zqfile-stranger.evbundle', 'ready', ['signer-unknown'], null],
      ['Zqfile-tampered.evbundle', 'refused', [], { code: 'bundle-refused', detail: 'payload-corrupt' }],
      ['Zqfile-for-c.evbundle', 'refused', [], { code: 'bundle-refused', detail: 'not-for-you' }],
    ]);
    expect(byName(queue, 'Zqfile-visit-2.evbundle').imported).toMatchObject({ added: 2, kept: 2 });
    // The stranger's bundle needs its own decision: "accept all" again leaves it.
    expect(await b.vault.acceptVerifiedBundles()).toEqual([]);
    expect(
      await codeOf(
        b.vault.acceptQueuedBundle(byName(queue, 'Zqfile-stranger.evbundle').id, {
          resolutions: {},
          acceptUnknownSigner: false,
        }),
      ),
    ).toBe('invalid-input');

    // The queue is sealed: nothing of it is readable in the database.
    expect((await rawRows(b.db)).includes('Zqfile')).toBe(false);

    // A lock ends the staged imports; the queue stays, each entry as it was, its file asked for again.
    await b.vault.lock();
    await b.vault.unlock(passphraseBytes());
    const after = await b.vault.listBundleQueue();
    expect(after).toEqual(queue.map((entry) => ({ ...entry, staged: false })));
    const strangerEntry = byName(after, 'Zqfile-stranger.evbundle');
    expect(await codeOf(b.vault.previewQueuedBundle(strangerEntry.id))).toBe('invalid-input');

    // The same file opened again is the same entry; once read, the coordinator decides and takes it.
    const [again] = await b.vault.queueBundleFiles([{ name: strangerEntry.fileName, size: strangerEntry.size }]);
    expect(again!.id).toBe(strangerEntry.id);
    expect((await b.vault.listBundleQueue()).length).toBe(5);
    await readQueued(b.vault, strangerEntry.id, fromStranger);
    const preview = await b.vault.previewQueuedBundle(strangerEntry.id);
    expect(preview.signer.status).toBe('unknown');
    await b.vault.acceptQueuedBundle(strangerEntry.id, { resolutions: {}, acceptUnknownSigner: true });
    expect(byName(await b.vault.listBundleQueue(), 'Zqfile-stranger.evbundle')).toMatchObject({
      state: 'imported',
      staged: false,
    });

    // Removing entries: the refused one goes; bad input changes nothing.
    expect(await codeOf(b.vault.removeFromBundleQueue(['not an id']))).toBe('invalid-input');
    expect(await codeOf(b.vault.beginBundleImport({ id: strangerEntry.id } as unknown as string))).toBe(
      'invalid-input',
    );
    expect(await codeOf(b.vault.previewQueuedBundle('../not an id'))).toBe('invalid-input');
    expect(await codeOf(b.vault.queueBundleFiles([{ name: '', size: -1 }]))).toBe('invalid-input');
    await b.vault.removeFromBundleQueue([byName(after, 'Zqfile-tampered.evbundle').id]);
    expect((await b.vault.listBundleQueue()).map((entry) => entry.fileName)).toEqual([
      'Zqfile-visit-1.evbundle',
      'Zqfile-visit-2.evbundle',
      'Zqfile-stranger.evbundle',
      'Zqfile-for-c.evbundle',
    ]);
    expect((await b.vault.verifyLog()).ok).toBe(true);
  });

  it('marks an entry imported in the import’s own transaction: a crash just after leaves it imported, not waiting', async () => {
    const { a, b, bOfA } = await monitorAndCoordinator();
    const visit = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue crash visit' });
    const bundle = await bundleOf(a.vault, [visit.id], bOfA.id);
    const entry = await queueAndRead(b.vault, 'Zqfile-crash.evbundle', bundle);
    // The worker dies as soon as the import's commit has landed: no later commit of this worker gets through.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the store as `this`
    const commit = VaultStore.prototype.commit;
    let imported = false;
    vi.spyOn(VaultStore.prototype, 'commit').mockImplementation(async function (this: VaultStore, change) {
      if (imported) throw new Error('the worker is gone');
      const landed = await commit.call(this, change);
      if (change.log?.some((input) => input.action === 'imported' && input.targetKind === 'bundle')) imported = true;
      return landed;
    });
    await b.vault.acceptQueuedBundle(entry.id, { resolutions: {}, acceptUnknownSigner: false });
    expect(imported).toBe(true);
    vi.restoreAllMocks();
    // A new worker on the same database: the case is in, and the queue says so (it would offer it again otherwise).
    const restarted = vaultService(b.db).vault;
    await restarted.unlock(passphraseBytes());
    expect((await restarted.listCases()).cases.map((entry) => entry.title)).toEqual(['Zqqueue crash visit']);
    const [after] = await restarted.listBundleQueue();
    expect(after).toMatchObject({ id: entry.id, state: 'imported', imported: { added: 1, cases: [visit.id] } });
    expect((await restarted.verifyLog()).ok).toBe(true);
  });

  it('deleting a case drops the imported entries that brought it, in the deletion’s transaction; others stay', async () => {
    const { a, b, bOfA } = await monitorAndCoordinator();
    const gone = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue case to delete' });
    const kept = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqqueue case to keep' });
    const ofGone = await queueAndRead(b.vault, 'Zqfile-gone.evbundle', await bundleOf(a.vault, [gone.id], bOfA.id));
    const ofKept = await queueAndRead(b.vault, 'Zqfile-kept.evbundle', await bundleOf(a.vault, [kept.id], bOfA.id));
    expect((await b.vault.acceptVerifiedBundles()).map((outcome) => outcome.ok)).toEqual([true, true]);
    const [waiting] = await b.vault.queueBundleFiles([{ name: 'Zqfile-not-read-yet.evbundle', size: 10 }]);
    // Watched from the database: every row the deletion removes or rewrites (the queue row among them), in one
    // transaction.
    const transactions = new Set<unknown>();
    const deleting = (_id: string, _row: unknown, transaction: unknown) => void transactions.add(transaction);
    const updating = (_changes: object, _id: string, _row: unknown, transaction: unknown) =>
      void transactions.add(transaction);
    b.db.records.hook('deleting', deleting);
    b.db.records.hook('updating', updating);
    try {
      await b.vault.deleteCase(gone.id);
    } finally {
      b.db.records.hook('deleting').unsubscribe(deleting);
      b.db.records.hook('updating').unsubscribe(updating);
    }
    expect((await b.vault.listBundleQueue()).map((entry) => [entry.id, entry.state])).toEqual([
      [ofKept.id, 'imported'],
      [waiting!.id, 'waiting'],
    ]);
    expect(transactions.size).toBe(1);
    expect(ofGone.id).not.toBe(ofKept.id);
    expect((await b.vault.verifyLog()).ok).toBe(true);
  });
});
