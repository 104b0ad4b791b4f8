/**
 * The backup test vectors in tests/vectors/backup: small backup sets, one
 * folder each, written once by this module
 * (GENERATE_BACKUP_VECTORS=1 npx vitest run tests/unit/backup/vectors.test.ts)
 * and checked on every run: each folder must hold exactly the files
 * vectors.json lists (byte for byte, by SHA-256), and reading it from disk as
 * the verifier does (readRuns, openChain, replayRuns, checkPacksPresent, then
 * readPack over every pack) must give the outcome recorded there: the last
 * run's state, or the BackupError reason.
 *
 * The sets are built with the format code alone (PackWriter into a folder
 * in memory, encodeRunFile), never through a vault. Master keys and vault
 * ids are fixed; the vault header each run carries is a real one for that
 * master key, opened by the passphrase and recovery key listed in
 * vectors.json. Nonces, pack ids and row bytes are random when generated:
 * regenerating gives new files (and a new vectors.json) with the same
 * outcomes.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { format as prettierFormat, resolveConfig } from 'prettier';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  BackupError,
  PackWriter,
  applyRun,
  checkPacksPresent,
  chooseSet,
  encodeRunFile,
  openChain,
  packsOf,
  readPack,
  readRunPrefix,
  readRuns,
  replayRuns,
  runFileHash,
  runFileName,
  stateDigest,
  type BackupFileInfo,
  type BackupSource,
  type BackupState,
  type RunIndex,
  type StateRow,
  type TableCode,
} from '../../../renderer/src/vault/worker/backup';
import {
  createHeader,
  rekeyedHeader,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
} from '../../../renderer/src/vault/worker/crypto/header';
import type { VaultHeader } from '../../../renderer/src/vault/worker/crypto/header';
import { deriveSubkey } from '../../../renderer/src/vault/worker/crypto/keys';
import { randomBytes } from '../../../renderer/src/vault/worker/crypto/random';
import { formatRecoveryKey, parseRecoveryKey } from '../../../renderer/src/vault/worker/crypto/recovery-key';
import { MemoryFolder } from '../../support/backup-folder';

const DIRECTORY = join(import.meta.dirname, '../../vectors/backup');
const MANIFEST = join(DIRECTORY, 'vectors.json');

/** A vault the vectors are written by: fixed ids and keys (public test data). */
interface VectorVault {
  label: string;
  vaultId: string;
  masterKey: string;
  /** What opens the vault header its runs carry. */
  passphrase: string;
  recoveryKey: string;
}

interface Vector {
  /** The folder under tests/vectors/backup. */
  name: string;
  description: string;
  /** The master key to read it with (hex); the backup key is deriveSubkey(masterKey, 'backup'). */
  masterKey: string;
  /** 'ok', or the BackupError reason a reader must refuse the set with. */
  expect: string;
  /** For valid sets: how many runs, and the state the last one recorded. */
  runs?: number;
  state?: { rows: number; bytes: number; digest: string };
  /** Every file in the folder, with its SHA-256. */
  files: Record<string, string>;
}

interface Manifest {
  format: string;
  vaults: VectorVault[];
  vectors: Vector[];
}

const hex = (bytes: Uint8Array) => sodium.to_hex(bytes);
const sha256 = (bytes: Uint8Array) => hex(sodium.crypto_hash_sha256(bytes));
/** 0x00 0x01 … : a key anyone can type in. */
const counting = (length: number, from: number) => Uint8Array.from({ length }, (_, index) => (from + index) % 256);

const SET = '00112233445566778899aabbccddeeff';
const OTHER_SET = 'ffeeddccbbaa99887766554433221100';
/** The least work a header may ask of Argon2id (KDF_LIMITS): the vectors' headers open quickly. */
const KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };
const PASSPHRASE = 'backup test vector passphrase';

beforeAll(async () => {
  await sodium.ready;
});

const encode = (text: string) => new TextEncoder().encode(text);

