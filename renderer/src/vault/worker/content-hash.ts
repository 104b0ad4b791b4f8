import { wrap, transfer, type Remote } from 'comlink';
import { VaultError } from './crypto/errors';
import { newSha256, type Sha256Hasher } from './crypto/sha256';

/**
 * SHA-256 over a file's exact bytes, fed piece by piece. Hashing needs no
 * key, so it may run in a helper worker: that keeps it off the vault
 * worker, which is busy sealing and writing chunks at the same time.
 */
export interface Sha256Stream {
  /** Feeds the next bytes; the caller may reuse `bytes` afterwards. */
  update(bytes: Uint8Array): void;
  /** The hex digest of everything fed; the stream is finished. */
  digest(): Promise<string>;
  /** Drops the stream without a digest (cancel, failure). */
  dispose(): void;
}

export type Sha256StreamFactory = () => Sha256Stream;

/** Hashes in the calling thread (tests, and anywhere without workers). File bytes pass through wiped memory. */
export const inlineSha256: Sha256StreamFactory = () => {
  const hash = newSha256();
  return {
    update: (bytes) => hash.updateBytes(bytes),
    digest: () => Promise.resolve(hash.hexDigest()),
    dispose: () => hash.close(),
  };
};

/** What the hash worker does, callable directly (tests) or over Comlink. */
export function createHashWorkerApi() {
  const streams = new Map<number, Sha256Hasher>();
  return {
    update(id: number, bytes: Uint8Array): void {
      let hash = streams.get(id);
      if (hash === undefined) {
        hash = newSha256();
        streams.set(id, hash);
      }
      hash.updateBytes(bytes);
    },
    digest(id: number): string {
      const hash = streams.get(id) ?? newSha256();
      streams.delete(id);
      return hash.hexDigest();
    },
    dispose(id: number): void {
      streams.get(id)?.close();
      streams.delete(id);
    },
  };
}
type SyncHashApi = ReturnType<typeof createHashWorkerApi>;
/** The hash worker's API as seen across the worker boundary. */
export type HashWorkerApi = {
  [K in keyof SyncHashApi]: (...args: Parameters<SyncHashApi[K]>) => Promise<ReturnType<SyncHashApi[K]>>;
};

/**
 * Hashes in one helper worker shared by all intakes, started on first use.
 * Each update posts a copy of the bytes; messages keep their order, so the
 * digest covers every update sent before it.
 */
export function workerSha256(startWorker: () => Worker): Sha256StreamFactory {
  let remote: { api: Remote<HashWorkerApi>; crashed: Promise<never> } | null = null;
  let nextId = 1;
  function start() {
    const worker = startWorker();
    // Comlink never answers if the worker fails to load or dies: say so instead.
    const crashed = new Promise<never>((_, reject) =>
      worker.addEventListener('error', () => {
        remote = null;
        reject(new VaultError('engine-failed', 'The hashing worker stopped.'));
      }),
    );
    crashed.catch(() => undefined);
    return { api: wrap<HashWorkerApi>(worker), crashed };
  }
  return () => {
    remote ??= start();
    const { api: worker, crashed } = remote;
    const id = nextId++;
    let failed: unknown = null;
    return {
      update(bytes) {
        const copy = bytes.slice();
        worker.update(id, transfer(copy, [copy.buffer])).catch((error: unknown) => {
          failed ??= error;
        });
      },
      async digest() {
        const hex = await Promise.race([worker.digest(id), crashed]);
        if (failed !== null) throw new VaultError('engine-failed', 'Hashing the file failed.');
        return hex;
      },
      dispose() {
        void worker.dispose(id).catch(() => undefined);
      },
    };
  };
}
