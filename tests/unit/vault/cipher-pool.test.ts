import { expose, transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  defaultCipherPoolSize,
  inlineCipherPool,
  newChunkBuffer,
  workerCipherPool,
  type CipherPool,
} from '../../../renderer/src/vault/worker/cipher-pool';
import { createCipherJobs } from '../../../renderer/src/vault/worker/cipher-pool/pool';
import { installVaultErrorSerialization } from '../../../renderer/src/vault/worker/rpc-errors';

beforeAll(async () => {
  await sodium.ready;
  installVaultErrorSerialization();
});

/**
 * A stand-in for a cipher worker: the real job code behind a MessageChannel,
 * so messages are structured-cloned and transferred as between threads.
 */
class FakeWorker {
  readonly port: MessagePort;
  private readonly inside: MessagePort;
  terminated = false;
  /** The byte length of each buffer a message moved, as sent (moved buffers read 0 afterwards). */
  readonly transferred: number[][] = [];
  private readonly errorListeners: (() => void)[] = [];

  constructor(options: { hang?: boolean } = {}) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.inside = port2;
    const jobs = createCipherJobs();
    const moveOut = (arrays: Uint8Array[]) =>
      transfer(
        arrays,
        arrays.map((array) => array.buffer),
      );
    const never = new Promise<never>(() => undefined);
    expose(
      {
        sealChunks: (job: Parameters<typeof jobs.sealChunks>[0]) =>
          options.hang ? never : moveOut(jobs.sealChunks(job)),
        openChunks: (job: Parameters<typeof jobs.openChunks>[0]) =>
          options.hang ? never : moveOut(jobs.openChunks(job)),
      },
      port2 as unknown as Parameters<typeof expose>[1],
    );
  }
  postMessage(message: unknown, transferList: Transferable[] = []) {
    this.transferred.push((transferList as ArrayBuffer[]).map((buffer) => buffer.byteLength));
    this.port.postMessage(message, transferList as never);
  }
  addEventListener(type: string, listener: () => void) {
    if (type === 'error') this.errorListeners.push(listener);
    else this.port.addEventListener(type, listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.port.removeEventListener(type, listener);
  }
  start() {
    this.port.start();
  }
  crash() {
    for (const listener of this.errorListeners) listener();
  }
  terminate() {
    this.terminated = true;
    this.port.close();
    this.inside.close();
  }
}

function pool(size: number, options: { hang?: boolean } = {}) {
  const started: FakeWorker[] = [];
  const cipher = workerCipherPool(() => {
    const worker = new FakeWorker(options);
    started.push(worker);
    return worker as unknown as Worker;
  }, size);
  return { cipher, started };
}

function chunkOf(text: string, size = text.length): { plain: Uint8Array; length: number } {
  const plain = newChunkBuffer(size, 0);
  plain.set(new TextEncoder().encode(text));
  return { plain, length: text.length };
}

async function roundTrip(cipher: CipherPool) {
  const key = sodium.randombytes_buf(32);
  const keyBefore = key.slice();
  const first = chunkOf('Hearing of 3 March: the accused was not allowed counsel.');
  const [env] = await cipher.sealChunks(key, 'blob-1', 1, [{ index: 0, ...first }]);
  expect(key).toEqual(keyBefore); // the caller's key stays the caller's
  const shape = { blobId: 'blob-1', size: first.length, chunkCount: 1 };
  const [plain] = await cipher.openChunks(key, shape, [{ index: 0, env: env!.slice() }]);
  expect(new TextDecoder().decode(plain)).toBe('Hearing of 3 March: the accused was not allowed counsel.');
  await expect(
    cipher.openChunks(key, { ...shape, blobId: 'blob-2' }, [{ index: 0, env: env!.slice() }]),
  ).rejects.toMatchObject({
    code: 'record-tampered',
  });
  const tampered = env!.slice();
  tampered[40]! ^= 1;
  await expect(cipher.openChunks(key, shape, [{ index: 0, env: tampered }])).rejects.toMatchObject({
    code: 'record-tampered',
  });
  return { env: env!, first };
}

