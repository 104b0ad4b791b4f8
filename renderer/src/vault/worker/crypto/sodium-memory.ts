import sodium from 'libsodium-wrappers-sumo';
import { VaultError } from './errors';

/**
 * Bulk encryption inside libsodium's own WebAssembly memory.
 *
 * libsodium.js's wrappers copy every input into that memory, allocate a new
 * JavaScript array for every output, and free their copies without wiping
 * them. For records that is fine. For document bytes streamed through a
 * bundle it is neither fast (several allocations per 64 KiB: measured at a
 * third of the export's time in Chromium) nor clean (plaintext and key
 * copies left behind in freed memory). So the two bulk paths (bundle
 * chunks, and document chunks at rest) keep their keys, stream states and
 * working buffers in areas of that memory that they own, wipe them when
 * done, and copy out only the finished bytes.
 *
 * This file is the only one that calls the module's exported C functions.
 * Their signatures are libsodium's, with each 64-bit length passed as two
 * 32-bit halves (low, high), as Emscripten lowers them; the wrappers call
 * them the same way.
 */
interface SodiumModule {
  /** The whole memory (not shared); replaced when it grows, so read it anew after any call. */
  HEAPU8: Uint8Array<ArrayBuffer>;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _crypto_aead_xchacha20poly1305_ietf_encrypt(...args: number[]): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(...args: number[]): number;
  _crypto_secretstream_xchacha20poly1305_init_push(state: number, header: number, key: number): number;
  _crypto_secretstream_xchacha20poly1305_init_pull(state: number, header: number, key: number): number;
  _crypto_secretstream_xchacha20poly1305_push(...args: number[]): number;
  _crypto_secretstream_xchacha20poly1305_pull(...args: number[]): number;
  _crypto_hash_sha256_init(state: number): number;
  _crypto_hash_sha256_update(state: number, input: number, length: number, lengthHigh: 0): number;
  _crypto_hash_sha256_final(state: number, out: number): number;
}

function module(): SodiumModule {
  return (sodium as unknown as { libsodium: SodiumModule }).libsodium;
}

/** A region of libsodium's memory owned by one user: wiped before it is freed. */
export class SodiumArea {
  private freed = false;

  private constructor(
    readonly pointer: number,
    readonly size: number,
  ) {}

  /** A new area, zeroed: malloc hands back whatever the wrappers left in freed memory (records, key copies). */
  static allocate(size: number): SodiumArea {
    const area = SodiumArea.allocateToOverwrite(size);
    area.wipe();
    return area;
  }

  /**
   * A new area not zeroed, for a caller that writes every byte of it before
   * reading any (an input copied in, a decryption's output): it saves a pass
   * over each megabyte on the hot paths.
   */
  static allocateToOverwrite(size: number): SodiumArea {
    const pointer = module()._malloc(Math.max(1, size));
    if (pointer === 0) throw new VaultError('engine-failed', 'The encryption engine is out of memory.');
    return new SodiumArea(pointer, size);
  }

  /** Bytes of the area. Valid only until the next libsodium call, which may move the memory. */
  view(offset = 0, length = this.size - offset): Uint8Array {
    this.check(offset, length);
    return module().HEAPU8.subarray(this.pointer + offset, this.pointer + offset + length);
  }

  write(bytes: Uint8Array, offset = 0): void {
    this.check(offset, bytes.byteLength);
    module().HEAPU8.set(bytes, this.pointer + offset);
  }

  /** A copy, in a new JavaScript array, of `length` bytes at `offset`. */
  copyOut(offset: number, length: number): Uint8Array {
    this.check(offset, length);
    return module().HEAPU8.slice(this.pointer + offset, this.pointer + offset + length);
  }

  /** Moves bytes within this area, or from another one (both stay in libsodium's memory: no allocation). */
  copyFrom(source: SodiumArea, sourceOffset: number, length: number, offset: number): void {
    source.check(sourceOffset, length);
    this.check(offset, length);
    const start = source.pointer + sourceOffset;
    module().HEAPU8.copyWithin(this.pointer + offset, start, start + length);
  }

