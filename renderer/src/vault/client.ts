import { wrap, type Remote } from 'comlink';
import type { VaultWorkerApi } from './api';

export type VaultClient = Remote<VaultWorkerApi>;

/**
 * Starts the vault worker; the returned client is the UI's only way in.
 * `cipherWorkers` sizes its cipher pool (benchmarks compare sizes); by
 * default it is cores − 1. It travels in the worker's name, the one thing
 * a worker can read before its first message.
 */
export function startVaultWorker(options: { cipherWorkers?: number } = {}): VaultClient {
  const { cipherWorkers } = options;
  const worker = new Worker(new URL('./worker/vault.worker.ts', import.meta.url), {
    type: 'module',
    name: cipherWorkers === undefined ? 'vault' : `vault cipher-workers=${cipherWorkers}`,
  });
  return wrap<VaultWorkerApi>(worker);
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