/** A real vault header for a fixed vault id and master key (created, then re-keyed onto them). */
async function vaultOf(
  label: string,
  vaultId: Uint8Array,
  masterKey: Uint8Array,
): Promise<{ vault: VectorVault; header: VaultHeader }> {
  const recoveryKey = counting(32, 0x80 + vaultId[0]!);
  const created = await createHeader(encode(PASSPHRASE), recoveryKey.slice(), KDF);
  sodium.memzero(created.masterKey);
  const header = await rekeyedHeader(
    { ...created.header, vaultId },
    masterKey,
    encode(PASSPHRASE),
    recoveryKey.slice(),
    KDF,
  );
  return {
    vault: {
      label,
      vaultId: hex(vaultId),
      masterKey: hex(masterKey),
      passphrase: PASSPHRASE,
      recoveryKey: formatRecoveryKey(recoveryKey),
    },
    header,
  };
}

interface Row {
  table: TableCode;
  id: string;
  a?: string;
  b?: string;
  bytes: Uint8Array;
}

interface WrittenRun {
  file: Uint8Array;
  index: RunIndex;
  state: BackupState;
}

/** Writes one run: its rows into packs in `folder`, its file under its name. Returns the file, index and state. */
async function writeRun(
  folder: MemoryFolder,
  options: {
    header: VaultHeader;
    masterKey: Uint8Array;
    set: string;
    seq: number;
    previous: WrittenRun | null;
    put: Row[];
    delete?: [TableCode, string][];
    createdAt: string;
    /** Changes the index before its state is computed. */
    alter?: (index: RunIndex) => RunIndex;
    /** Changes the index after its state is computed, just before it is sealed. */
    tamper?: (index: RunIndex) => RunIndex;
  },
): Promise<WrittenRun> {
  const writer = new PackWriter(folder, options.set);
  const put: RunIndex['put'] = [];
  for (const row of options.put) {
    const at = await writer.add(row.bytes);
    const fingerprint = row.table === 'c' ? '' : hex(sodium.crypto_generichash(16, row.bytes, null));
    put.push([row.table, row.id, row.a ?? '', row.b ?? '', fingerprint, at.pack, at.offset, at.length]);
  }
  const packs = await writer.finish();
  const seen = (options.previous?.index.logHead.count ?? 0) + options.put.filter((row) => row.table === 'l').length;
  const same = (index: RunIndex) => index;
  const draft = (options.alter ?? same)({
    format: BACKUP_FORMAT,
    set: options.set,
    vault: hex(options.header.vaultId),
    seq: options.seq,
    run: hex(randomBytes(16)),
    prev: options.previous ? runFileHash(options.previous.file) : null,
    createdAt: options.createdAt,
    logHead: { count: seen, lastHash: hex(randomBytes(32)) },
    packs,
    put,
    delete: options.delete ?? [],
    state: { rows: 0, bytes: 0, digest: '0'.repeat(64) },
  });
  const state = applyRun(new Map(options.previous?.state), draft);
  const index = (options.tamper ?? same)({ ...draft, state: stateDigest(state) });
  const backupKey = deriveSubkey(options.masterKey, 'backup');
  const file = encodeRunFile(backupKey, options.header, index);
  sodium.memzero(backupKey);
  folder.files.set(runFileName(options.set, options.seq), file);
  return { file, index, state };
}

const id = () => hex(randomBytes(16));
const envelope = (length: number) => randomBytes(length);