  wipe(offset = 0, length = this.size - offset): void {
    this.check(offset, length);
    module().HEAPU8.fill(0, this.pointer + offset, this.pointer + offset + length);
  }

  /** Wipes and frees; using the area afterwards throws. Freeing twice does nothing. */
  free(): void {
    if (this.freed) return;
    this.wipe();
    module()._free(this.pointer);
    this.freed = true;
  }

  /** The address of `offset` within the area, checked. */
  at(offset: number, length = 0): number {
    this.check(offset, length);
    return this.pointer + offset;
  }

  private check(offset: number, length: number): void {
    if (this.freed) throw new VaultError('locked', 'This encryption buffer was closed.');
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0)
      throw new RangeError('SodiumArea: bad range');
    if (offset + length > this.size) throw new RangeError('SodiumArea: range past the end');
  }
}

/** Small inputs (nonce, associated data, key) placed in a scratch area for one call, wiped after. */
function withInputs<T>(inputs: Uint8Array[], work: (pointers: number[]) => T): T {
  const size = inputs.reduce((sum, input) => sum + input.byteLength, 0);
  const scratch = SodiumArea.allocateToOverwrite(size);
  try {
    let offset = 0;
    const pointers = inputs.map((input) => {
      scratch.write(input, offset);
      const pointer = scratch.at(offset, input.byteLength);
      offset += input.byteLength;
      return pointer;
    });
    return work(pointers);
  } finally {
    scratch.free();
  }
}

export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;

/**
 * XChaCha20-Poly1305-IETF over `length` bytes at `plain`+`plainOffset`,
 * written to `sealed`+`sealedOffset` (length + 16 bytes), with the key held
 * in `key` (32 bytes).
 */
export function aeadSeal(
  key: SodiumArea,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  plain: SodiumArea,
  plainOffset: number,
  length: number,
  sealed: SodiumArea,
  sealedOffset: number,
): void {
  const input = plain.at(plainOffset, length);
  const output = sealed.at(sealedOffset, length + AEAD_TAG_BYTES);
  withInputs([nonce, associatedData], ([noncePointer, adPointer]) => {
    const code = module()._crypto_aead_xchacha20poly1305_ietf_encrypt(
      output,
      0,
      input,
      length,
      0,
      adPointer!,
      associatedData.byteLength,
      0,
      0,
      noncePointer!,
      key.at(0, 32),
    );
    if (code !== 0) throw new VaultError('engine-failed', 'Encryption failed.');
  });
}

/**
 * Opens XChaCha20-Poly1305-IETF ciphertext (`sealedLength` bytes, tag
 * included) from a JavaScript array into `plain`+`plainOffset`. Returns
 * false, writing nothing readable, if it does not authenticate.
 */
export function aeadOpen(
  key: SodiumArea,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  sealedBytes: Uint8Array,
  plain: SodiumArea,
  plainOffset: number,
): boolean {
  if (sealedBytes.byteLength < AEAD_TAG_BYTES) return false;
  const output = plain.at(plainOffset, sealedBytes.byteLength - AEAD_TAG_BYTES);
  return withInputs([nonce, associatedData, sealedBytes], ([noncePointer, adPointer, sealedPointer]) => {
    const code = module()._crypto_aead_xchacha20poly1305_ietf_decrypt(
      output,
      0,
      0,
      sealedPointer!,
      sealedBytes.byteLength,
      0,
      adPointer!,
      associatedData.byteLength,
      0,
      noncePointer!,
      key.at(0, 32),
    );
    return code === 0;
  });
}

/** A key copied into libsodium's memory; the caller's copy is its own to wipe. */
export function keyArea(key: Uint8Array): SodiumArea {
  const area = SodiumArea.allocate(key.byteLength);
  area.write(key);
  return area;
}