describe('cipher pool', () => {
  it('is sized cores − 1, at least one', () => {
    expect(defaultCipherPoolSize(undefined)).toBe(1);
    expect(defaultCipherPoolSize(1)).toBe(1);
    expect(defaultCipherPoolSize(2)).toBe(1);
    expect(defaultCipherPoolSize(8)).toBe(7);
  });

  it('seals and opens inline: padded to 256 KiB, bound to its blob, the plaintext wiped once sealed', async () => {
    const { env, first } = await roundTrip(inlineCipherPool());
    expect(env.byteLength).toBe(24 + 256 * 1024 + 16);
    expect(first.plain.every((byte) => byte === 0)).toBe(true);
  });

  it('seals and opens in workers: key and plaintext moved, not copied, and the key copy is not the caller’s', async () => {
    const { cipher, started } = pool(2);
    const { first } = await roundTrip(cipher);
    expect(first.plain.byteLength).toBe(0); // detached: it went to the worker, which wiped it
    const [firstCall] = started[0]!.transferred;
    expect(firstCall).toEqual([32, 256 * 1024]);
    cipher.terminate();
  });

  it('spreads concurrent jobs over its workers and starts no more than its size', async () => {
    const { cipher, started } = pool(2);
    const key = sodium.randombytes_buf(32);
    const jobs = Array.from({ length: 6 }, (_, index) =>
      cipher.sealChunks(key, 'blob-big', 6, [
        { index, plain: new Uint8Array(CHUNK_SIZE).fill(index), length: CHUNK_SIZE },
      ]),
    );
    const sealed = await Promise.all(jobs);
    expect(started).toHaveLength(2);
    expect(started.every((worker) => worker.transferred.length >= 2)).toBe(true);
    const opened = await cipher.openChunks(
      key,
      { blobId: 'blob-big', size: 6 * CHUNK_SIZE, chunkCount: 6 },
      sealed.map(([env], index) => ({ index, env: env! })),
    );
    expect(opened.map((plain) => plain[CHUNK_SIZE - 1])).toEqual([0, 1, 2, 3, 4, 5]);
    cipher.terminate();
  });

  it('ends its workers at lock: jobs under way fail as locked, later ones are refused until it reopens', async () => {
    const hanging = pool(1, { hang: true });
    const key = sodium.randombytes_buf(32);
    const pending = hanging.cipher.sealChunks(key, 'b', 1, [{ index: 0, ...chunkOf('x') }]);
    hanging.cipher.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'locked' });
    expect(hanging.started[0]!.terminated).toBe(true);

    const { cipher, started } = pool(1);
    cipher.terminate();
    const refused = chunkOf('Statement of the witness');
    await expect(cipher.sealChunks(key, 'b', 1, [{ index: 0, ...refused }])).rejects.toMatchObject({ code: 'locked' });
    expect(started).toHaveLength(0); // no worker started, so no key went anywhere
    expect(refused.plain.every((byte) => byte === 0)).toBe(true); // the plaintext it was given is wiped
    cipher.reopen();
    await roundTrip(cipher);
    expect(started).toHaveLength(1);
    cipher.terminate();
  });

  it('says so when a worker dies, and carries on with a new one', async () => {
    const { cipher, started } = pool(1, { hang: true });
    const key = sodium.randombytes_buf(32);
    const pending = cipher.sealChunks(key, 'b', 1, [{ index: 0, ...chunkOf('x') }]);
    started[0]!.crash();
    await expect(pending).rejects.toMatchObject({ code: 'engine-failed' });
    expect(started[0]!.terminated).toBe(true);
    const again = cipher.sealChunks(key, 'b', 1, [{ index: 0, ...chunkOf('x') }]);
    expect(started).toHaveLength(2);
    cipher.terminate();
    await expect(again).rejects.toMatchObject({ code: 'locked' });
  });

  it('refuses a malformed chunk and still wipes the key and plaintext it was given', () => {
    const jobs = createCipherJobs();
    const key = sodium.randombytes_buf(32);
    const plain = new Uint8Array(10).fill(7);
    expect(() =>
      jobs.sealChunks({ key, blobId: 'b', chunkCount: 1, chunks: [{ index: 0, plain, length: 10 }] }),
    ).toThrow(/malformed/);
    expect(key.every((byte) => byte === 0)).toBe(true);
    expect(plain.every((byte) => byte === 0)).toBe(true);
  });
});
