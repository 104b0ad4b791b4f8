import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkHeaderIntegrity,
  checksumOf,
  createHeader,
  HEADER_FORMAT_VERSION,
  rekeyedHeader,
  rewrapPassphrase,
  rewrapRecoveryKey,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
  type RecoveryBoxSlot,
  type VaultHeader,
} from '../../../renderer/src/vault/worker/crypto/header';
import { newMasterKey } from '../../../renderer/src/vault/worker/crypto/keys';
import { formatOneHeader } from '../../support/format-one-header';
import { openJson, sealJson } from '../../../renderer/src/vault/worker/crypto/envelope';
import {
  formatRecoveryKey,
  newRecoveryKey,
  parseRecoveryKey,
} from '../../../renderer/src/vault/worker/crypto/recovery-key';
import { VaultError } from '../../../renderer/src/vault/worker/crypto/errors';
import { codeOfRejection } from '../../support/rejection';

const MiB = 1024 * 1024;
/** The floor: the cheapest settings a header may carry, to keep tests quick. */
const FAST_KDF = { opsLimit: 3, memLimit: 64 * MiB };
const bytes = (text: string) => new TextEncoder().encode(text);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
  return 'no error';
}

beforeAll(async () => {
  await sodium.ready;
});

/** A new vault's header, its master key and its recovery key (passphrase: "correct horse battery staple"). */
async function newHeader() {
  const recoveryKey = newRecoveryKey();
  return { recoveryKey, ...(await createHeader(bytes('correct horse battery staple'), recoveryKey, FAST_KDF)) };
}

