import { expose } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachFile, documentChunks } from '../../../renderer/src/documents/intake';
import type { PickedFile } from '../../../renderer/src/platform';
import type { VaultWorkerApi } from '../../../renderer/src/vault/api';
import { vaultErrorCode } from '../../../renderer/src/vault/client';
import { connectVault, type StoppableWorker } from '../../../renderer/src/vault/connection';
import type { DocumentRecord } from '../../../renderer/src/vault/model';
import { VaultRunner, type LockTiming } from '../../../renderer/src/vault/vault-runner';

type FakeApi = Partial<VaultWorkerApi>;

interface FakeWorker extends StoppableWorker {
  readonly terminated: boolean;
  readonly api: FakeApi;
}

const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/** A stand-in for `new Worker(...)`: `api` on the other end of a MessageChannel; terminate closes it. */
function fakeWorker(api: FakeApi): FakeWorker {
  const channel = new MessageChannel();
  expose(api, channel.port2);
  const port = channel.port1;
  port.start();
  openPorts.push(channel.port1, channel.port2);
  let terminated = false;
  return {
    api,
    get terminated() {
      return terminated;
    },
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer ?? []),
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
      port.addEventListener(type, listener),
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
      port.removeEventListener(type, listener),
    terminate: () => {
      terminated = true;
      channel.port2.close();
    },
  };
}

const never = <T>() => new Promise<T>(() => undefined);

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return vaultErrorCode(error);
  }
  return 'no error';
}

/** A runner whose every worker is a fake made by `apiFor` (the nth worker started, from 0). */
function fakeRunner(apiFor: (index: number) => FakeApi, timing?: Partial<LockTiming>) {
  const workers: FakeWorker[] = [];
  const runner = new VaultRunner(
    () =>
      connectVault(() => {
        const worker = fakeWorker({ unlock: () => Promise.resolve(), ...apiFor(workers.length) });
        workers.push(worker);
        return worker;
      }),
    timing,
  );
  return { runner, workers };
}

/** An unlock that succeeds: from then on the worker holds keys, and a lock ends it. */
const unlockThrough = (runner: VaultRunner) => runner.current().client.unlock(new Uint8Array(4));

const DOCUMENT = { caseId: 'c1', id: 'd1', size: 3 * 1024 * 1024 } as DocumentRecord;