// ── records: one area kept from call to call ──────────────────────────────

/**
 * Records are small (a few hundred bytes to a few KiB) and come thousands at
 * a time (a list, a batch), so per record the wrappers' own costs (a malloc
 * and a copy for each of key, nonce, associated data and message, a new
 * array for the output, frees) weighed as much as the cipher. Records are
 * sealed and opened instead in one area of libsodium's memory kept from
 * call to call, laid out as
 *
 *   key (32) ‖ associated data ‖ padded plaintext ‖ envelope header ‖ nonce (24) ‖ ciphertext and tag
 *
 * with no allocation for a record that fits (a larger one gets an area of
 * its own, freed after). The caller writes the plaintext straight into its
 * place (sealRecordInMemory) or reads it from there (openRecordInMemory);
 * every byte used, key and plaintext included, is wiped before the call
 * returns or throws. Between calls the area holds zeros.
 */
const RECORD_KEY_BYTES = 32;
/** The kept area grows to the largest record met up to this; records above it get an area of their own. */
const RECORD_AREA_LIMIT = 256 * 1024;
let recordArea: SodiumArea | null = null;
/**
 * Whether a call is between writing into the kept area and wiping it. Both
 * calls below are synchronous from end to end (no await, no callback that
 * may return a promise), so in one thread the area can only be met busy by
 * a call made from inside another's callback: that is refused, never
 * served from the same bytes (it would overwrite or wipe the other call's
 * key and plaintext, or free the area under it when growing it).
 */
let recordAreaBusy = false;

interface HeldArea {
  area: SodiumArea;
  kept: boolean;
}

/** An area of at least `size` bytes: the kept one (grown if need be), or, above the limit, one to free after. */
function recordAreaFor(size: number): HeldArea {
  if (recordAreaBusy) throw new VaultError('engine-failed', 'A record was sealed or opened inside another.');
  let held: HeldArea;
  if (size > RECORD_AREA_LIMIT) {
    // Not zeroed first: nothing in it is read that the call did not write (key, associated data, plaintext,
    // envelope, the cipher's output); it is wiped whole when freed.
    held = { area: SodiumArea.allocateToOverwrite(size), kept: false };
  } else {
    if (!recordArea || recordArea.size < size) {
      // Doubling, from 16 KiB: a few growths at most, then none.
      const grown = Math.min(RECORD_AREA_LIMIT, Math.max(size, 2 * (recordArea?.size ?? 8192)));
      recordArea?.free();
      recordArea = null;
      recordArea = SodiumArea.allocate(grown);
    }
    held = { area: recordArea, kept: true };
  }
  // One record call at a time, whichever area it has: a nested one could also grow the memory under this one.
  recordAreaBusy = true;
  return held;
}

/**
 * Record nonces, drawn from Web Crypto 128 at a time: one call per record
 * cost about 4 µs, a quarter of sealing a record. A nonce is no secret (it
 * is stored in the envelope); each is handed out once, and its bytes in the
 * pool are zeroed as it goes, so that none can be handed out twice: a slot
 * found all zeros (handed out already, or a draw that wrote nothing) is
 * refused rather than used. The pool is emptied at lock (wipeRecordMemory).
 */
const NONCES_PER_DRAW = 128;
const noncePool = new Uint8Array(AEAD_NONCE_BYTES * NONCES_PER_DRAW);
let nonceOffset = noncePool.byteLength;

/** Writes the next nonce at `at` in `into`. */
function writeNextNonce(into: Uint8Array, at: number): void {
  if (nonceOffset >= noncePool.byteLength) {
    globalThis.crypto.getRandomValues(noncePool);
    nonceOffset = 0;
  }
  const start = nonceOffset;
  const end = start + AEAD_NONCE_BYTES;
  // Moved past first: whatever happens below, this slot is never handed out again.
  nonceOffset = end;
  let any = 0;
  for (let index = start; index < end; index++) any |= noncePool[index]!;
  if (any === 0) throw new VaultError('engine-failed', 'Encryption failed: no fresh nonce.');
  into.set(noncePool.subarray(start, end), at);
  noncePool.fill(0, start, end);
}

