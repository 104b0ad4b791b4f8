/**
 * The backup format's parts on their own (docs/backup-format.md): file
 * names, run files and the state digest. Whole sets, read from disk, are in
 * vectors.test.ts.
 */
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  BackupError,
  MAX_SEQ,
  RUN_PREFIX_BYTES,
  NONCE_BYTES,
  applyRun,
  checkState,
  decodeState,
  decodeVaultHeader,
  encodeRunFile,
  encodeState,
  encodeVaultHeader,
  isBackupFileName,
  openRunFile,
  packFileName,
  parseBackupFileName,
  readRunPrefix,
  runFileHash,
  runFileName,
  stateDigest,
  type BackupRefusal,
  type BackupState,
  type RunIndex,
  type StateRow,
} from '../../../renderer/src/vault/worker/backup';
import type { VaultHeader } from '../../../renderer/src/vault/worker/crypto/header';
import { deriveSubkey } from '../../../renderer/src/vault/worker/crypto/keys';

beforeAll(async () => {
  await sodium.ready;
});

const SET = '0123456789abcdef0123456789abcdef';
const PACK = 'fedcba9876543210fedcba9876543210';

/** Bytes that count up from `from`: fixed, and distinct per field. */
const counting = (length: number, from: number) => Uint8Array.from({ length }, (_, index) => (from + index) % 256);

/** The reason `action` was refused with (it must throw a BackupError). */
function reasonOf(action: () => unknown): BackupRefusal {
  try {
    action();
  } catch (error) {
    if (error instanceof BackupError) return error.reason;
    throw error;
  }
  throw new Error('not refused');
}

