/**
 * A passphrase typed again in an unlocked vault (change passphrase, new
 * recovery key, identity key file) faces the unlock back-off and adds to
 * the same counter, so an unattended unlocked vault is no faster a place to
 * guess its passphrase than the unlock screen.
 */
import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClocks } from '../../renderer/src/vault/worker/lockout';
import { bytes, codeOf, newVault, PASSPHRASE } from '../support/vault-service';

const NEW_PASSPHRASE = 'second passphrase for this vault 99';
const FILE_PASSPHRASE = 'a separate passphrase for the key file 7';

async function unlockedVault() {
  return (await newVault('passphrase-backoff')).vault;
}

/** Stops this run's clocks, so the test alone decides how much time passes (a loaded machine cannot). */
function controlTime(): (ms: number) => void {
  // Whole milliseconds: performance.now() is fractional, and start + 2000 - start is not always 2000 in floats.
  let now = Math.round(systemClocks.monotonic());
  let wall = systemClocks.wall();
  vi.spyOn(systemClocks, 'monotonic').mockImplementation(() => now);
  vi.spyOn(systemClocks, 'wall').mockImplementation(() => wall);
  return (ms) => {
    now += ms;
    wall += ms;
  };
}

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('passphrase typed again in Settings', () => {
  it('counts wrong passphrases in change passphrase, new recovery key and key file export towards one back-off', async () => {
    const vault = await unlockedVault();
    const pass = controlTime();
    expect(await codeOf(vault.changePassphrase(bytes('not the passphrase 1'), bytes(NEW_PASSPHRASE)))).toBe(
      'wrong-secret',
    );
    expect(await codeOf(vault.replaceRecoveryKey(bytes('not the passphrase 2')))).toBe('wrong-secret');
    // The third wrong one starts the 2 s wait, and says so.
    await expect(vault.identityKeyFile(bytes('not the passphrase 3'), bytes(FILE_PASSPHRASE))).rejects.toMatchObject({
      code: 'wrong-secret',
      detail: '2000',
    });
    expect((await vault.status()).failedAttempts).toBe(3);

    // Now even the right passphrase waits, in each of the three places, and at unlock.
    expect(await codeOf(vault.changePassphrase(bytes(PASSPHRASE), bytes(NEW_PASSPHRASE)))).toBe('backoff');
    expect(await codeOf(vault.replaceRecoveryKey(bytes(PASSPHRASE)))).toBe('backoff');
    expect(await codeOf(vault.identityKeyFile(bytes(PASSPHRASE), bytes(FILE_PASSPHRASE)))).toBe('backoff');
    await vault.lock();
    expect(await codeOf(vault.unlock(bytes(PASSPHRASE)))).toBe('backoff');

    pass(2000);
    const unlocked = await codeOf(vault.unlock(bytes(PASSPHRASE)));
    expect(unlocked, JSON.stringify(await vault.status())).toBe('no error');
    expect((await vault.status()).failedAttempts).toBe(0);
  });

  it('clears the count once the passphrase is typed right there', async () => {
    const vault = await unlockedVault();
    for (const attempt of [1, 2])
      expect(await codeOf(vault.replaceRecoveryKey(bytes(`not the passphrase ${attempt}`)))).toBe('wrong-secret');
    expect((await vault.status()).failedAttempts).toBe(2);
    await vault.changePassphrase(bytes(PASSPHRASE), bytes(NEW_PASSPHRASE));
    expect((await vault.status()).failedAttempts).toBe(0);
  });
});
