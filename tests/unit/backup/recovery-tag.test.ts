import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  BackupError,
  checkRecoveryTag,
  recoveryTagOf,
  type RunIndex,
} from '../../../renderer/src/vault/worker/backup';
import type { VaultHeader } from '../../../renderer/src/vault/worker/crypto/header';

beforeAll(async () => {
  await sodium.ready;
});

const hex = (byte: number, bytes: number) => byte.toString(16).padStart(2, '0').repeat(bytes);
/** Only the fields the tag reads: the vault id and the recovery slot's public key. */
const fill = (byte: number, bytes: number) => new Uint8Array(bytes).fill(byte);
const HEADER = {
  vaultId: fill(0x11, 16),
  recoverySlot: { publicKey: fill(0x22, 32), sealedKey: new Uint8Array(80) },
} as unknown as VaultHeader;
const INDEX: RunIndex = {
  format: BACKUP_FORMAT,
  set: hex(0x33, 16),
  vault: hex(0x11, 16),
  seq: 2,
  run: hex(0x44, 16),
  prev: hex(0x55, 32),
  createdAt: '2026-12-02T10:00:00.000Z',
  logHead: { count: 7, lastHash: hex(0x66, 32) },
  packs: [{ id: hex(0x77, 16), size: 1234, hash: hex(0x88, 32) }],
  put: [],
  delete: [],
  state: { rows: 3, bytes: 456, digest: hex(0x99, 32) },
};
const KEY = () => fill(0xaa, 32);

describe('a run’s recovery tag (docs/backup-format.md, "Recovery tag")', () => {
  it('is keyed BLAKE2b-256 of the fields the spec lists, in its canonical encoding (pinned)', () => {
    expect(recoveryTagOf(KEY(), HEADER, INDEX)).toBe(
      '78002b7bbc068a22fc6ec55df3e80f7bd5ab298ba9e51718d662755dde18ad5e',
    );
  });

  it('changes with every field it binds, and with the key', () => {
    const tag = recoveryTagOf(KEY(), HEADER, INDEX);
    const variants: RunIndex[] = [
      { ...INDEX, set: hex(0x34, 16) },
      { ...INDEX, seq: 3 },
      { ...INDEX, run: hex(0x45, 16) },
      { ...INDEX, prev: null },
      { ...INDEX, createdAt: '2026-12-02T10:00:01.000Z' },
      { ...INDEX, logHead: { count: 8, lastHash: INDEX.logHead.lastHash } },
      { ...INDEX, packs: [{ ...INDEX.packs[0]!, hash: hex(0x89, 32) }] },
      { ...INDEX, state: { ...INDEX.state, digest: hex(0x9a, 32) } },
    ];
    for (const variant of variants) expect(recoveryTagOf(KEY(), HEADER, variant)).not.toBe(tag);
    const otherVault = { ...HEADER, vaultId: fill(0x12, 16) };
    expect(recoveryTagOf(KEY(), otherVault, INDEX)).not.toBe(tag);
    expect(recoveryTagOf(fill(0xab, 32), HEADER, INDEX)).not.toBe(tag);
  });

  it('checks a run opened with the recovery key: proven, absent, or refused as not authentic', () => {
    const tagged = { ...INDEX, recoveryTag: recoveryTagOf(KEY(), HEADER, INDEX) };
    expect(checkRecoveryTag(KEY(), HEADER, tagged)).toBe('recovery-tag');
    expect(checkRecoveryTag(KEY(), HEADER, INDEX)).toBe('none');
    const forged = { ...INDEX, recoveryTag: hex(0x00, 32) };
    expect(() => checkRecoveryTag(KEY(), HEADER, forged)).toThrow(BackupError);
    try {
      checkRecoveryTag(KEY(), HEADER, forged);
    } catch (error) {
      expect((error as BackupError).reason).toBe('not-authentic');
    }
  });
});
