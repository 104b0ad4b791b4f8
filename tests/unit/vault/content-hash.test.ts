import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHashWorkerApi, inlineSha256, workerSha256 } from '../../../renderer/src/vault/worker/content-hash';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const bytes = (text: string) => new TextEncoder().encode(text);

/** A stand-in for `new Worker(...)`: the hash worker's API on the other end of a MessageChannel. */
function fakeHashWorker() {
  const channel = new MessageChannel();
  const api = createHashWorkerApi();
  expose(api, channel.port2);
  const errors = new EventTarget();
  const port = channel.port1;
  port.start();
  return {
    postMessage: (message: unknown, transfer: Transferable[]) => port.postMessage(message, transfer),
    addEventListener: (type: string, listener: EventListener) =>
      type === 'error' ? errors.addEventListener(type, listener) : port.addEventListener(type, listener),
    removeEventListener: (type: string, listener: EventListener) => port.removeEventListener(type, listener),
    close: () => port.close(),
    crash: () => errors.dispatchEvent(new Event('error')),
  };
}

beforeAll(async () => {
  await sodium.ready;
});

describe('content hashing', () => {
  it('gives the standard SHA-256 however the bytes are split, inline or in the hash worker', async () => {
    const inline = inlineSha256();
    inline.update(bytes('a'));
    inline.update(bytes('bc'));
    expect(await inline.digest()).toBe(ABC_SHA256);

    const streams = workerSha256(() => fakeHashWorker() as unknown as Worker);
    const first = streams();
    const second = streams();
    first.update(bytes('ab'));
    second.update(bytes('a'));
    first.update(bytes('c'));
    const buffer = bytes('bc');
    second.update(buffer);
    buffer.fill(0); // the stream took a copy
    expect(await first.digest()).toBe(ABC_SHA256);
    expect(await second.digest()).toBe(ABC_SHA256);
  });

  it('fails the digest instead of hanging when the hash worker dies', async () => {
    let worker: ReturnType<typeof fakeHashWorker> | undefined;
    const streams = workerSha256(() => {
      worker = fakeHashWorker();
      worker.close(); // nothing will ever answer
      return worker as unknown as Worker;
    });
    const stream = streams();
    stream.update(bytes('abc'));
    const digest = stream.digest();
    worker!.crash();
    await expect(digest).rejects.toMatchObject({ code: 'engine-failed' });
  });
});
