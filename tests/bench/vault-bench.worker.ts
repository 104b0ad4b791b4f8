import { PlainDatabase, type PlainRow } from './plain-database';
/**
 * Vault benchmarks that run where the vault runs: in a dedicated worker,
 * against real IndexedDB and libsodium. Each returns its measurement and a
 * baseline measured here, in the same run.
 */
import { expose } from 'comlink';
import { incompressibleBytes } from './random-bytes';
import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { emptyCaseFields, type CaseRecord } from '../../renderer/src/vault/model';
import { DEFAULT_KDF, inThisThread, setKdfRunner, type KdfParams } from '../../renderer/src/vault/worker/crypto/kdf';
import { inShortLivedWorker } from '../../renderer/src/vault/worker/crypto/kdf-in-worker';
import { expandMasterKey, newMasterKey, randomId } from '../../renderer/src/vault/worker/crypto/keys';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService } from '../../renderer/src/vault/worker/vault-service';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { createHeader, rekeyedHeader, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { RekeyRun, finishRekey, startJournal } from '../../renderer/src/vault/worker/rekey';

/** The KDF floor: the re-key benchmark measures the move of rows, not Argon2id. */
const FAST_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

const PASSPHRASE = 'orchid lantern 47 granite meadow';
const bytes = (text: string) => new TextEncoder().encode(text);

/** As in the vault worker (vault.worker.ts): each derivation in a KDF worker of its own, terminated after. */
const kdfInShortLivedWorker = inShortLivedWorker(
  () =>
    new Worker(new URL('../../renderer/src/vault/worker/crypto/kdf.worker.ts', import.meta.url), { type: 'module' }),
);
setKdfRunner(kdfInShortLivedWorker);

/** The vault the resident-memory control unlocks (lockedVaultForControl, unlockInThisThread). */
let control: { vault: ReturnType<typeof createVaultService>; db: VaultDatabase } | null = null;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(work: () => unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const WORDS = (
  'hearing adjourned defence lawyer absent court judge prosecutor witness detained charged incitement article ' +
  'appeal verdict sentence fine riels monitor observer public access denied interpreter provided juvenile bail ' +
  'summons arrest release custody province municipal statement evidence confession pressure delay counsel'
).split(' ');

/** Text that varies like real notes do (repeated text would compress unrealistically well in IndexedDB). */
function prose(seed: number, words: number): string {
  let state = seed * 2654435761;
  const out: string[] = [];
  for (let index = 0; index < words; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out.push(WORDS[state % WORDS.length]!);
  }
  return out.join(' ');
}

function sampleCase(index: number): CaseRecord {
  const now = Date.now();
  return {
    ...emptyCaseFields(),
    id: randomId(),
    title: `Case ${index}: detention of a land-rights defender under arts. 494 and 495`,
    references: [`KHM ${index}/2025`],
    summary: prose(index, 90),
    status: 'on-trial',
    tags: ['art. 494', 'fair trial'],
    people: [
      { id: 'p1', name: 'Accused person', role: 'accused', sensitive: true, notes: 'Held in pre-trial detention.' },
    ],
    keyDates: [{ id: 'd1', label: 'Arrest', date: '2025-03-14' }],
    archived: false,
    createdAt: now,
    updatedAt: now,
  };
}

/** `count` cases, each with its own key, written 1,000 to a commit (with their custody-log entries if asked). */
async function storeCases(
  store: VaultStore,
  count: number,
  { header, logged = false }: { header?: VaultHeader; logged?: boolean } = {},
): Promise<CaseRecord[]> {
  const records = Array.from({ length: count }, (_, index) => sampleCase(index));
  for (let start = 0; start < count; start += 1000) {
    const batch = records.slice(start, start + 1000);
    const rows = [];
    for (const record of batch) {
      rows.push(store.newCaseKey(record.id));
      rows.push(await store.sealCaseRecord(record.id, 'case', record.id, record));
    }
    const log = logged
      ? batch.map((record) => ({
          action: 'created' as const,
          targetKind: 'case' as const,
          targetId: record.id,
          caseId: record.id,
        }))
      : [];
    await store.commit({ ...(header && start === 0 ? { header } : {}), put: rows, log });
  }
  return records;
}

const plainRow = (record: CaseRecord, caseId = ''): PlainRow => ({
  id: record.id,
  table: 'case',
  caseId,
  value: record,
});

function freshDatabases(label: string) {
  const suffix = `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return { vaultDb: new VaultDatabase(`bench-vault-${suffix}`), plainDb: new PlainDatabase(`bench-plain-${suffix}`) };
}

/**
 * Plain IndexedDB, no Dexie, no crypto: `totalBytes` of random bytes written
 * in `pieceBytes` pieces, one transaction each (as intake writes), then, if
 * asked, read back in order. Times in milliseconds.
 */
async function rawPieces(
  totalBytes: number,
  pieceBytes: number,
  readBack: boolean,
  intoBlobs = false,
): Promise<{ putMs: number; getMs: number }> {
  const name = `bench-raw-${Date.now()}`;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('pieces');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  const pieces = Math.ceil(totalBytes / pieceBytes);
  const putStart = performance.now();
  for (let index = 0; index < pieces; index++) {
    const piece = incompressibleBytes(Math.min(pieceBytes, totalBytes - index * pieceBytes));
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('pieces', 'readwrite');
      transaction.objectStore('pieces').put(piece, index);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('put failed'));
      // A full quota aborts the transaction without an error event: fail rather than wait forever.
      transaction.onabort = () => reject(transaction.error ?? new Error('put aborted'));
    });
  }
  const putMs = performance.now() - putStart;
  const getStart = performance.now();
  const blobs: Blob[] = [];
  let read = 0;
  for (let index = 0; readBack && index < pieces; index++) {
    const piece = await new Promise<Uint8Array>((resolve, reject) => {
      const request = db.transaction('pieces', 'readonly').objectStore('pieces').get(index);
      request.onsuccess = () => resolve(request.result as Uint8Array);
      request.onerror = () => reject(request.error ?? new Error('get failed'));
    });
    read += piece.byteLength;
    // A plain copy: what was read handed to a Blob, as a download's parts are.
    if (intoBlobs) blobs.push(new Blob([piece as BlobPart]));
  }
  const getMs = performance.now() - getStart;
  blobs.length = 0;
  if (readBack && read !== totalBytes) throw new Error(`read ${read} of ${totalBytes} bytes`);
  db.close();
  await new Promise((resolve) => {
    indexedDB.deleteDatabase(name).onsuccess = resolve;
  });
  return { putMs, getMs };
}

/** Plain writes only: milliseconds. */
const rawPutThroughput = async (totalBytes: number, pieceBytes: number) =>
  (await rawPieces(totalBytes, pieceBytes, false)).putMs;
/** Plain writes, then reads of the same pieces. */
const rawPutThenGet = (totalBytes: number, pieceBytes: number) => rawPieces(totalBytes, pieceBytes, true);
/** Plain writes of `totalBytes`, then a plain copy of them: read back and handed to Blobs. */
const rawCopyToBlobs = async (totalBytes: number, pieceBytes: number) => {
  const { putMs, getMs } = await rawPieces(totalBytes, pieceBytes, true, true);
  return { putMs, copyMs: getMs };
};

const api = {
  rawPutThroughput,
  rawPutThenGet,
  rawCopyToBlobs,

  async unlockVersusArgon2id() {
    await sodium.ready;
    const { vaultDb } = freshDatabases('unlock');
    const vault = createVaultService(vaultDb, { health: runSelfTest });
    await vault.createVault(bytes(PASSPHRASE));
    const unlockMs: number[] = [];
    const workerArgonMs: number[] = [];
    const params: KdfParams = { algorithm: 'argon2id13', ...DEFAULT_KDF, salt: sodium.randombytes_buf(16) };
    for (let round = 0; round < 3; round++) {
      await vault.lock();
      unlockMs.push(await timed(() => vault.unlock(bytes(PASSPHRASE))));
      // Bare Argon2id as unlock runs it: a KDF worker started, libsodium loaded in it, the key back, terminated.
      workerArgonMs.push(
        await timed(async () => sodium.memzero(await kdfInShortLivedWorker(bytes(PASSPHRASE), params))),
      );
    }
    await vault.lock();
    vaultDb.close();
    await Dexie.delete(vaultDb.name);
    // Bare Argon2id in this (warm) thread, as unlock ran it before the KDF worker: after the rest, since it grows
    // this worker's memory for good, and the first run also pays for that growth.
    const inlineArgonMs: number[] = [];
    for (let round = 0; round < 3; round++)
      inlineArgonMs.push(
        await timed(() =>
          sodium.crypto_pwhash(
            32,
            bytes(PASSPHRASE),
            params.salt,
            params.opsLimit,
            params.memLimit,
            sodium.crypto_pwhash_ALG_ARGON2ID13,
          ),
        ),
      );
    return {
      unlockMs: median(unlockMs),
      workerArgon2idMs: median(workerArgonMs),
      inlineArgon2idMs: median(inlineArgonMs),
    };
  },

  /** The resident-memory control, step 1: a locked vault here, made through a KDF worker (this worker's memory
   * does not grow). Call in a fresh benchmark worker. */
  async lockedVaultForControl() {
    await sodium.ready;
    const { vaultDb } = freshDatabases('memory-control');
    const vault = createVaultService(vaultDb, { health: runSelfTest });
    await vault.createVault(bytes(PASSPHRASE));
    await vault.lock();
    control = { vault, db: vaultDb };
  },

  /** Step 2: that vault unlocked with Argon2id in this thread, as every unlock ran before the KDF worker. */
  async unlockInThisThread() {
    if (!control) throw new Error('no vault for the control');
    setKdfRunner(inThisThread);
    try {
      await control.vault.unlock(bytes(PASSPHRASE));
    } finally {
      setKdfRunner(kdfInShortLivedWorker);
    }
    await control.vault.lock();
    control.db.close();
    await Dexie.delete(control.db.name);
    control = null;
  },

  /**
   * Batched writes and a full read of `count` records, encrypted vs plain
   * Dexie, then single saves. Five rounds on fresh databases, alternating
   * which side goes first; each figure is the median of its rounds.
   */
  async recordThroughput(count: number, rounds = 5) {
    await sodium.ready;
    const samples: Record<string, number[]> = {};
    const keep = (name: string, ms: number) => (samples[name] ??= []).push(ms);
    for (let round = 0; round < rounds; round++) {
      const { vaultDb, plainDb } = freshDatabases('records');
      const store = await VaultStore.open(vaultDb, expandMasterKey(newMasterKey()), 'bench');
      const records = Array.from({ length: count }, (_, index) => sampleCase(index + round * count));

      const encryptedWrite = async () => {
        let rows: ReturnType<typeof store.sealVaultRecord>[] = [];
        const sealMs = await timed(() => {
          rows = records.map((record) => store.sealVaultRecord('case', record.id, record));
        });
        keep('seal', sealMs);
        keep('encryptedWrite', sealMs + (await timed(() => store.commit({ put: rows }))));
      };
      const plainWrite = async () =>
        keep('plainWrite', await timed(() => plainDb.records.bulkPut(records.map((record) => plainRow(record)))));
      const encryptedRead = async () => keep('encryptedRead', await timed(() => store.listVaultRecords('case')));
      const plainRead = async () =>
        keep('plainRead', await timed(() => plainDb.records.where({ table: 'case', caseId: '' }).toArray()));
      const steps =
        round % 2 === 0
          ? [encryptedWrite, plainWrite, encryptedRead, plainRead]
          : [plainWrite, encryptedWrite, plainRead, encryptedRead];
      for (const step of steps) await step();

      // One transaction per record, as the UI does on each save (plus the custody log).
      const single = records.slice(0, 100);
      keep(
        'encryptedSingle',
        await timed(async () => {
          for (const record of single)
            await store.commit({
              put: [store.sealVaultRecord('case', record.id, record)],
              log: [{ action: 'edited', targetKind: 'case', targetId: record.id }],
            });
        }),
      );
      keep(
        'plainSingle',
        await timed(async () => {
          for (const record of single) await plainDb.records.put(plainRow(record));
        }),
      );

      store.wipe();
      for (const db of [vaultDb, plainDb]) {
        db.close();
        await Dexie.delete(db.name);
      }
    }
    const of = (name: string) => median(samples[name] ?? []);
    return {
      count,
      encryptedWriteMs: of('encryptedWrite'),
      sealMs: of('seal'),
      plainWriteMs: of('plainWrite'),
      encryptedReadMs: of('encryptedRead'),
      plainReadMs: of('plainRead'),
      singleCount: 100,
      encryptedSingleMs: of('encryptedSingle'),
      plainSingleMs: of('plainSingle'),
    };
  },

  /** Opening the case list of a 10,000-case vault: decrypt every case key and case. */
  async listTenThousandCases() {
    await sodium.ready;
    const count = 10_000;
    const { vaultDb, plainDb } = freshDatabases('list');
    const keys = expandMasterKey(newMasterKey());
    const store = await VaultStore.open(vaultDb, keys, 'bench');
    const records = await storeCases(store, count);
    await plainDb.records.bulkPut(records.map((record) => plainRow(record, record.id)));

    // A fresh store over the same keys, as after unlock: no case key cached yet.
    const reopened = await VaultStore.open(vaultDb, keys, 'bench');
    const encryptedMs = await timed(() => reopened.listAllCaseRecords('case'));
    const plainMs = await timed(() =>
      plainDb.records.where('[table+caseId]').between(['case', Dexie.minKey], ['case', Dexie.maxKey]).toArray(),
    );
    reopened.wipe();
    store.wipe();
    for (const db of [vaultDb, plainDb]) {
      db.close();
      await Dexie.delete(db.name);
    }
    return { count, encryptedMs, plainMs };
  },

  /**
   * Re-keying the 10,000-case vault (a passphrase change, #15): every case
   * key made anew and every row sealed again, in steps of one transaction.
   * The baseline: plain Dexie reading the same number of plain rows and
   * writing each back (bulkPut), in steps of the same size.
   */
  async rekeyTenThousandCases() {
    await sodium.ready;
    const count = 10_000;
    const { vaultDb, plainDb } = freshDatabases('rekey');
    const recoveryKey = sodium.randombytes_buf(32);
    const { header, masterKey } = await createHeader(bytes(PASSPHRASE), recoveryKey, FAST_KDF);
    const store = await VaultStore.open(vaultDb, expandMasterKey(masterKey.slice()), 'bench');
    // Each case's creation in the custody log, as the app writes it (the header lands with the first batch).
    const records = await storeCases(store, count, { header, logged: true });
    store.wipe();
    const rowCount = (await vaultDb.records.count()) + (await vaultDb.log.count());
    const plainRows = Array.from({ length: rowCount }, (_, index) => ({
      ...plainRow(records[index % count]!, records[index % count]!.id),
      id: `row-${index}`,
    }));
    await plainDb.records.bulkPut(plainRows);

    const newMaster = newMasterKey();
    const next = await rekeyedHeader(header, newMaster, bytes('copper heron 82 willow quarry'), null, FAST_KDF);
    await vaultDb.meta.put({ id: 'header', header: next });
    await vaultDb.meta.put({ id: 'rekey', env: startJournal(newMaster, masterKey, header, 'passphrase-changed') });
    const heapBefore = (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    let steps = 0;
    const encryptedMs = await timed(async () => {
      const outcome = await finishRekey(vaultDb, next, newMaster, {
        run: new RekeyRun(),
        stillWanted: () => true,
        afterStep: (step) => void (steps = step),
      });
      const finished = await VaultStore.open(vaultDb, expandMasterKey(outcome.masterKey), 'bench');
      await finished.rebuildIntegrityMap();
      await finished.commit({
        rekeyJournal: null,
        log: [{ action: 'passphrase-changed', targetKind: 'vault', targetId: 'bench' }],
      });
      finished.wipe();
    });
    const heapAfter = (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    const plainMs = await timed(async () => {
      const keys = await plainDb.records.toCollection().primaryKeys();
      for (let start = 0; start < keys.length; start += 400) {
        const rows = await plainDb.records.bulkGet(keys.slice(start, start + 400));
        await plainDb.transaction('rw', plainDb.records, () =>
          plainDb.records.bulkPut(rows.filter((row): row is PlainRow => row !== undefined)),
        );
      }
    });
    for (const db of [vaultDb, plainDb]) {
      db.close();
      await Dexie.delete(db.name);
    }
    return { count, rowCount, steps, encryptedMs, plainMs, heapDeltaMiB: (heapAfter - heapBefore) / 2 ** 20 };
  },
};

export type VaultBenchApi = typeof api;
expose(api);