/** Where each part of a record call sits in its area: key ‖ associated data ‖ padded plaintext ‖ envelope header ‖ nonce ‖ ciphertext and tag. */
function recordLayout(associatedDataBytes: number, paddedBytes: number, headerBytes: number) {
  const adAt = RECORD_KEY_BYTES;
  const plainAt = adAt + associatedDataBytes;
  const envelopeAt = plainAt + paddedBytes;
  const nonceAt = envelopeAt + headerBytes;
  return { adAt, plainAt, envelopeAt, nonceAt, sealedAt: nonceAt + AEAD_NONCE_BYTES };
}

/** Wipes the bytes used (the whole area if it was one of its own, which is then freed). */
function doneWith({ area, kept }: HeldArea, used: number): void {
  try {
    if (kept) area.wipe(0, used);
    else area.free();
  } finally {
    recordAreaBusy = false;
  }
}

/**
 * At lock: the kept record area wiped and freed, the nonces not yet handed
 * out zeroed (the next sealing draws afresh). The worker ends right after,
 * taking its memory with it; this leaves nothing behind should it not.
 */
export function wipeRecordMemory(): void {
  noncePool.fill(0);
  nonceOffset = noncePool.byteLength;
  if (recordAreaBusy) return; // only from inside a record call's callback: that call wipes it as it returns
  recordArea?.free();
  recordArea = null;
}

/** A callback's result that is a promise would read or write the area after it is wiped or reused: refused. */
function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Seals a record. `writePlaintext` gets a view of `maxPaddedBytes` bytes in
 * libsodium's memory (valid only during the call: it must not call
 * libsodium), writes the padded plaintext from its start, every byte of it,
 * and returns its length. Returns `header` ‖ nonce ‖ ciphertext and tag, as
 * a new array: the nonce random (Web Crypto, writeNextNonce), the associated data bound.
 */
export function sealRecordInMemory(
  key: Uint8Array,
  associatedData: Uint8Array,
  header: Uint8Array,
  maxPaddedBytes: number,
  writePlaintext: (into: Uint8Array) => number,
): Uint8Array {
  if (key.byteLength !== RECORD_KEY_BYTES) throw new VaultError('engine-failed', 'Encryption failed.');
  const { adAt, plainAt, envelopeAt, nonceAt, sealedAt } = recordLayout(
    associatedData.byteLength,
    maxPaddedBytes,
    header.byteLength,
  );
  let used = sealedAt + maxPaddedBytes + AEAD_TAG_BYTES;
  const held = recordAreaFor(used);
  const { area } = held;
  try {
    // No libsodium call until the cipher's: the memory cannot move under these views.
    const heap = module().HEAPU8;
    const base = area.at(0, sealedAt);
    heap.set(key, base);
    heap.set(associatedData, base + adAt);
    const length = writePlaintext(heap.subarray(base + plainAt, base + plainAt + maxPaddedBytes));
    if (!Number.isInteger(length) || length < 0 || length > maxPaddedBytes)
      throw new RangeError('bad plaintext length');
    // The callback cannot have grown the memory (it may not call libsodium); were it replaced, the plaintext
    // written through the old view would be lost, so that is refused rather than sealed.
    if (module().HEAPU8.buffer !== heap.buffer) throw new VaultError('engine-failed', 'Encryption failed.');
    used = sealedAt + length + AEAD_TAG_BYTES;
    heap.set(header, base + envelopeAt);
    writeNextNonce(heap, base + nonceAt);
    const code = module()._crypto_aead_xchacha20poly1305_ietf_encrypt(
      base + sealedAt,
      0,
      base + plainAt,
      length,
      0,
      base + adAt,
      associatedData.byteLength,
      0,
      0,
      base + nonceAt,
      base,
    );
    if (code !== 0) throw new VaultError('engine-failed', 'Encryption failed.');
    return area.copyOut(envelopeAt, used - envelopeAt);
  } finally {
    doneWith(held, used);
  }
}

