import { createSHA256, type IHasher } from 'hash-wasm';
import { Sha256InMemory, type SodiumArea } from './sodium-memory';

/**
 * SHA-256 of document bytes, the one hash that names evidence.
 *
 * libsodium's SHA-256 is portable C: about 130–180 MiB/s in WebAssembly on
 * the two-core laptops we measure on, slower than IndexedDB writes, so it
 * held back every bulk path (intake, bundle export and import). hash-wasm's
 * hand-tuned SHA-256 is about 1.8 times as fast (docs/benchmarks.md). Each
 * thread keeps a few of its instances, made ahead of time because making one
 * is asynchronous while the bundle code hashes synchronously; when none is
 * free, libsodium's hash is used: both give the same digest.
 *
 * File bytes pass through an instance's 16 KiB input buffer and its state
 * (the last partial block). Both are overwritten with zeros when a stream
 * ends, through hash-wasm's public calls, before the instance is reused.
 */
export interface Sha256Hasher {
  /** Hashes bytes that sit in libsodium's memory. */
  update(source: SodiumArea, offset: number, length: number): void;
  /** Hashes bytes from a JavaScript array. */
  updateBytes(bytes: Uint8Array): void;
  /** The hex digest; the hasher is then wiped and must not be used again. */
  hexDigest(): string;
  /** Drops the hasher without a digest (wiped). */
  close(): void;
}

const SPARE_INSTANCES = 4;
/** hash-wasm's input buffer (MAX_HEAP): a zero update of this size overwrites all of it. */
const INPUT_BUFFER_BYTES = 16 * 1024;
const ZEROS = new Uint8Array(INPUT_BUFFER_BYTES);

const spare: IHasher[] = [];
let preparing: Promise<void> | null = null;

/** Makes this thread's fast instances. Until it resolves (or if it fails), newSha256 uses libsodium. */
export function prepareFastSha256(): Promise<void> {
  preparing ??= (async () => {
    try {
      for (let made = spare.length; made < SPARE_INSTANCES; made++) spare.push(await createSHA256());
    } catch {
      // No WebAssembly compile allowed here, or out of memory: libsodium's hash does the work.
    }
  })();
  return preparing;
}

/** Zeroes the input buffer and the state (which holds the last partial block), then leaves it ready. */
function wipe(instance: IHasher): void {
  instance.init();
  instance.update(ZEROS);
  const state = instance.save();
  state.fill(0, 4); // the first 4 bytes name hash-wasm's build, which load checks
  instance.load(state);
  state.fill(0);
  instance.init();
}

class FastSha256 implements Sha256Hasher {
  private instance: IHasher | null;

  constructor(instance: IHasher) {
    this.instance = instance.init();
  }

  update(source: SodiumArea, offset: number, length: number): void {
    this.live().update(source.view(offset, length));
  }

  updateBytes(bytes: Uint8Array): void {
    this.live().update(bytes);
  }

  hexDigest(): string {
    const digest = this.live().digest('hex');
    this.close();
    return digest;
  }

  close(): void {
    if (this.instance === null) return;
    wipe(this.instance);
    spare.push(this.instance);
    this.instance = null;
  }

  private live(): IHasher {
    if (this.instance === null) throw new Error('This hash was already finished.');
    return this.instance;
  }
}

/** A new SHA-256 stream: the fast one if this thread has one free, libsodium's otherwise. */
export function newSha256(): Sha256Hasher {
  const instance = spare.pop();
  return instance === undefined ? new Sha256InMemory() : new FastSha256(instance);
}
