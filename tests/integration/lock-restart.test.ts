import 'fake-indexeddb/auto';
import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vaultErrorCode } from '../../renderer/src/vault/client';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { connectVault, type StoppableWorker } from '../../renderer/src/vault/connection';
import { VaultRunner } from '../../renderer/src/vault/vault-runner';
import type { Clocks } from '../../renderer/src/vault/worker/lockout';
import { installVaultErrorSerialization } from '../../renderer/src/vault/worker/rpc-errors';
import { bytes, codeOf, freshName, PASSPHRASE, vaultService } from '../support/vault-service';

const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/**
 * Each "worker" is a real vault service over the same database, on the far side of a MessageChannel; with
 * `clocks`, each reads the back-off's clocks from it (a new one per worker, as a new Worker's clock).
 */
function realRunner(clocks?: () => Clocks) {
  const name = freshName('lock-restart');
  const workers: { terminated: boolean }[] = [];
  const start = (): StoppableWorker => {
    const channel = new MessageChannel();
    expose(vaultService(name, clocks ? { clocks: clocks() } : {}).vault, channel.port2);
    channel.port1.start();
    openPorts.push(channel.port1, channel.port2);
    const state = { terminated: false };
    workers.push(state);
    return {
      postMessage: (message: unknown, transfer?: Transferable[]) => channel.port1.postMessage(message, transfer ?? []),
      addEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
        channel.port1.addEventListener(type, listener),
      removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
        channel.port1.removeEventListener(type, listener),
      terminate: () => {
        state.terminated = true;
        channel.port2.close();
      },
    };
  };
  return { runner: new VaultRunner(() => connectVault(start)), workers };
}

beforeAll(async () => {
  await sodium.ready;
  installVaultErrorSerialization();
});

describe('the vault worker restarted at lock, with the real vault service', () => {
  it('a lock during creation: the vault is created and the key shown after the lock opens it', async () => {
    const { runner, workers } = realRunner();
    const creating = runner.createVault(bytes(PASSPHRASE));
    const locking = runner.lock();
    const { recoveryKey } = await creating;
    await locking;

    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    expect(runner.current().creation).toEqual({ outcome: 'created', recoveryKey });
    const fresh = runner.current().client;
    expect((await fresh.status()).state).toBe('locked');
    // The key the user is shown is the vault's: it opens it (and sets a new passphrase).
    await fresh.recover(recoveryKey, bytes(`${PASSPHRASE} again`));
    expect((await fresh.status()).state).toBe('unlocked');
  });

  it('after a lock the old worker answers `locked`, the new one unlocks, and two locks leave one worker', async () => {
    const { runner, workers } = realRunner();
    await runner.createVault(bytes(PASSPHRASE));
    const before = runner.current().client;
    const created = await before.createCase({ ...emptyCaseFields(), title: 'Case kept across the restart' });
    await Promise.all([runner.lock(), runner.lock()]);
    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    expect(vaultErrorCode(await before.listCases().catch((error: unknown) => error))).toBe('locked');

    const after = runner.current().client;
    expect(vaultErrorCode(await after.listCases().catch((error: unknown) => error))).toBe('locked');
    await after.unlock(bytes(PASSPHRASE));
    expect((await after.listCases()).cases.map((summary) => summary.id)).toContain(created.id);
  });
});

/**
 * Time as the test moves it. Each worker's monotonic clock starts at 0 when the worker starts, as a new Worker's
 * performance.now() does; the system clock is what someone at the keyboard can set. It starts one second past a
 * whole minute, so a 2 s wait stored as its end rounded up to the minute looks like 59 s to a fresh reader.
 */
function movedTime() {
  let now = 0;
  let wallAtZero = Date.UTC(2026, 11, 1, 9, 0, 1);
  return {
    /** Time passing: every clock moves. */
    pass: (ms: number) => {
      now += ms;
    },
    /** The system clock set forward (only it moves). */
    setClockForward: (ms: number) => {
      wallAtZero += ms;
    },
    /** A new worker's clocks. */
    clocks: (): Clocks => {
      const startedAt = now;
      return { wall: () => wallAtZero + now, monotonic: () => now - startedAt };
    },
  };
}

/** Three wrong passphrases typed again in Settings of the unlocked vault: a 2 s wait begins. */
async function startTwoSecondWait(runner: VaultRunner) {
  const vault = runner.current().client;
  for (const attempt of [1, 2, 3])
    expect(await codeOf(vault.replaceRecoveryKey(bytes(`not the passphrase ${attempt}`)))).toBe('wrong-secret');
  expect((await vault.status()).retryAfterMs).toBe(2000);
}

describe('the unlock back-off across the worker restart at lock', () => {
  it('a lock with the system clock set forward does not skip the wait', async () => {
    const time = movedTime();
    const { runner, workers } = realRunner(time.clocks);
    await runner.createVault(bytes(PASSPHRASE));
    await startTwoSecondWait(runner);

    // An hour forward, then a lock: the new worker's monotonic clock starts at zero, and by the system clock
    // the stored end of the wait is long past.
    time.setClockForward(60 * 60 * 1000);
    await runner.lock();
    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    const fresh = runner.current().client;
    expect((await fresh.status()).retryAfterMs).toBeGreaterThan(1900);
    expect(await codeOf(fresh.unlock(bytes(PASSPHRASE)))).toBe('backoff');

    time.pass(2000);
    expect(await codeOf(fresh.unlock(bytes(PASSPHRASE)))).toBe('no error');
  });

  it('a lock does not stretch the wait to what the stored, rounded-up end allows', async () => {
    const time = movedTime();
    const { runner, workers } = realRunner(time.clocks);
    await runner.createVault(bytes(PASSPHRASE));
    await startTwoSecondWait(runner);

    time.pass(1500);
    await runner.lock();
    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    const fresh = runner.current().client;
    expect((await fresh.status()).retryAfterMs).toBeLessThanOrEqual(500);
    time.pass(600);
    // 2.1 s after the third wrong passphrase: the wait is over, though the stored end is a minute away.
    expect(await codeOf(fresh.unlock(bytes(PASSPHRASE)))).toBe('no error');
  });
});