/** What openRecordInMemory returns when the record does not authenticate. */
export const NOT_AUTHENTIC = Symbol('not authentic');

/**
 * Opens a record sealed as above (`envelope` = `headerBytes` header ‖ nonce
 * ‖ ciphertext and tag). If it authenticates, `readPlaintext` gets a view of
 * the padded plaintext in libsodium's memory (valid only during the call: it
 * must not call libsodium, and must copy what it keeps) and its result is
 * returned; otherwise NOT_AUTHENTIC, and nothing readable was written.
 */
export function openRecordInMemory<T>(
  key: Uint8Array,
  associatedData: Uint8Array,
  envelope: Uint8Array,
  headerBytes: number,
  readPlaintext: (padded: Uint8Array) => T,
): T | typeof NOT_AUTHENTIC {
  const sealedLength = envelope.byteLength - headerBytes - AEAD_NONCE_BYTES;
  if (key.byteLength !== RECORD_KEY_BYTES || sealedLength < AEAD_TAG_BYTES) return NOT_AUTHENTIC;
  const paddedLength = sealedLength - AEAD_TAG_BYTES;
  const { adAt, plainAt, envelopeAt, nonceAt, sealedAt } = recordLayout(
    associatedData.byteLength,
    paddedLength,
    headerBytes,
  );
  const used = sealedAt + sealedLength;
  const held = recordAreaFor(used);
  const { area } = held;
  try {
    const heap = module().HEAPU8;
    const base = area.at(0, used);
    heap.set(key, base);
    heap.set(associatedData, base + adAt);
    heap.set(envelope, base + envelopeAt);
    const code = module()._crypto_aead_xchacha20poly1305_ietf_decrypt(
      base + plainAt,
      0,
      0,
      base + sealedAt,
      sealedLength,
      0,
      base + adAt,
      associatedData.byteLength,
      0,
      base + nonceAt,
      base,
    );
    if (code !== 0) return NOT_AUTHENTIC;
    const result = readPlaintext(area.view(plainAt, paddedLength));
    if (isThenable(result)) throw new VaultError('engine-failed', 'A record was read asynchronously.');
    return result;
  } finally {
    doneWith(held, used);
  }
}

const STREAM_STATE_BYTES = 52;
export const STREAM_HEADER_BYTES = 24;
export const STREAM_OVERHEAD = 17;

/**
 * crypto_secretstream_xchacha20poly1305 in either direction, its state in
 * an area of its own that `close` wipes (the wrappers' state is never freed).
 */
export class SecretStream {
  private constructor(private readonly state: SodiumArea) {}

  /** A new stream sealed under `key`; returns it and the 24-byte header to send first. */
  static push(key: Uint8Array): { stream: SecretStream; header: Uint8Array } {
    const state = SodiumArea.allocate(STREAM_STATE_BYTES);
    const header = SodiumArea.allocate(STREAM_HEADER_BYTES);
    try {
      withInputs([key], ([keyPointer]) => {
        if (module()._crypto_secretstream_xchacha20poly1305_init_push(state.at(0), header.at(0), keyPointer!) !== 0)
          throw new VaultError('engine-failed', 'Encryption failed.');
      });
      return { stream: new SecretStream(state), header: header.copyOut(0, STREAM_HEADER_BYTES) };
    } catch (error) {
      state.free();
      throw error;
    } finally {
      header.free();
    }
  }