describe('the vault connection when its worker ends', () => {
  it('rejects calls under way and every later call with `locked`, so a save in progress removes what it wrote', async () => {
    const chunkAsked = deferred<void>();
    const worker = fakeWorker({
      status: () => Promise.resolve({ state: 'unlocked', retryAfterMs: 0, failedAttempts: 0 }),
      readDocumentChunk: (_caseId, _id, index) => {
        if (index === 0) return Promise.resolve(new Uint8Array([1, 2, 3]));
        chunkAsked.resolve();
        return never();
      },
    });
    const connection = connectVault(() => worker);
    expect((await connection.client.status()).state).toBe('unlocked');

    // What DocumentsPanel's "Save a copy" does, with a sink that records what happened to it.
    const sink = {
      write: vi.fn((_bytes: Uint8Array) => Promise.resolve()),
      commit: vi.fn(),
      abort: vi.fn(() => Promise.resolve()),
    };
    const save = (async () => {
      try {
        for await (const chunk of documentChunks(connection.client, DOCUMENT)) await sink.write(chunk);
        await sink.commit();
        return 'saved';
      } catch (caught) {
        await sink.abort();
        return vaultErrorCode(caught);
      }
    })();
    await chunkAsked.promise;
    expect(sink.write).toHaveBeenCalledTimes(1);

    connection.stop();
    expect(worker.terminated).toBe(true);
    expect(connection.stopped).toBe(true);
    expect(await save).toBe('locked');
    expect(sink.abort).toHaveBeenCalledTimes(1);
    expect(sink.commit).not.toHaveBeenCalled();

    // Later calls are refused at once, without reaching the (ended) worker.
    const posted = vi.spyOn(worker, 'postMessage');
    expect(await codeOf(connection.client.status())).toBe('locked');
    expect(await codeOf(connection.client.lock())).toBe('locked');
    expect(posted).not.toHaveBeenCalled();
  });

  it('closes a picked file whose intake was under way, though the cleanup call itself is refused', async () => {
    const pieceSent = deferred<void>();
    const worker = fakeWorker({
      beginIntake: () => Promise.resolve('intake-1'),
      intakeChunk: () => {
        pieceSent.resolve();
        return never();
      },
      cancelIntake: () => never(),
    });
    const connection = connectVault(() => worker);
    const close = vi.fn(() => Promise.resolve());
    const file: PickedFile = {
      name: 'scan.pdf',
      size: 4,
      chunks: () =>
        (async function* () {
          yield await Promise.resolve(new Uint8Array([1, 2, 3, 4]));
        })(),
      close,
    };
    const attach = attachFile(connection.client, 'c1', file, () => undefined, new AbortController().signal);
    await pieceSent.promise;
    connection.stop();
    expect(await codeOf(attach)).toBe('locked');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('keeps answers that arrived before the stop, and drops a late one', async () => {
    const late = deferred<{ state: 'locked'; retryAfterMs: number; failedAttempts: number }>();
    const worker = fakeWorker({ status: () => late.promise });
    const connection = connectVault(() => worker);
    const call = connection.client.status();
    connection.stop();
    late.resolve({ state: 'locked', retryAfterMs: 0, failedAttempts: 0 });
    expect(await codeOf(call)).toBe('locked');
  });
});

describe('locks', () => {
  it('asked for twice at once (lid closed: suspend and lock-screen) end one worker and start exactly one', async () => {
    const flushing = deferred<void>();
    const lockCalls: number[] = [];
    const { runner, workers } = fakeRunner((index) => ({
      lock: () => {
        lockCalls.push(index);
        return Promise.resolve();
      },
    }));
    const first = runner.current();
    expect(first.generation).toBe(0);
    await unlockThrough(runner);
    const flush = vi.fn(() => flushing.promise);
    const suspend = runner.lock(flush);
    // The second request comes while the first is still saving drafts.
    const lockScreen = runner.lock(flush);
    flushing.resolve();
    await Promise.all([suspend, lockScreen]);

    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.terminated).toBe(false);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(lockCalls).toEqual([0]);
    expect(runner.current().generation).toBe(1);
    expect(runner.current().client).not.toBe(first.client);
    // The old client answers `locked` from now on; the new one is the only worker running.
    expect(await codeOf(first.client.lock())).toBe('locked');

    // A lock after that one ended is a lock of its own: still one worker running.
    await unlockThrough(runner);
    await runner.lock();
    expect(workers).toHaveLength(3);
    expect(workers.filter((worker) => !worker.terminated)).toEqual([workers[2]]);
  });

  it('end a worker that does not answer the lock, after the grace period', async () => {
    const { runner, workers } = fakeRunner(() => ({ lock: () => never() }), { lockGraceMs: 20, creationWaitMs: 20 });
    await unlockThrough(runner);
    await runner.lock();
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
  });

  it('notify subscribers once per new worker, and a failed save before the lock does not stop it', async () => {
    const { runner, workers } = fakeRunner(() => ({ lock: () => Promise.resolve() }));
    const listener = vi.fn();
    runner.subscribe(listener);
    await unlockThrough(runner);
    await Promise.all([runner.lock(() => Promise.reject(new Error('disk full'))), runner.lock()]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('keep a worker that never held a key (a lock at the unlock screen, after a wrong passphrase too)', async () => {
    const { runner, workers } = fakeRunner(() => ({
      lock: () => Promise.resolve(),
      unlock: () => Promise.reject(new Error('wrong passphrase')),
    }));
    await expect(unlockThrough(runner)).rejects.toThrow();
    await runner.lock();
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
    expect(runner.current().generation).toBe(0);
  });
});

describe('a save sent just before a lock', () => {
  it('is waited for, so what the user saved is kept; a read under way is not waited for', async () => {
    const saved = deferred<void>();
    const events: string[] = [];
    const { runner, workers } = fakeRunner(() => ({
      updateAnnotation: async () => {
        await saved.promise;
        events.push('saved');
        return {} as never;
      },
      listAnnotations: () => never(),
      lock: () => {
        events.push('locked');
        return Promise.resolve();
      },
    }));
    await unlockThrough(runner);
    const client = runner.current().client;
    const save = client.updateAnnotation('c1', 'a1', {} as never);
    const read = client.listAnnotations('c1');
    // Both requests reach the worker before the lock is asked for, as a click on Save does before Ctrl+L.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const locking = runner.lock();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([]);
    saved.resolve();
    await locking;
    expect(events).toEqual(['saved', 'locked']);
    await expect(save).resolves.toBeDefined();
    expect(await codeOf(read)).toBe('locked');
    expect(workers[0]!.terminated).toBe(true);
  });

  it('that never answers does not keep the vault open past the wait', async () => {
    const { runner, workers } = fakeRunner(() => ({ saveHearing: () => never(), lock: () => Promise.resolve() }), {
      saveWaitMs: 30,
    });
    await unlockThrough(runner);
    const save = runner.current().client.saveHearing('c1', null, {} as never);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await runner.lock();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(workers[0]!.terminated).toBe(true);
    expect(await codeOf(save)).toBe('locked');
  });
});

describe('a lock during vault creation', () => {
  it('lets the creation finish, then ends the worker and keeps the recovery key to show', async () => {
    const created = deferred<{ recoveryKey: string }>();
    const events: string[] = [];
    const { runner, workers } = fakeRunner((index) =>
      index === 0
        ? {
            createVault: () => created.promise,
            lock: () => {
              events.push('worker locked');
              return Promise.resolve();
            },
          }
        : { lock: () => Promise.resolve() },
    );
    const creating = runner.createVault(new TextEncoder().encode('orchid lantern 47 granite meadow'));
    const locking = runner.lock();
    // A creation asked for while the lock is under way is refused.
    expect(await codeOf(runner.createVault(new Uint8Array(4)))).toBe('locked');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers[0]!.terminated).toBe(false);
    expect(events).toEqual([]);

    created.resolve({ recoveryKey: 'ABCD-EFGH' });
    expect(await creating).toEqual({ recoveryKey: 'ABCD-EFGH' });
    await locking;
    expect(events).toEqual(['worker locked']);
    expect(workers[0]!.terminated).toBe(true);
    expect(runner.current().creation).toEqual({ outcome: 'created', recoveryKey: 'ABCD-EFGH' });

    // A second lock (the lid's other event) does not take the key off the screen; only the user does.
    await runner.lock();
    expect(runner.current().creation).toEqual({ outcome: 'created', recoveryKey: 'ABCD-EFGH' });
    runner.dismissCreation();
    expect(runner.current().creation).toBeNull();
  });

  it('tells the user when the creation failed, or did not finish in time', async () => {
    const failing = fakeRunner(() => ({
      createVault: () => Promise.reject(new Error('The passphrase is too easy to guess.')),
      lock: () => Promise.resolve(),
    })).runner;
    const creating = failing.createVault(new Uint8Array(4));
    await failing.lock();
    // The caller sees the worker's own refusal (here without a code: the fake worker has no error serialiser).
    expect(await codeOf(creating)).toBe('internal');
    expect(failing.current().creation).toEqual({ outcome: 'not-created' });

    const { runner: stuck, workers } = fakeRunner(() => ({ createVault: () => never(), lock: () => never() }), {
      lockGraceMs: 10,
      creationWaitMs: 30,
    });
    const hung = stuck.createVault(new Uint8Array(4));
    await stuck.lock();
    expect(stuck.current().creation).toEqual({ outcome: 'unknown' });
    expect(workers[0]!.terminated).toBe(true);
    expect(await codeOf(hung)).toBe('locked');
  });

  it('does not touch a creation that finished before the lock (its key is already on screen)', async () => {
    const { runner } = fakeRunner(() => ({
      createVault: () => Promise.resolve({ recoveryKey: 'KEY' }),
      lock: () => Promise.resolve(),
    }));
    await runner.createVault(new Uint8Array(4));
    await runner.lock();
    expect(runner.current().creation).toBeNull();
  });
});