async function generate(): Promise<Manifest> {
  const masterA = counting(32, 0x00);
  const masterB = counting(32, 0x20);
  const a = await vaultOf('A', counting(16, 0xa0), masterA);
  const b = await vaultOf('B', counting(16, 0xb0), masterB);

  // The set every vector starts from: vault A, two runs, one pack each.
  const base = new MemoryFolder();
  const record = id();
  const doomed = id();
  const blob = id();
  const kind = id();
  const owner = id();
  const first = await writeRun(base, {
    header: a.header,
    masterKey: masterA,
    set: SET,
    seq: 1,
    previous: null,
    createdAt: '2025-07-17T08:00:00.000Z',
    put: [
      { table: 'r', id: record, a: kind, b: owner, bytes: envelope(120) },
      { table: 'r', id: doomed, a: kind, b: owner, bytes: envelope(90) },
      { table: 'l', id: '00000001', bytes: envelope(160) },
      { table: 'b', id: blob, a: id(), bytes: envelope(140) },
      { table: 'c', id: `${blob}.0`, bytes: envelope(300) },
      { table: 'c', id: `${blob}.1`, bytes: envelope(45) },
      { table: 's', id: '1', bytes: envelope(70) },
    ],
  });
  const secondRun: Parameters<typeof writeRun>[1] = {
    header: a.header,
    masterKey: masterA,
    set: SET,
    seq: 2,
    previous: first,
    createdAt: '2025-07-18T08:00:00.000Z',
    put: [
      { table: 'r', id: record, a: kind, b: owner, bytes: envelope(130) },
      { table: 'l', id: '00000002', bytes: envelope(160) },
      { table: 's', id: '1', bytes: envelope(70) },
    ],
    delete: [['r', doomed]],
  };
  const second = await writeRun(base, secondRun);
  const packOf = (run: WrittenRun, at = 0) => `evb-${SET}-${run.index.packs[at]!.id}.pack`;
  const run1 = runFileName(SET, 1);
  const run2 = runFileName(SET, 2);

  const vectors: { vector: Omit<Vector, 'files'>; folder: Map<string, Uint8Array> }[] = [];
  const keyA = hex(masterA);
  const add = (name: string, description: string, expected: string, folder: Map<string, Uint8Array>, key = keyA) =>
    vectors.push({ vector: { name, description, masterKey: key, expect: expected }, folder });
  const valid = (name: string, description: string, folder: Map<string, Uint8Array>, last: WrittenRun) =>
    vectors.push({
      vector: {
        name,
        description,
        masterKey: keyA,
        expect: 'ok',
        runs: last.index.seq,
        state: last.index.state,
      },
      folder,
    });
  /** The base set with some files replaced (a Uint8Array) or removed (null). */
  const edited = (changes: Record<string, Uint8Array | null>) => {
    const folder = new Map(base.files);
    for (const [name, bytes] of Object.entries(changes))
      if (bytes) folder.set(name, bytes);
      else folder.delete(name);
    return folder;
  };
  const flip = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice();
    copy[at]! ^= 0x01;
    return copy;
  };
  const setU16 = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint16(at, value);
    return copy;
  };
  /** Another run written into a scratch folder (the base set left as it is); its packs come along. */
  const scratch = async (options: Parameters<typeof writeRun>[1]) => {
    const folder = new MemoryFolder();
    const run = await writeRun(folder, options);
    return { run, files: folder.files };
  };

  valid(
    'valid-two-runs',
    'two runs of vault A: run 2 replaces a record, adds a log entry and deletes a record',
    new Map(base.files),
    second,
  );
  valid(
    'valid-one-run',
    "the first run of valid-two-runs alone (its state is run 1's)",
    new Map([run1, packOf(first)].map((name) => [name, base.files.get(name)!])),
    first,
  );
  add(
    'invalid-wrong-key',
    "valid-two-runs read with vault B's master key",
    'run-corrupt',
    new Map(base.files),
    hex(masterB),
  );
  add(
    'invalid-bit-flip-pack',
    "one bit flipped in run 1's pack",
    'pack-corrupt',
    edited({ [packOf(first)]: flip(base.files.get(packOf(first))!, 200) }),
  );
  add(
    'invalid-bit-flip-run',
    "one bit flipped in run 2's sealed index",
    'run-corrupt',
    edited({ [run2]: flip(second.file, second.file.byteLength - 40) }),
  );
  const createdAt = new TextDecoder().decode(second.file).indexOf('"createdAt":0') + '"createdAt":'.length;
  add(
    'invalid-bit-flip-run-prefix',
    'one bit flipped in the vault header run 2 carries (createdAt 0 becomes 1: still a header, but the seal covers it)',
    'run-corrupt',
    edited({ [run2]: flip(second.file, createdAt) }),
  );
  add(
    'invalid-missing-pack',
    "run 1's pack removed (run 2 still needs rows in it)",
    'pack-missing',
    edited({ [packOf(first)]: null }),
  );
  add(
    'invalid-pack-wrong-size',
    "one byte added to the end of run 2's pack",
    'pack-corrupt',
    edited({ [packOf(second)]: new Uint8Array([...base.files.get(packOf(second))!, 0]) }),
  );
  add('invalid-missing-first-run', 'run 1 removed: run 2 alone', 'run-missing', edited({ [run1]: null }));
  add(
    'invalid-runs-swapped',
    "the two run files swapped: each one's name says another run number than its contents",
    'run-misnamed',
    edited({ [run1]: second.file, [run2]: first.file }),
  );
  const resealed = await scratch({
    ...secondRun,
    seq: 1,
    previous: null,
    put: [],
    delete: [],
    tamper: () => first.index,
  });
  add(
    'invalid-run-replaced',
    "run 1 sealed again (same index, new nonce): run 2's prev no longer names it",
    'chain-broken',
    edited({ [run1]: resealed.run.file }),
  );
  const foreign = await scratch({ ...secondRun, header: b.header, masterKey: masterB });
  add(
    'invalid-foreign-run',
    'run 2 replaced by a run 2 of vault B for the same set id (following the same run 1)',
    'foreign-run',
    new Map([...edited({ [run2]: null, [packOf(second)]: null }), ...foreign.files]),
  );
  add(
    'invalid-truncated-run',
    'run 2 cut 10 bytes short (inside its sealed index)',
    'run-corrupt',
    edited({ [run2]: second.file.slice(0, second.file.byteLength - 10) }),
  );
  add(
    'invalid-truncated-run-header',
    'run 2 cut inside the vault header it carries',
    'run-corrupt',
    edited({ [run2]: second.file.slice(0, readRunPrefix(second.file).prefixLength - 100) }),
  );
  add(
    'invalid-unknown-version',
    'run 2 says format version 2',
    'unknown-version',
    edited({ [run2]: setU16(second.file, 8, 2) }),
  );
  add(
    'invalid-unknown-flags',
    'run 2 has a flag set that version 1 does not define',
    'unknown-version',
    edited({ [run2]: setU16(second.file, 10, 1) }),
  );
  const damaged = await scratch({
    ...secondRun,
    header: { ...a.header, kdf: undefined } as unknown as VaultHeader,
  });
  add(
    'invalid-header-damaged',
    'run 2 carries a vault header with a field missing (sealed as it is)',
    'header-damaged',
    new Map([...edited({ [run2]: null, [packOf(second)]: null }), ...damaged.files]),
  );
  const mismatched = await scratch({
    ...secondRun,
    tamper: (index) => ({ ...index, state: { ...index.state, digest: 'f'.repeat(64) } }),
  });
  add(
    'invalid-state-mismatch',
    'run 2 records a state digest its rows do not give (sealed as it is)',
    'state-mismatch',
    new Map([...edited({ [run2]: null, [packOf(second)]: null }), ...mismatched.files]),
  );
  const outside = await scratch({
    ...secondRun,
    alter: (index) => ({
      ...index,
      put: index.put.map((entry, at) => {
        const [table, rowId, x, y, fingerprint, pack, , length] = entry;
        return at === 0 ? [table, rowId, x, y, fingerprint, pack, 400, length] : entry;
      }),
    }),
  });
  add(
    'invalid-row-outside-pack',
    "run 2 places its record at offset 400 of its 360-byte pack (the pack's hash and size are right)",
    'pack-corrupt',
    new Map([...edited({ [run2]: null, [packOf(second)]: null }), ...outside.files]),
  );
  add(
    'invalid-no-runs',
    'the packs of valid-two-runs without any run',
    'not-a-backup',
    edited({ [run1]: null, [run2]: null }),
  );
  const otherSet = await scratch({ ...secondRun, set: OTHER_SET, seq: 1, previous: null });
  add(
    'invalid-several-sets',
    'valid-two-runs and a one-run set of the same vault side by side, none chosen',
    'several-sets',
    new Map([...base.files, ...otherSet.files]),
  );

  rmSync(DIRECTORY, { recursive: true, force: true });
  const written: Vector[] = [];
  for (const { vector, folder } of vectors) {
    mkdirSync(join(DIRECTORY, vector.name), { recursive: true });
    const files: Record<string, string> = {};
    for (const [name, bytes] of [...folder].sort(([x], [y]) => (x < y ? -1 : 1))) {
      writeFileSync(join(DIRECTORY, vector.name, name), bytes);
      files[name] = sha256(bytes);
    }
    written.push({ ...vector, files });
  }
  const manifest: Manifest = { format: BACKUP_FORMAT, vaults: [a.vault, b.vault], vectors: written };
  const json = JSON.stringify(manifest, null, 2);
  writeFileSync(MANIFEST, await prettierFormat(json, { ...(await resolveConfig(MANIFEST)), filepath: MANIFEST }));
  return manifest;
}

