/** Where Argon2id runs (crypto/kdf.ts, crypto/kdf-in-worker.ts): this thread by default, or a short-lived worker. */
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deriveKeyEncryptionKey,
  inThisThread,
  setKdfRunner,
  type KdfParams,
} from '../../../renderer/src/vault/worker/crypto/kdf';
import {
  answerKdfRequest,
  inShortLivedWorker,
  type KdfRequest,
  type KdfWorker,
} from '../../../renderer/src/vault/worker/crypto/kdf-in-worker';
import { codeOfRejection } from '../../support/rejection';

const MiB = 1024 * 1024;
const PASSPHRASE = 'orchid lantern 47 granite meadow';
const passphrase = () => new TextEncoder().encode(PASSPHRASE);
let params: KdfParams;

beforeAll(async () => {
  await sodium.ready;
  params = { algorithm: 'argon2id13', opsLimit: 3, memLimit: 64 * MiB, salt: sodium.randombytes_buf(16) };
});

afterEach(() => setKdfRunner(inThisThread));

const expected = () =>
  sodium.crypto_pwhash(32, passphrase(), params.salt, 3, 64 * MiB, sodium.crypto_pwhash_ALG_ARGON2ID13);
const wiped = (bytes: Uint8Array) => bytes.every((byte) => byte === 0);

type Answer = 'derive' | 'fail' | 'error-event' | 'messageerror' | 'short key';

/**
 * A Worker as the runner sees it, in Node. Messages cross as a real worker's do (structuredClone, with the
 * transfer list: a transferred buffer is detached on the sending side); the worker's side is the real
 * answerKdfRequest, unless `answer` says to fail.
 */
class FakeKdfWorker implements KdfWorker {
  readonly listeners = new Map<string, ((event: Event) => void)[]>();
  sent: KdfRequest | null = null;
  transferred: Transferable[] = [];
  /** The passphrase bytes as the worker's side received them. */
  received: Uint8Array | null = null;
  terminated = 0;

  constructor(private readonly answer: Answer) {}

  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  postMessage(message: KdfRequest, transfer: Transferable[]) {
    this.sent = message;
    this.transferred = transfer;
    const arrived = structuredClone(message, { transfer: transfer as ArrayBuffer[] });
    this.received = new Uint8Array(arrived.passphrase);
    setTimeout(() => this.respond(arrived), 0);
  }

  terminate() {
    this.terminated += 1;
  }

  private respond(arrived: KdfRequest) {
    if (this.answer === 'error-event') return this.dispatch('error', new Event('error', { cancelable: true }));
    if (this.answer === 'messageerror') return this.dispatch('messageerror', new MessageEvent('messageerror'));
    const { reply, transfer } =
      this.answer === 'fail'
        ? { reply: { failed: true }, transfer: [] }
        : this.answer === 'short key'
          ? { reply: { key: new ArrayBuffer(16) }, transfer: [] }
          : answerKdfRequest(arrived);
    this.dispatch(
      'message',
      new MessageEvent('message', { data: structuredClone(reply, { transfer: transfer as ArrayBuffer[] }) }),
    );
  }

  private dispatch(type: string, event: Event) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function fakeWorkers(answer: Answer) {
  const started: FakeKdfWorker[] = [];
  setKdfRunner(
    inShortLivedWorker(() => {
      const worker = new FakeKdfWorker(answer);
      started.push(worker);
      return worker;
    }),
  );
  return started;
}

describe('key derivation in this thread (the default: CLI, tests)', () => {
  it('derives Argon2id and wipes the passphrase bytes', async () => {
    const secret = passphrase();
    expect(await deriveKeyEncryptionKey(secret, params)).toEqual(expected());
    expect(wiped(secret)).toBe(true);
  });

  it('refuses settings outside the safe range before any runner starts, and still wipes the passphrase', async () => {
    const started = fakeWorkers('derive');
    const secret = passphrase();
    expect(await codeOfRejection(deriveKeyEncryptionKey(secret, { ...params, memLimit: 8 * MiB }))).toBe(
      'kdf-params-refused',
    );
    expect(started).toHaveLength(0);
    expect(wiped(secret)).toBe(true);
  });
});

describe('key derivation in a short-lived worker (the vault worker)', () => {
  it('transfers a copy of the passphrase, gets the key back transferred, and terminates the worker', async () => {
    const started = fakeWorkers('derive');
    const secret = passphrase();
    const key = await deriveKeyEncryptionKey(secret, params);
    expect(key).toEqual(expected());
    expect(key.buffer.byteLength).toBe(32);
    const [worker] = started;
    expect(started).toHaveLength(1);
    expect(worker!.terminated).toBeGreaterThanOrEqual(1);
    // Transferred, not cloned: the buffer sent is detached here, and it was a copy of its own (not the caller's).
    expect(worker!.transferred).toEqual([worker!.sent!.passphrase]);
    expect(worker!.sent!.passphrase.byteLength).toBe(0);
    expect(secret.byteLength).toBe(PASSPHRASE.length);
    // Both sides wiped their passphrase bytes.
    expect(worker!.received!.byteLength).toBe(PASSPHRASE.length);
    expect(wiped(worker!.received!)).toBe(true);
    expect(wiped(secret)).toBe(true);
  });

  it('sends only what a derivation needs', async () => {
    const started = fakeWorkers('derive');
    await deriveKeyEncryptionKey(passphrase(), params);
    expect(Object.keys(started[0]!.sent!).sort()).toEqual(['memLimit', 'opsLimit', 'passphrase', 'salt']);
  });

  it.each<Answer>(['fail', 'error-event', 'messageerror', 'short key'])(
    'rejects with engine-failed when the worker answers %s, terminates it, and wipes the passphrase',
    async (answer) => {
      const started = fakeWorkers(answer);
      const secret = passphrase();
      expect(await codeOfRejection(deriveKeyEncryptionKey(secret, params))).toBe('engine-failed');
      expect(started[0]!.terminated).toBeGreaterThanOrEqual(1);
      expect(wiped(secret)).toBe(true);
    },
  );

  it('rejects with engine-failed when the worker cannot be started', async () => {
    setKdfRunner(
      inShortLivedWorker(() => {
        throw new Error('no workers here');
      }),
    );
    const secret = passphrase();
    expect(await codeOfRejection(deriveKeyEncryptionKey(secret, params))).toBe('engine-failed');
    expect(wiped(secret)).toBe(true);
  });

  it('the worker side wipes what it received also when the request is refused', () => {
    const bytes = passphrase();
    const { reply } = answerKdfRequest({ passphrase: bytes.buffer, salt: new Uint8Array(3), opsLimit: 3, memLimit: 1 });
    expect(reply).toEqual({ failed: true });
    expect(wiped(bytes)).toBe(true);
  });
});
