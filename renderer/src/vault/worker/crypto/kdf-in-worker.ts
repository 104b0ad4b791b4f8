import sodium from 'libsodium-wrappers-sumo';
import { VaultError } from './errors';
import { deriveKeyEncryptionKeyInThisThread, type KdfParams, type KdfRunner } from './kdf';

/**
 * Argon2id in a worker of its own, one per derivation: the vault worker
 * starts it, sends it a copy of the passphrase bytes, takes the key back and
 * terminates it. The WebAssembly memory Argon2id grows (256 MiB by default)
 * goes with that worker; in the vault worker it would stay for good.
 */

/** Vault worker → KDF worker. `passphrase` is a copy's buffer, transferred: nothing of it stays behind. */
export interface KdfRequest {
  passphrase: ArrayBuffer;
  salt: Uint8Array;
  opsLimit: number;
  memLimit: number;
}

/** KDF worker → vault worker: the 32-byte key in a buffer of its own, transferred; or a failure, no detail. */
export type KdfReply = { key: ArrayBuffer } | { failed: true };

/** What the runner uses of a Worker (tests give it a fake). */
export interface KdfWorker {
  postMessage(message: KdfRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

const KEY_BYTES = 32;

function engineFailed(): VaultError {
  return new VaultError('engine-failed', 'The key derivation worker failed.');
}

/** A runner that starts a KDF worker for each derivation and terminates it once it has answered or failed. */
export function inShortLivedWorker(startWorker: () => KdfWorker): KdfRunner {
  return (passphrase: Uint8Array, params: KdfParams) =>
    new Promise<Uint8Array>((resolve, reject) => {
      let worker: KdfWorker;
      try {
        worker = startWorker();
      } catch {
        reject(engineFailed());
        return;
      }
      let settled = false;
      const settle = (key: Uint8Array | null) => {
        worker.terminate();
        if (settled) {
          if (key) sodium.memzero(key);
          return;
        }
        settled = true;
        if (key) resolve(key);
        else reject(engineFailed());
      };
      worker.addEventListener('message', (event) => {
        const reply = (event as MessageEvent<unknown>).data as Partial<{ key: unknown }> | null;
        const key = reply?.key instanceof ArrayBuffer ? new Uint8Array(reply.key) : null;
        if (key && key.byteLength !== KEY_BYTES) sodium.memzero(key);
        settle(key?.byteLength === KEY_BYTES ? key : null);
      });
      // A worker that fails to load, throws, or sends what cannot be read: an error now, never a wait forever.
      const failed = (event: Event) => {
        event.preventDefault();
        settle(null);
      };
      worker.addEventListener('error', failed);
      worker.addEventListener('messageerror', failed);
      const copy = passphrase.slice();
      const request: KdfRequest = {
        passphrase: copy.buffer,
        salt: params.salt.slice(),
        opsLimit: params.opsLimit,
        memLimit: params.memLimit,
      };
      try {
        worker.postMessage(request, [copy.buffer]);
      } catch {
        copy.fill(0);
        settle(null);
      }
    });
}

/**
 * The KDF worker's side: derives the key the request asks for and wipes the
 * passphrase bytes it received. The reply's key is a fresh 32-byte buffer,
 * to transfer.
 */
export function answerKdfRequest(data: unknown): { reply: KdfReply; transfer: Transferable[] } {
  const request = data as Partial<KdfRequest> | null;
  const passphrase = request?.passphrase instanceof ArrayBuffer ? new Uint8Array(request.passphrase) : null;
  try {
    if (!passphrase || !(request?.salt instanceof Uint8Array)) return { reply: { failed: true }, transfer: [] };
    const { salt, opsLimit, memLimit } = request;
    if (typeof opsLimit !== 'number' || typeof memLimit !== 'number') return { reply: { failed: true }, transfer: [] };
    const derived = deriveKeyEncryptionKeyInThisThread(passphrase, {
      algorithm: 'argon2id13',
      salt,
      opsLimit,
      memLimit,
    });
    const key = new Uint8Array(KEY_BYTES);
    key.set(derived);
    sodium.memzero(derived);
    return { reply: { key: key.buffer }, transfer: [key.buffer] };
  } catch {
    return { reply: { failed: true }, transfer: [] };
  } finally {
    if (passphrase) sodium.memzero(passphrase);
  }
}
