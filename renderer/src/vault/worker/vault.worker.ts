/**
 * The vault worker: the only place that holds keys, talks to IndexedDB and
 * encrypts. The UI reaches it only through the RPC API. Its helpers, which
 * only it starts and talks to: the hash worker computes SHA-256 of incoming
 * files and never sees a key; a KDF worker, started for each Argon2id
 * derivation and terminated once it answers, turns passphrase bytes into a
 * key-encryption key; the cipher pool (cores − 1 workers) seals and opens
 * document chunks, each job with the one content key it brings, and is
 * ended at every lock.
 */
import { expose } from 'comlink';
import type { EngineHealth } from '../api';
import { defaultCipherPoolSize, workerCipherPool } from './cipher-pool';
import { workerSha256 } from './content-hash';
import { setKdfRunner } from './crypto/kdf';
import { inShortLivedWorker } from './crypto/kdf-in-worker';
import { prepareFastSha256 } from './crypto/sha256';
import { installVaultErrorSerialization } from './rpc-errors';
import { runSelfTest } from './self-test';
import { VaultDatabase } from './storage/database';
import { createVaultService } from './vault-service';

const selfTest: Promise<EngineHealth> = runSelfTest();
void prepareFastSha256(); // bundles hash their items here; until it is ready, libsodium's hash does

const startHashWorker = () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' });
const startKdfWorker = () => new Worker(new URL('./crypto/kdf.worker.ts', import.meta.url), { type: 'module' });

setKdfRunner(inShortLivedWorker(startKdfWorker));

const startCipherWorker = () =>
  new Worker(new URL('./cipher-pool/cipher.worker.ts', import.meta.url), { type: 'module', name: 'cipher' });
const askedPoolSize = /cipher-workers=(\d)\b/.exec(self.name)?.[1];
const cipherPool = workerCipherPool(
  startCipherWorker,
  askedPoolSize ? Math.max(1, Number(askedPoolSize)) : defaultCipherPoolSize(navigator.hardwareConcurrency),
);

installVaultErrorSerialization();
expose(
  createVaultService(new VaultDatabase(), {
    health: () => selfTest,
    sha256Stream: workerSha256(startHashWorker),
    cipherPool,
  }),
);
