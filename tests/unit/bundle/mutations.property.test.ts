import fc from 'fast-check';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../../renderer/src/vault/worker/bundle';
import { party, readBundle, writeBundle, type Party } from './bundle-helpers';

let bob: Party;
let small: Uint8Array;
let twoChunks: Uint8Array;

beforeAll(async () => {
  await sodium.ready;
  const alice = party('Alice');
  bob = party('Bob');
  small = writeBundle(alice, [bob, party('Carol')], [new Uint8Array([1, 2, 3]), new TextEncoder().encode('note')]);
  twoChunks = writeBundle(alice, [bob], [Uint8Array.from({ length: 70_000 }, (_, index) => index % 256)]);
});

/** One change to a valid bundle: every one of them must be refused. */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'remove'; at: number; count: number }
  | { kind: 'duplicate'; at: number; count: number }
  | { kind: 'length-field'; at: number; value: number };

function mutation(size: number): fc.Arbitrary<Mutation> {
  const position = fc.integer({ min: 0, max: size - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.integer({ min: 0, max: size - 1 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.integer({ min: 0, max: size }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
    fc.record({ kind: fc.constant('remove' as const), at: position, count: fc.integer({ min: 1, max: 4096 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: position, count: fc.integer({ min: 1, max: 4096 }) }),
    // The header's u16/u32 fields: version, flags, chunk size, recipient count.
    fc.record({
      kind: fc.constant('length-field' as const),
      at: fc.constantFrom(8, 10, 12, 14, 16),
      value: fc.integer({ min: 0, max: 0xffff }),
    }),
  );
}

function apply(bundle: Uint8Array, change: Mutation): Uint8Array {
  const copy = bundle.slice();
  switch (change.kind) {
    case 'flip':
      copy[change.at]! ^= 1 << change.bit;
      return copy;
    case 'truncate':
      return copy.subarray(0, change.length);
    case 'insert':
      return Uint8Array.from([...copy.subarray(0, change.at), ...change.bytes, ...copy.subarray(change.at)]);
    case 'remove':
      return Uint8Array.from([...copy.subarray(0, change.at), ...copy.subarray(change.at + change.count)]);
    case 'duplicate': {
      const piece = copy.subarray(change.at, change.at + change.count);
      return Uint8Array.from([
        ...copy.subarray(0, change.at + piece.byteLength),
        ...piece,
        ...copy.subarray(change.at + piece.byteLength),
      ]);
    }
    case 'length-field': {
      const view = new DataView(copy.buffer);
      if (view.getUint16(change.at) === change.value) view.setUint16(change.at, change.value ^ 1);
      else view.setUint16(change.at, change.value);
      return copy;
    }
  }
}

function refusedWithTypedError(bundle: Uint8Array, step: number): boolean {
  try {
    readBundle(bob, bundle, step);
    return false;
  } catch (error) {
    // A refusal that wraps an unexpected error (cause set) is a bug in the reader, not a typed refusal.
    return error instanceof BundleError && error.cause === undefined;
  }
}

describe('mutated bundles (fast-check)', () => {
  it('refuses 10,000 mutations of a small bundle, each with a typed error', () => {
    fc.assert(
      fc.property(mutation(small.byteLength), fc.constantFrom(small.byteLength, 1000, 17), (change, step) =>
        refusedWithTypedError(apply(small, change), step),
      ),
      { numRuns: 10_000, seed: 20261124 },
    );
  });

  it('refuses 1,000 mutations of a two-chunk bundle', () => {
    fc.assert(
      fc.property(mutation(twoChunks.byteLength), (change) => refusedWithTypedError(apply(twoChunks, change), 65_536)),
      { numRuns: 1_000, seed: 7 },
    );
  });

  it('still reads the unmutated bundles (the property is not vacuous)', () => {
    expect(readBundle(bob, small).items[1]).toEqual(new TextEncoder().encode('note'));
    expect(readBundle(bob, twoChunks).items[0]).toHaveLength(70_000);
  });
});