  /** A stream to open, from its header and key; false if the header is refused. */
  static pull(key: Uint8Array, header: Uint8Array): SecretStream | false {
    if (header.byteLength !== STREAM_HEADER_BYTES) return false;
    const state = SodiumArea.allocate(STREAM_STATE_BYTES);
    let ok = false;
    try {
      ok = withInputs([key, header], ([keyPointer, headerPointer]) => {
        return (
          module()._crypto_secretstream_xchacha20poly1305_init_pull(state.at(0), headerPointer!, keyPointer!) === 0
        );
      });
    } finally {
      if (!ok) state.free();
    }
    return ok ? new SecretStream(state) : false;
  }

  /** Seals `length` bytes at `plain`+`plainOffset` into `sealed`+`sealedOffset` (length + 17 bytes). */
  seal(
    plain: SodiumArea,
    plainOffset: number,
    length: number,
    associatedData: SodiumArea,
    sealed: SodiumArea,
    sealedOffset: number,
    tag: number,
  ): void {
    const input = plain.at(plainOffset, length);
    const output = sealed.at(sealedOffset, length + STREAM_OVERHEAD);
    const code = module()._crypto_secretstream_xchacha20poly1305_push(
      this.state.at(0),
      output,
      0,
      input,
      length,
      0,
      associatedData.at(0),
      associatedData.size,
      0,
      tag,
    );
    if (code !== 0) throw new VaultError('engine-failed', 'Encryption failed.');
  }

  /**
   * Opens one sealed chunk (`length` bytes at `sealed`+`sealedOffset`) into
   * `plain`+`plainOffset`; returns its tag, or false if it does not
   * authenticate (forged, reordered, wrong key): libsodium's own signal,
   * which the caller must check.
   */
  open(
    sealed: SodiumArea,
    sealedOffset: number,
    length: number,
    associatedData: SodiumArea,
    plain: SodiumArea,
    plainOffset: number,
  ): number | false {
    if (length < STREAM_OVERHEAD) return false;
    const input = sealed.at(sealedOffset, length);
    const output = plain.at(plainOffset, length - STREAM_OVERHEAD);
    const tagArea = SodiumArea.allocate(1);
    try {
      const code = module()._crypto_secretstream_xchacha20poly1305_pull(
        this.state.at(0),
        output,
        0,
        tagArea.at(0, 1),
        input,
        length,
        0,
        associatedData.at(0),
        associatedData.size,
        0,
      );
      return code === 0 ? tagArea.view(0, 1)[0]! : false;
    } finally {
      tagArea.free();
    }
  }

  close(): void {
    this.state.free();
  }
}

const SHA256_STATE_BYTES = 104;

/** SHA-256 over bytes already in libsodium's memory (no copy in), state wiped when done. */
export class Sha256InMemory {
  private readonly state = SodiumArea.allocate(SHA256_STATE_BYTES);

  constructor() {
    if (module()._crypto_hash_sha256_init(this.state.at(0)) !== 0)
      throw new VaultError('engine-failed', 'Hashing failed.');
  }

  update(source: SodiumArea, offset: number, length: number): void {
    if (module()._crypto_hash_sha256_update(this.state.at(0), source.at(offset, length), length, 0) !== 0)
      throw new VaultError('engine-failed', 'Hashing failed.');
  }

  /** Hashes bytes from a JavaScript array, through a copy that is wiped at once. */
  updateBytes(bytes: Uint8Array): void {
    const copy = SodiumArea.allocateToOverwrite(bytes.byteLength);
    try {
      copy.write(bytes);
      this.update(copy, 0, bytes.byteLength);
    } finally {
      copy.free();
    }
  }

  /** The hex digest; the state is then wiped and freed. */
  hexDigest(): string {
    const out = SodiumArea.allocate(32);
    try {
      if (module()._crypto_hash_sha256_final(this.state.at(0), out.at(0, 32)) !== 0)
        throw new VaultError('engine-failed', 'Hashing failed.');
      return sodium.to_hex(out.copyOut(0, 32));
    } finally {
      out.free();
      this.state.free();
    }
  }

  close(): void {
    this.state.free();
  }
}