describe('backup file names', () => {
  it('a run name and a pack name read back as what they were made from', () => {
    for (const seq of [1, 2, 42, 123_456, MAX_SEQ]) {
      const name = runFileName(SET, seq);
      expect(name).toMatch(/^evb-[0-9a-f]{32}-\d{6}\.run$/);
      expect(parseBackupFileName(name)).toEqual({ set: SET, kind: 'run', seq });
      expect(isBackupFileName(name)).toBe(true);
    }
    expect(runFileName(SET, 7)).toBe(`evb-${SET}-000007.run`);
    expect(packFileName(SET, PACK)).toBe(`evb-${SET}-${PACK}.pack`);
    expect(parseBackupFileName(packFileName(SET, PACK))).toEqual({ set: SET, kind: 'pack', pack: PACK });
  });

  it('refuses to make a name from anything but lower-case hex ids and a run number from 1 to 999999', () => {
    const badIds = [
      SET.toUpperCase(),
      SET.slice(1),
      `${SET}0`,
      '',
      `..${SET.slice(2)}`,
      `${SET.slice(0, 16)}/${SET.slice(17)}`,
      `${SET.slice(0, 16)}\\${SET.slice(17)}`,
      `${SET.slice(0, 31)}g`,
    ];
    for (const id of badIds) {
      expect(() => runFileName(id, 1), id).toThrow(RangeError);
      expect(() => packFileName(id, PACK), id).toThrow(RangeError);
      expect(() => packFileName(SET, id), id).toThrow(RangeError);
    }
    for (const seq of [0, -1, MAX_SEQ + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => runFileName(SET, seq), String(seq)).toThrow(RangeError);
  });

  it('reads nothing into a name this format does not write', () => {
    const run = runFileName(SET, 1);
    const pack = packFileName(SET, PACK);
    const refused = [
      '',
      'evb-.run',
      `../${run}`,
      `./${run}`,
      `dir/${run}`,
      `dir\\${run}`,
      `${run}/`,
      `evb-${SET}-../000001.run`,
      `evb-${SET}/..-000001.run`,
      `evb-..-000001.run`,
      `evb-${SET.toUpperCase()}-000001.run`,
      `evb-${SET}-${PACK.toUpperCase()}.pack`,
      `EVB-${SET}-000001.run`,
      `evb-${SET}-000001.RUN`,
      `evb-${SET.slice(1)}-000001.run`,
      `evb-${SET}0-000001.run`,
      `evb-${SET}-00001.run`,
      `evb-${SET}-0000001.run`,
      `evb-${SET}-1000000.run`,
      `evb-${SET}-000000.run`,
      `evb-${SET}--00001.run`,
      `evb-${SET}-+00001.run`,
      `evb-${SET}-00001a.run`,
      `evb-${SET}-${PACK.slice(1)}.pack`,
      `evb-${SET}-${PACK}0.pack`,
      `evb-${SET}-${PACK}.run`,
      `evb-${SET}-000001.pack`,
      `${run}.tmp`,
      `${run}\n`,
      ` ${run}`,
      `${pack}.part`,
      `evb-${SET}-${PACK}`,
    ];
    for (const name of refused) {
      expect(parseBackupFileName(name), JSON.stringify(name)).toBeNull();
      expect(isBackupFileName(name), JSON.stringify(name)).toBe(false);
    }
  });
});

/** A header parseVaultHeader accepts (a run file carries it; nothing here unlocks it). */
const header: VaultHeader = {
  magic: 'evidence-vault',
  formatVersion: 2,
  vaultId: counting(16, 0xa0),
  createdAt: 0,
  kdf: { algorithm: 'argon2id13', opsLimit: 3, memLimit: 64 * 1024 * 1024, salt: counting(16, 0x10) },
  passphraseSlot: { nonce: counting(24, 0x20), wrappedKey: counting(48, 0x40) },
  recoverySlot: { publicKey: counting(32, 0x70), sealedKey: counting(80, 0x90) },
  mac: counting(32, 0xe0),
  checksum: counting(32, 0x00),
};

const masterKey = counting(32, 0x00);
const backupKey = () => deriveSubkey(masterKey, 'backup');

function runIndex(fields: Partial<RunIndex> = {}): RunIndex {
  return {
    format: BACKUP_FORMAT,
    set: SET,
    vault: sodium.to_hex(header.vaultId),
    seq: 3,
    run: '11'.repeat(16),
    prev: '22'.repeat(32),
    createdAt: '2025-07-17T08:00:00.000Z',
    logHead: { count: 12, lastHash: '33'.repeat(32) },
    packs: [{ id: PACK, size: 300, hash: '44'.repeat(32) }],
    put: [
      ['r', 'a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32), 'd'.repeat(32), 0, 0, 100],
      ['c', `${'e'.repeat(32)}.0`, '', '', '', 0, 100, 200],
    ],
    delete: [['l', '00000007']],
    state: { rows: 2, bytes: 300, digest: '55'.repeat(32) },
    ...fields,
  };
}

describe('run files', () => {
  it('a run file reads back as the header and index it was written from', () => {
    const index = runIndex();
    const file = encodeRunFile(backupKey(), header, index);
    expect(new TextDecoder().decode(file.subarray(0, 8))).toBe('EVBACKUP');
    const prefix = readRunPrefix(file);
    expect(prefix).toEqual({
      set: SET,
      seq: 3,
      header,
      prefixLength: RUN_PREFIX_BYTES + encodeVaultHeader(header).byteLength,
    });
    expect(openRunFile(backupKey(), file)).toEqual(index);
    expect(decodeVaultHeader(encodeVaultHeader(header))).toEqual(header);
    expect(runFileHash(file)).toBe(sodium.to_hex(sodium.crypto_generichash(32, file, null)));
    // A first run (no prev, nothing put): the same.
    const first = runIndex({ seq: 1, prev: null, packs: [], put: [], delete: [] });
    expect(openRunFile(backupKey(), encodeRunFile(backupKey(), header, first))).toEqual(first);
    // Each write draws a new nonce.
    expect(runFileHash(encodeRunFile(backupKey(), header, index))).not.toBe(runFileHash(file));
  });

  it('refuses a run file with any one byte changed, anywhere', () => {
    const file = encodeRunFile(backupKey(), header, runIndex());
    const { prefixLength } = readRunPrefix(file);
    for (let at = 0; at < file.byteLength; at++) {
      for (const mask of [0x01, 0x80]) {
        const copy = file.slice();
        copy[at]! ^= mask;
        const reason = reasonOf(() => openRunFile(backupKey(), copy));
        const allowed: BackupRefusal[] =
          at < 8
            ? ['not-a-backup']
            : at < 12
              ? ['unknown-version']
              : at < 32
                ? ['run-corrupt']
                : at < prefixLength
                  ? ['run-corrupt', 'header-damaged']
                  : ['run-corrupt'];
        expect(allowed, `byte ${at} ^ ${mask}: ${reason}`).toContain(reason);
      }
    }
  });

  // The magic is compared as bytes: first bytes that are not UTF-8 are still just "not a backup".
  it('refuses a run file whose first bytes are not UTF-8 as not-a-backup', () => {
    const file = encodeRunFile(backupKey(), header, runIndex());
    file[0]! ^= 0x80;
    expect(reasonOf(() => readRunPrefix(file))).toBe('not-a-backup');
  });

  it('refuses a run file opened with another key as run-corrupt', () => {
    const file = encodeRunFile(backupKey(), header, runIndex());
    const otherMaster = counting(32, 0x01);
    expect(reasonOf(() => openRunFile(deriveSubkey(otherMaster, 'backup'), file))).toBe('run-corrupt');
    // Another subkey of the same master key is another key.
    expect(reasonOf(() => openRunFile(deriveSubkey(masterKey, 'records'), file))).toBe('run-corrupt');
  });

  it('refuses a run file cut short at any length', () => {
    const file = encodeRunFile(backupKey(), header, runIndex());
    for (let length = 0; length < file.byteLength; length++) {
      const reason = reasonOf(() => openRunFile(backupKey(), file.slice(0, length)));
      expect(reason, `cut to ${length}`).toBe(length < RUN_PREFIX_BYTES ? 'not-a-backup' : 'run-corrupt');
    }
  });

  it('refuses an unknown version or flags before opening anything', () => {
    const file = encodeRunFile(backupKey(), header, runIndex());
    const withU16 = (at: number, value: number) => {
      const copy = file.slice();
      new DataView(copy.buffer).setUint16(at, value);
      return copy;
    };
    for (const version of [0, 2, 0xffff])
      expect(reasonOf(() => readRunPrefix(withU16(8, version)))).toBe('unknown-version');
    for (const flags of [1, 0x8000]) expect(reasonOf(() => readRunPrefix(withU16(10, flags)))).toBe('unknown-version');
    // Refused even with the wrong key: the version is read first.
    expect(reasonOf(() => openRunFile(deriveSubkey(counting(32, 9), 'backup'), withU16(8, 2)))).toBe('unknown-version');
  });

  it('refuses what is not a run file, and a header that cannot be read', () => {
    const encoder = new TextEncoder();
    for (const bytes of [new Uint8Array(0), encoder.encode('%PDF-1.7\n'.repeat(10)), new Uint8Array(100)])
      expect(reasonOf(() => readRunPrefix(bytes))).toBe('not-a-backup');
    const missingField = { ...header, kdf: undefined } as unknown as VaultHeader;
    const file = encodeRunFile(backupKey(), missingField, runIndex());
    expect(reasonOf(() => readRunPrefix(file))).toBe('header-damaged');
    expect(reasonOf(() => decodeVaultHeader(encoder.encode('{"magic":')))).toBe('header-damaged');
    expect(reasonOf(() => decodeVaultHeader(new Uint8Array([0xff, 0xfe])))).toBe('header-damaged');
  });

  it('refuses a sealed index that does not match its prefix or is not an index', () => {
    const otherVault = { ...header, vaultId: counting(16, 0xb0) };
    expect(reasonOf(() => openRunFile(backupKey(), encodeRunFile(backupKey(), otherVault, runIndex())))).toBe(
      'run-corrupt',
    );
    const wrongFormat = runIndex({ format: 'evidence-vault/backup/v2' as typeof BACKUP_FORMAT });
    expect(reasonOf(() => openRunFile(backupKey(), encodeRunFile(backupKey(), header, wrongFormat)))).toBe(
      'run-corrupt',
    );
    const negative = runIndex({ state: { rows: -1, bytes: 0, digest: '55'.repeat(32) } });
    expect(reasonOf(() => openRunFile(backupKey(), encodeRunFile(backupKey(), header, negative)))).toBe('run-corrupt');
    // The seq in the prefix comes from the index; a file whose prefix says another seq is refused by the seal.
    const file = encodeRunFile(backupKey(), header, runIndex());
    const renumbered = file.slice();
    new DataView(renumbered.buffer).setUint32(28, 4);
    expect(readRunPrefix(renumbered).seq).toBe(4);
    expect(reasonOf(() => openRunFile(backupKey(), renumbered))).toBe('run-corrupt');
    expect(file.byteLength).toBeGreaterThan(readRunPrefix(file).prefixLength + NONCE_BYTES);
  });
});

const row = (table: StateRow['table'], id: string, offset: number, length: number): StateRow => ({
  table,
  id,
  a: table === 'r' ? 'kind' : table === 'b' ? 'tag' : '',
  b: table === 'r' ? 'owner' : '',
  fingerprint: table === 'c' ? '' : sodium.to_hex(counting(16, offset % 256)),
  pack: PACK,
  offset,
  length,
});

const rows: StateRow[] = [
  row('r', 'b'.repeat(32), 0, 100),
  row('r', 'a'.repeat(32), 100, 50),
  row('l', '00000002', 150, 60),
  row('b', 'c'.repeat(32), 210, 80),
  row('c', `${'c'.repeat(32)}.0`, 290, 400),
  row('c', `${'c'.repeat(32)}.10`, 690, 7),
  row('c', `${'c'.repeat(32)}.2`, 697, 12),
  row('s', '1', 709, 30),
];

const stateOf = (list: readonly StateRow[]): BackupState =>
  new Map(list.map((entry) => [`${entry.table}:${entry.id}`, entry]));

describe('backup state', () => {
  it('the digest does not depend on the order rows were added in', () => {
    const expected = stateDigest(stateOf(rows));
    expect(expected).toMatchObject({ rows: rows.length, bytes: 739 });
    expect(stateDigest(stateOf([...rows].reverse()))).toEqual(expected);
    for (let shift = 1; shift < rows.length; shift++)
      expect(stateDigest(stateOf([...rows.slice(shift), ...rows.slice(0, shift)]))).toEqual(expected);
    // Any field of any row changes it.
    const changed = stateDigest(stateOf(rows.map((entry, at) => (at === 3 ? { ...entry, offset: 211 } : entry))));
    expect(changed.digest).not.toBe(expected.digest);
  });

  it('the digest is BLAKE2b-256 over one tab-separated line per row, sorted by table:id', () => {
    const keys = rows.map((entry) => `${entry.table}:${entry.id}`).sort();
    const text = keys
      .map((key) => rows.find((entry) => `${entry.table}:${entry.id}` === key)!)
      .map((e) => `${[e.table, e.id, e.a, e.b, e.fingerprint, e.pack, e.offset, e.length].join('\t')}\n`)
      .join('');
    expect(stateDigest(stateOf(rows)).digest).toBe(
      sodium.to_hex(sodium.crypto_generichash(32, new TextEncoder().encode(text), null)),
    );
    expect(stateDigest(new Map())).toEqual({
      rows: 0,
      bytes: 0,
      digest: sodium.to_hex(sodium.crypto_generichash(32, new Uint8Array(0), null)),
    });
  });

  it('a state encoded and decoded is the same state', () => {
    const state = stateOf(rows);
    const decoded = decodeState(encodeState(state));
    expect(decoded).toEqual(state);
    expect([...decoded.keys()]).toEqual([...state.keys()]);
    expect(stateDigest(decoded)).toEqual(stateDigest(state));
    expect(decodeState(encodeState(new Map()))).toEqual(new Map());
    expect(() => decodeState(new TextEncoder().encode('[["x","id","","","","p",0,0]]'))).toThrow();
  });

  it('a run applied puts, replaces and deletes rows; its recorded state is checked', () => {
    const before = stateOf(rows);
    const index = runIndex({
      packs: [{ id: 'ab'.repeat(16), size: 20, hash: '00'.repeat(32) }],
      put: [
        ['r', 'a'.repeat(32), 'kind', 'owner', 'f'.repeat(32), 0, 0, 15],
        ['l', '00000003', '', '', 'e'.repeat(32), 0, 15, 5],
      ],
      delete: [['s', '1']],
    });
    const after = applyRun(new Map(before), index);
    expect(after.size).toBe(rows.length);
    expect(after.get(`r:${'a'.repeat(32)}`)).toMatchObject({ pack: 'ab'.repeat(16), offset: 0, length: 15 });
    expect(after.has('s:1')).toBe(false);
    expect(after.get('l:00000003')).toMatchObject({ pack: 'ab'.repeat(16), offset: 15 });
    expect(reasonOf(() => checkState(after, index))).toBe('state-mismatch');
    expect(() => checkState(after, { ...index, state: stateDigest(after) })).not.toThrow();
    const unlisted = runIndex({ packs: [], put: [['r', 'x', '', '', '', 0, 0, 1]], delete: [] });
    expect(reasonOf(() => applyRun(new Map(), unlisted))).toBe('run-corrupt');
  });
});
