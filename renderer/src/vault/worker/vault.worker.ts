/**
 * The vault worker: the only place that holds keys, talks to IndexedDB and
 * encrypts. The UI reaches it only through the RPC API. Its one helper, the
 * hash worker, computes SHA-256 of incoming files and never sees a key.
 */
import { expose } from 'comlink';
import type { EngineHealth } from '../api';
import { workerSha256 } from './content-hash';
import { installVaultErrorSerialization } from './rpc-errors';
import { runSelfTest } from './self-test';
import { VaultDatabase } from './storage/database';
import { createVaultService } from './vault-service';

const selfTest: Promise<EngineHealth> = runSelfTest();

const startHashWorker = () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' });

installVaultErrorSerialization();
expose(
  createVaultService(new VaultDatabase(), { health: () => selfTest, sha256Stream: workerSha256(startHashWorker) }),
);
