/**
 * Computes SHA-256 of files being taken in, beside the vault worker. It holds
 * no key and sees only bytes the vault worker sends it.
 */
import { expose } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { createHashWorkerApi } from './content-hash';
import { prepareFastSha256 } from './crypto/sha256';

// Listen at once (messages sent before a listener exists are lost); each call
// waits for libsodium, and calls still run in the order they were sent.
const ready = Promise.all([sodium.ready, prepareFastSha256()]);
const api = createHashWorkerApi();
expose({
  async update(id: number, bytes: Uint8Array) {
    await ready;
    api.update(id, bytes);
  },
  async digest(id: number) {
    await ready;
    return api.digest(id);
  },
  async dispose(id: number) {
    await ready;
    api.dispose(id);
  },
});
