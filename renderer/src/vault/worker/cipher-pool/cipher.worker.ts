/**
 * A cipher worker of the vault worker's pool (pool.ts): it seals and opens
 * document chunks with the one content key each job brings, and wipes that
 * key when the job ends. Only the vault worker starts it or talks to it.
 */
import { expose, transfer } from 'comlink';
import sodium from 'libsodium-wrappers-sumo';
import { installVaultErrorSerialization } from '../rpc-errors';
import { createCipherJobs, type CipherWorkerApi } from './pool';

// Listen at once (messages sent before a listener exists are lost); each job waits for libsodium.
const ready = sodium.ready;
installVaultErrorSerialization();
const jobs = createCipherJobs();
const moveOut = (arrays: Uint8Array[]) =>
  transfer(
    arrays,
    arrays.map((array) => array.buffer),
  );
const api: CipherWorkerApi = {
  async sealChunks(job) {
    await ready;
    return moveOut(jobs.sealChunks(job));
  },
  async openChunks(job) {
    await ready;
    return moveOut(jobs.openChunks(job));
  },
};
expose(api);
