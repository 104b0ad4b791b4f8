import { transfer, wrap, type Remote } from 'comlink';
import { VaultError, type VaultErrorCode } from '../crypto/errors';
import { openChunks, sealChunks, type BlobShape, type PlainChunk, type SealedChunk } from './chunk-cipher';

/**
 * Document chunks sealed and opened on every core.
 *
 * The vault worker starts these cipher workers and nothing else does (the
 * page cannot reach them). A job carries one blob's content key, a copy
 * made for that job alone and moved (transferred, not copied) into the
 * worker, which wipes it when the job ends; a worker therefore holds one
 * key at a time and none between jobs. Records keys, the master key and
 * identity keys never leave the vault worker. The pool is ended at lock.
 */
export interface CipherPool {
  /** Workers the pool runs jobs on (1 for the inline pool). */
  readonly size: number;
  /**
   * Seals chunks of one blob with `key` (which stays the caller's). The
   * chunks' plaintext arrays are taken: they are moved to the worker and
   * wiped there.
   */
  sealChunks(key: Uint8Array, blobId: string, chunkCount: number, chunks: PlainChunk[]): Promise<Uint8Array[]>;
  /** Opens stored chunks of one blob with `key` (which stays the caller's); the envelopes are taken. */
  openChunks(key: Uint8Array, blob: BlobShape, chunks: SealedChunk[]): Promise<Uint8Array[]>;
  /**
   * Ends the workers and closes the pool (at lock, at a re-key): jobs under
   * way fail, and later jobs are refused as `locked` (their key copy and
   * plaintext wiped) until `reopen`.
   */
  terminate(): void;
  /** Takes jobs again (a new session). */
  reopen(): void;
}

/** What a cipher worker does, callable in-process (the inline pool, tests) or over Comlink. */
export function createCipherJobs() {
  return {
    sealChunks(job: { key: Uint8Array; blobId: string; chunkCount: number; chunks: PlainChunk[] }): Uint8Array[] {
      return sealChunks(job.key, job.blobId, job.chunkCount, job.chunks);
    },
    openChunks(job: { key: Uint8Array; blob: BlobShape; chunks: SealedChunk[] }): Uint8Array[] {
      return openChunks(job.key, job.blob, job.chunks);
    },
  };
}
type CipherJobs = ReturnType<typeof createCipherJobs>;
/** A cipher worker's API across the worker boundary. */
export type CipherWorkerApi = {
  [K in keyof CipherJobs]: (...args: Parameters<CipherJobs[K]>) => Promise<ReturnType<CipherJobs[K]>>;
};

/** Runs the jobs in the calling thread: for Node (tests) and anywhere without workers. */
export function inlineCipherPool(): CipherPool {
  const jobs = createCipherJobs();
  // The key is copied at the call, as the worker pool does: the caller may wipe its own right after.
  return {
    size: 1,
    sealChunks(key, blobId, chunkCount, chunks) {
      const copy = key.slice();
      return Promise.resolve().then(() => jobs.sealChunks({ key: copy, blobId, chunkCount, chunks }));
    },
    openChunks(key, blob, chunks) {
      const copy = key.slice();
      return Promise.resolve().then(() => jobs.openChunks({ key: copy, blob, chunks }));
    },
    terminate: () => undefined,
    reopen: () => undefined,
  };
}

/** cores − 1, at least 1: one core stays for the vault worker, IndexedDB and the page. */
export function defaultCipherPoolSize(cores: number | undefined): number {
  return Math.max(1, Math.min(8, (cores ?? 2) - 1));
}

/** A worker's VaultError arrives as a plain Error carrying its code (rpc-errors.ts): made a VaultError again. */
function asVaultError(error: unknown): VaultError {
  if (error instanceof VaultError) return error;
  const { code, message, detail } = (error ?? {}) as { code?: unknown; message?: unknown; detail?: unknown };
  if (typeof code === 'string' && code !== 'internal' && typeof message === 'string')
    return new VaultError(code as VaultErrorCode, message, typeof detail === 'string' ? detail : undefined);
  return new VaultError('engine-failed', 'An encryption worker failed.');
}

interface PoolWorker {
  worker: Worker;
  api: Remote<CipherWorkerApi>;
  /** Rejects when the worker fails to load, dies or is ended: Comlink alone would wait for ever. */
  failed: Promise<never>;
  stop(reason: VaultError): void;
  jobs: number;
}

/** A pool of `size` cipher workers, started on first use, each job sent to the least busy one. */
export function workerCipherPool(startWorker: () => Worker, size: number): CipherPool {
  let workers: PoolWorker[] = [];
  let closed = false;

  function start(): PoolWorker {
    const worker = startWorker();
    let reject: (reason: VaultError) => void = () => undefined;
    const failed = new Promise<never>((_, fail) => (reject = fail));
    failed.catch(() => undefined);
    const entry: PoolWorker = {
      worker,
      api: wrap<CipherWorkerApi>(worker),
      failed,
      stop(reason) {
        workers = workers.filter((other) => other !== entry);
        worker.terminate(); // its memory, and the one key it may hold, go with it
        reject(reason);
      },
      jobs: 0,
    };
    // A worker that fails to load or dies, or a reply that cannot be read: its jobs fail, never wait for ever.
    const stopped = () => entry.stop(new VaultError('engine-failed', 'An encryption worker stopped.'));
    worker.addEventListener('error', stopped);
    worker.addEventListener('messageerror', stopped);
    workers.push(entry);
    return entry;
  }

  function leastBusy(): PoolWorker {
    if (workers.length < size) {
      const idle = workers.find((entry) => entry.jobs === 0);
      if (idle) return idle;
      return start();
    }
    return workers.reduce((best, entry) => (entry.jobs < best.jobs ? entry : best));
  }

  /**
   * Runs a job whose buffers `moved` (a key copy, plaintexts or envelopes)
   * go to the worker. If they never leave (a closed pool, a worker that
   * cannot start, a message that cannot be sent), they are wiped here.
   */
  async function run<T>(moved: Uint8Array[], job: (api: Remote<CipherWorkerApi>) => Promise<T>): Promise<T> {
    let entry: PoolWorker | null = null;
    try {
      if (closed) throw new VaultError('locked', 'The vault was locked.');
      entry = leastBusy();
      entry.jobs += 1;
      return await Promise.race([job(entry.api), entry.failed]);
    } catch (error) {
      for (const array of moved) if (array.byteLength > 0) array.fill(0); // still here: not transferred
      throw asVaultError(error);
    } finally {
      if (entry) entry.jobs -= 1;
    }
  }

  return {
    size,
    sealChunks(key, blobId, chunkCount, chunks) {
      const copy = key.slice();
      const moved = [copy, ...chunks.map(({ plain }) => plain)];
      return run(moved, (api) =>
        api.sealChunks(
          transfer(
            { key: copy, blobId, chunkCount, chunks },
            moved.map(({ buffer }) => buffer),
          ),
        ),
      );
    },
    openChunks(key, blob, chunks) {
      const copy = key.slice();
      const moved = [copy, ...chunks.map(({ env }) => env)];
      return run(moved, (api) =>
        api.openChunks(
          transfer(
            { key: copy, blob, chunks },
            moved.map(({ buffer }) => buffer),
          ),
        ),
      );
    },
    terminate() {
      closed = true;
      for (const entry of [...workers]) entry.stop(new VaultError('locked', 'The vault was locked.'));
    },
    reopen() {
      closed = false;
    },
  };
}
