import 'fake-indexeddb/auto';
import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vaultErrorCode } from '../../renderer/src/vault/client';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { connectVault, type StoppableWorker } from '../../renderer/src/vault/connection';
import { VaultRunner } from '../../renderer/src/vault/vault-runner';
import { installVaultErrorSerialization } from '../../renderer/src/vault/worker/rpc-errors';
import { bytes, freshName, PASSPHRASE, vaultService } from '../support/vault-service';

const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/** Each "worker" is a real vault service over the same database, on the far side of a MessageChannel. */
function realRunner() {
  const name = freshName('lock-restart');
  const workers: { terminated: boolean }[] = [];
  const start = (): StoppableWorker => {
    const channel = new MessageChannel();
    expose(vaultService(name).vault, channel.port2);
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
