import { wrap, type Remote } from 'comlink';
import type { VaultWorkerApi } from './api';

export type VaultClient = Remote<VaultWorkerApi>;

/** A running vault worker: the client is the UI's only way in; stop ends the worker and everything in it. */
export interface VaultConnection {
  client: VaultClient;
  stop: () => void;
}

/**
 * How long a stopped worker still answers: calls under way when it was
 * locked get their answer ("locked") and clean up (a file being attached is
 * closed, a bundle being written is removed) instead of waiting forever.
 */
const STOP_GRACE_MS = 3000;

/** Starts a vault worker. */
export function connectVault(): VaultConnection {
  const worker = new Worker(new URL('./worker/vault.worker.ts', import.meta.url), {
    type: 'module',
    name: 'vault',
  });
  return {
    client: wrap<VaultWorkerApi>(worker),
    stop: () => {
      setTimeout(() => worker.terminate(), STOP_GRACE_MS);
    },
  };
}

/** Starts a vault worker that lives as long as the page (benchmarks). */
export function startVaultWorker(): VaultClient {
  return connectVault().client;
}

/** The code of an error thrown by the vault worker ('internal' if none). */
export function vaultErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'internal';
}

/** The non-sensitive detail a vault error carries, if any. */
export function vaultErrorDetail(error: unknown): string | undefined {
  const detail = (error as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' ? detail : undefined;
}

/** Reads a secret from an input as bytes and clears the field, so the
 * string lives as briefly as the browser allows. */
export function takeSecret(input: HTMLInputElement | null): Uint8Array {
  const bytes = new TextEncoder().encode(input?.value ?? '');
  if (input) input.value = '';
  return bytes;
}