/** A folder on disk, read as the Electron folder IPC reads one. */
class DiskFolder implements BackupSource {
  constructor(private readonly directory: string) {}

  list(): Promise<BackupFileInfo[]> {
    return Promise.resolve(
      readdirSync(this.directory).map((name) => ({ name, size: statSync(join(this.directory, name)).size })),
    );
  }

  readChunk(name: string, offset: number, length: number): Promise<Uint8Array> {
    const fd = openSync(join(this.directory, name), 'r');
    try {
      const buffer = new Uint8Array(length);
      const read = readSync(fd, buffer, 0, length, offset);
      return Promise.resolve(buffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
  }
}

type Outcome =
  { expect: 'ok'; runs: number; state: { rows: number; bytes: number; digest: string } } | { expect: string };

/** What verify does with a set, without a vault: every run opened and replayed, every pack read and checked. */
async function verifyFolder(source: BackupSource, masterKey: Uint8Array): Promise<Outcome> {
  const backupKey = deriveSubkey(masterKey, 'backup');
  try {
    const files = (await source.list())!;
    const set = chooseSet(files);
    const chain = openChain(backupKey, await readRuns(source, files, set));
    const state = replayRuns(chain);
    const packs = packsOf(chain);
    checkPacksPresent(files, set, packs, packs.keys());
    const rowsByPack = new Map<string, StateRow[]>();
    for (const row of state.values()) rowsByPack.set(row.pack, [...(rowsByPack.get(row.pack) ?? []), row]);
    for (const [id, recorded] of packs) {
      const bytes = await readPack(source, set, id, recorded);
      for (const row of rowsByPack.get(id) ?? [])
        if (row.offset + row.length > bytes.byteLength)
          throw new BackupError('pack-corrupt', 'A row lies outside its pack.');
    }
    const last = chain.at(-1)!;
    expect(stateDigest(state)).toEqual(last.index.state);
    return { expect: 'ok', runs: chain.length, state: last.index.state };
  } catch (error) {
    if (error instanceof BackupError) return { expect: error.reason };
    throw error;
  } finally {
    sodium.memzero(backupKey);
  }
}

let manifest: Manifest;

describe('backup test vectors', () => {
  beforeAll(async () => {
    manifest =
      process.env.GENERATE_BACKUP_VECTORS === '1' || !existsSync(MANIFEST)
        ? await generate()
        : (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest);
  }, 60_000);

  it('every folder holds exactly the files listed, byte for byte', () => {
    expect(manifest.format).toBe(BACKUP_FORMAT);
    expect(manifest.vectors.length).toBeGreaterThanOrEqual(15);
    expect(
      readdirSync(DIRECTORY)
        .filter((name) => name !== 'vectors.json')
        .sort(),
    ).toEqual(manifest.vectors.map((vector) => vector.name).sort());
    for (const vector of manifest.vectors) {
      const folder = join(DIRECTORY, vector.name);
      const found = Object.fromEntries(
        readdirSync(folder).map((name) => [name, sha256(new Uint8Array(readFileSync(join(folder, name))))]),
      );
      expect(found, vector.name).toEqual(vector.files);
    }
  });

  it('every vector, read from disk as verify reads it, gives its recorded outcome', async () => {
    for (const vector of manifest.vectors) {
      const outcome = await verifyFolder(
        new DiskFolder(join(DIRECTORY, vector.name)),
        sodium.from_hex(vector.masterKey),
      );
      const recorded =
        vector.expect === 'ok' ? { expect: 'ok', runs: vector.runs, state: vector.state } : { expect: vector.expect };
      expect(outcome, vector.name).toEqual(recorded);
    }
  });

  it('the vault header in the valid runs opens with the listed passphrase and recovery key to the listed master key', async () => {
    const vault = manifest.vaults.find((candidate) => candidate.label === 'A')!;
    const folder = join(DIRECTORY, 'valid-two-runs');
    const run = new Uint8Array(readFileSync(join(folder, runFileName(SET, 1))));
    const { header } = readRunPrefix(run);
    expect(hex(header.vaultId)).toBe(vault.vaultId);
    expect(hex(await unlockWithPassphrase(header, encode(vault.passphrase)))).toBe(vault.masterKey);
    expect(hex(unlockWithRecoveryKey(header, parseRecoveryKey(vault.recoveryKey)))).toBe(vault.masterKey);
  });
});