describe('vault header', () => {
  let header: VaultHeader;
  let masterKey: Uint8Array;
  let recoveryKey: Uint8Array;
  beforeAll(async () => ({ header, masterKey, recoveryKey } = await newHeader()));

  it('unlocks with the right passphrase and refuses a wrong one', async () => {
    expect(await unlockWithPassphrase(header, bytes('correct horse battery staple'))).toEqual(masterKey);
    expect(await codeOfRejection(unlockWithPassphrase(header, bytes('correct horse battery stapler')))).toBe(
      'wrong-secret',
    );
  });

  it('unlocks with the recovery key, also as typed by hand', () => {
    const typed = formatRecoveryKey(recoveryKey).toLowerCase().replaceAll('-', ' ');
    expect(unlockWithRecoveryKey(header, parseRecoveryKey(typed))).toEqual(masterKey);
    expect(codeOf(() => unlockWithRecoveryKey(header, newRecoveryKey()))).toBe('wrong-secret');
  });

  it('tells a typo in a recovery key from a wrong key', () => {
    const text = formatRecoveryKey(recoveryKey);
    const typo = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    expect(codeOf(() => parseRecoveryKey(typo))).toBe('recovery-key-mistyped');
    expect(codeOf(() => parseRecoveryKey(text.slice(0, -2)))).toBe('recovery-key-mistyped');
  });

  it('re-wraps the master key on a passphrase change; the old passphrase stops working', async () => {
    const changed = await rewrapPassphrase(header, masterKey, bytes('a new long passphrase for the vault'), FAST_KDF);
    expect(await unlockWithPassphrase(changed, bytes('a new long passphrase for the vault'))).toEqual(masterKey);
    expect(await codeOfRejection(unlockWithPassphrase(changed, bytes('correct horse battery staple')))).toBe(
      'wrong-secret',
    );
    expect(changed.recoverySlot).toEqual(header.recoverySlot);
  });

  it('detects a flipped bit in every byte field of the header, naming damage, not a wrong passphrase', () => {
    const fields: [string, (h: VaultHeader) => Uint8Array][] = [
      ['vaultId', (h) => h.vaultId],
      ['salt', (h) => h.kdf.salt],
      ['passphrase nonce', (h) => h.passphraseSlot.nonce],
      ['passphrase wrapped key', (h) => h.passphraseSlot.wrappedKey],
      ['recovery public key', (h) => (h.recoverySlot as RecoveryBoxSlot).publicKey],
      ['recovery sealed key', (h) => (h.recoverySlot as RecoveryBoxSlot).sealedKey],
      ['mac', (h) => h.mac],
      ['checksum', (h) => h.checksum],
    ];
    for (const [name, field] of fields) {
      const copy = structuredClone(header);
      const target = field(copy);
      target[3] = (target[3] ?? 0) ^ 0x10;
      expect(
        codeOf(() => checkHeaderIntegrity(copy)),
        name,
      ).toBe('header-damaged');
    }
  });

  it('refuses KDF settings below the floor or above the ceiling before hashing', async () => {
    for (const [opsLimit, memLimit] of [
      [1, 64 * MiB],
      [3, 8 * MiB],
      [3, 4096 * MiB],
      [11, 256 * MiB],
    ] as const) {
      const started = performance.now();
      expect(await codeOfRejection(createHeader(bytes('x'.repeat(20)), newRecoveryKey(), { opsLimit, memLimit }))).toBe(
        'kdf-params-refused',
      );
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  it('catches a deliberate edit that also fixes the checksum', async () => {
    // An attacker lowers nothing but swaps in another vault's recovery slot and recomputes the checksum.
    const other = (await createHeader(bytes('another vault passphrase'), newRecoveryKey(), FAST_KDF)).header;
    const forged = { ...structuredClone(header), recoverySlot: other.recoverySlot };
    const { checksum: _checksum, ...rest } = forged;
    const recomputed = checksumOf(rest);
    expect(
      await codeOfRejection(
        unlockWithPassphrase({ ...forged, checksum: recomputed }, bytes('correct horse battery staple')),
      ),
    ).toBe('header-altered');
  });
});

describe('vault header format 2: the recovery slot sealed to a public key', () => {
  let header: VaultHeader;
  let masterKey: Uint8Array;
  let recoveryKey: Uint8Array;
  beforeAll(async () => ({ header, masterKey, recoveryKey } = await newHeader()));

  it('re-keys without the recovery key: the same recovery key opens the new master key, the old passphrase nothing', async () => {
    const newMaster = newMasterKey();
    const next = await rekeyedHeader(header, newMaster, bytes('a new long passphrase for the vault'), null, FAST_KDF);
    expect(next.vaultId).toEqual(header.vaultId);
    expect(unlockWithRecoveryKey(next, recoveryKey)).toEqual(newMaster);
    expect(await unlockWithPassphrase(next, bytes('a new long passphrase for the vault'))).toEqual(newMaster);
    expect(await codeOfRejection(unlockWithPassphrase(next, bytes('correct horse battery staple')))).toBe(
      'wrong-secret',
    );
    // The old header still opens only the old master key: nothing in it leads to the new one.
    expect(await unlockWithPassphrase(header, bytes('correct horse battery staple'))).toEqual(masterKey);
  });

  it('re-keys with a new recovery key: the old recovery key stops working', async () => {
    const fresh = newRecoveryKey();
    const newMaster = newMasterKey();
    const next = await rekeyedHeader(header, newMaster, bytes('correct horse battery staple'), fresh, FAST_KDF);
    expect(unlockWithRecoveryKey(next, fresh)).toEqual(newMaster);
    expect(codeOf(() => unlockWithRecoveryKey(next, recoveryKey))).toBe('wrong-secret');
  });

  it('opens a format 1 header and re-keys it into format 2 only with a new recovery key', async () => {
    const oldRecovery = newRecoveryKey();
    const { header: v1, masterKey: v1Master } = formatOneHeader(
      bytes('correct horse battery staple'),
      oldRecovery,
      FAST_KDF,
    );
    expect(unlockWithRecoveryKey(v1, oldRecovery)).toEqual(v1Master);
    expect(await unlockWithPassphrase(v1, bytes('correct horse battery staple'))).toEqual(v1Master);
    expect(await codeOfRejection(rekeyedHeader(v1, newMasterKey(), bytes('x'), null, FAST_KDF))).toBe('invalid-input');
    const fresh = newRecoveryKey();
    const next = await rekeyedHeader(v1, newMasterKey(), bytes('correct horse battery staple'), fresh, FAST_KDF);
    expect(next.formatVersion).toBe(HEADER_FORMAT_VERSION);
    expect(codeOf(() => unlockWithRecoveryKey(next, oldRecovery))).toBe('wrong-secret');
    // A new recovery key without a re-key keeps format 1 (its passphrase slot binds the format).
    const rewrapped = rewrapRecoveryKey(v1, v1Master, fresh);
    expect(rewrapped.formatVersion).toBe(1);
    expect(unlockWithRecoveryKey(rewrapped, fresh)).toEqual(v1Master);
    expect(await unlockWithPassphrase(rewrapped, bytes('correct horse battery staple'))).toEqual(v1Master);
  });

  it('refuses a recovery slot that does not fit the format', () => {
    const { header: v1 } = formatOneHeader(bytes('correct horse battery staple'), newRecoveryKey(), FAST_KDF);
    const mixed = { ...structuredClone(header), recoverySlot: v1.recoverySlot };
    const { checksum: _checksum, ...rest } = mixed;
    expect(codeOf(() => checkHeaderIntegrity({ ...mixed, checksum: checksumOf(rest) }))).toBe('header-damaged');
  });
});

describe('record envelope', () => {
  const key = () => sodium.crypto_aead_xchacha20poly1305_ietf_keygen();

  it('round-trips and hides length to the padding block', () => {
    const k = key();
    const short = sealJson(k, { table: 'case', id: 'a' }, 1, { title: 'x' });
    const longer = sealJson(k, { table: 'case', id: 'a' }, 1, { title: 'x'.repeat(150) });
    expect(short.byteLength).toBe(longer.byteLength);
    expect(openJson(k, { table: 'case', id: 'a' }, longer)).toEqual({ title: 'x'.repeat(150) });
  });

  it('fails when moved to another id or table, or when any byte is flipped', () => {
    const k = key();
    const envelope = sealJson(k, { table: 'case', id: 'a' }, 1, { title: 'marker' });
    expect(codeOf(() => openJson(k, { table: 'case', id: 'b' }, envelope))).toBe('record-tampered');
    expect(codeOf(() => openJson(k, { table: 'person', id: 'a' }, envelope))).toBe('record-tampered');
    for (let index = 1; index < envelope.byteLength; index++) {
      const copy = envelope.slice();
      copy[index] = (copy[index] ?? 0) ^ 1;
      expect(
        codeOf(() => openJson(k, { table: 'case', id: 'a' }, copy)),
        `byte ${index}`,
      ).toBe('record-tampered');
    }
    expect(codeOf(() => openJson(k, { table: 'case', id: 'a' }, envelope.slice(0, 40)))).toBe('record-tampered');
  });

  it('refuses an unknown envelope version', () => {
    const k = key();
    const envelope = sealJson(k, { table: 'case', id: 'a' }, 1, {});
    envelope[0] = 2;
    expect(codeOf(() => openJson(k, { table: 'case', id: 'a' }, envelope))).toBe('unknown-envelope-version');
  });
});

describe('record padding', () => {
  it('writes exactly what libsodium writes and reads back what libsodium reads, at every block boundary', async () => {
    const { padToBlock, unpadFromBlock } = await import('../../../renderer/src/vault/worker/crypto/envelope');
    for (const block of [256, 4096])
      for (const length of [0, 1, block - 1, block, block + 1, 3 * block - 1, 3 * block]) {
        const data = crypto.getRandomValues(new Uint8Array(length));
        const ours = padToBlock(data, block);
        expect(ours).toEqual(sodium.pad(data, block));
        expect(unpadFromBlock(ours, block)).toEqual(data);
        expect(sodium.unpad(ours, block)).toEqual(data);
      }
  });

  it('refuses malformed padding', async () => {
    const { unpadFromBlock } = await import('../../../renderer/src/vault/worker/crypto/envelope');
    expect(() => unpadFromBlock(new Uint8Array(256), 256)).toThrow();
    expect(() => unpadFromBlock(new Uint8Array(255), 256)).toThrow();
    const marker = new Uint8Array(512);
    marker[10] = 0x80; // more than one block of zeros after the marker
    expect(() => unpadFromBlock(marker, 256)).toThrow();
  });
});
