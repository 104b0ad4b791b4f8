/**
 * The vault worker: the only place that holds keys, talks to IndexedDB and
 * calls libsodium. The UI reaches it only through the RPC API.
 */
import { expose } from 'comlink';
import type { EngineHealth } from '../api';
import { installVaultErrorSerialization } from './rpc-errors';
import { runSelfTest } from './self-test';
import { VaultDatabase } from './storage/database';
import { createVaultService } from './vault-service';

const selfTest: Promise<EngineHealth> = runSelfTest();

installVaultErrorSerialization();
expose(createVaultService(new VaultDatabase(), { health: () => selfTest }));
