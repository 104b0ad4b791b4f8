/**
 * The bundle test vectors in tests/vectors/bundle: files written once by this
 * module (GENERATE_BUNDLE_VECTORS=1 npx vitest run tests/unit/bundle/vectors.test.ts)
 * and checked on every run, whole and fed a few bytes at a time, against the
 * outcome recorded in index.json. Their keys come from fixed seeds, so any
 * implementation can recompute them (docs/bundle-format.md lists the seeds).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BundleError,
  CHUNK_BYTES,
  identityFingerprint,
  readHeaderFacts,
  recipientKeyId,
} from '../../../renderer/src/vault/worker/bundle';
import { concatAll, readBundle, sha256, writeBundle, type Party } from './bundle-helpers';
import { forgeBundle } from './forge';

const DIRECTORY = join(import.meta.dirname, '../../vectors/bundle');

interface Vector {
  file: string;
  description: string;
  reader: 'alice' | 'bob' | 'carol';
  /** 'ok', or the BundleError code a reader must refuse it with. */
  expect: string;
  /** For valid vectors: each item's SHA-256, in order. */
  items?: string[];
}

/** A party whose keys derive from a one-byte seed (32 copies of it). */
function seeded(name: string, seedByte: number): Party {
  const seed = new Uint8Array(32).fill(seedByte);
  const sign = sodium.crypto_sign_seed_keypair(seed);
  const box = sodium.crypto_box_seed_keypair(seed);
  return {
    name,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
}

let parties: Record<Vector['reader'], Party>;

beforeAll(async () => {
  await sodium.ready;
  parties = { alice: seeded('Alice', 0xa1), bob: seeded('Bob', 0xb0), carol: seeded('Carol', 0xc0) };
});

const pattern = (length: number) => Uint8Array.from({ length }, (_, index) => (index * 7 + 3) % 256);

/** Plaintext in front of the items (length, manifest, signature) when alice sends bob one item of `size` bytes. */
function overhead(size: number): number {
  const probe = readBundle(parties.bob, writeBundle(parties.alice, [parties.bob], [pattern(size)], fixed()));
  return 4 + new TextEncoder().encode(JSON.stringify(probe.manifest)).byteLength + 64;
}

/** The item size that makes the whole plaintext exactly `total` bytes (the manifest grows with the size's digits). */
function itemSizeFor(total: number): number {
  let size = total - overhead(1);
  for (let round = 0; round < 3; round++) size = total - overhead(size);
  if (overhead(size) + size !== total) throw new Error(`no item size gives ${total} bytes of plaintext`);
  return size;
}

const fixed = () => ({ bundleId: 'a1b0c0d0e0f00112233445566778899a', createdAt: new Date('2025-07-17T08:00:00.000Z') });

function generate(): Vector[] {
  const { alice, bob, carol } = parties;
  const vectors: { vector: Vector; bytes: Uint8Array }[] = [];
  const valid = (file: string, description: string, recipients: Party[], contents: Uint8Array[]) =>
    vectors.push({
      vector: { file, description, reader: 'bob', expect: 'ok', items: contents.map(sha256) },
      bytes: writeBundle(alice, recipients, contents, fixed()),
    });
  const invalid = (
    file: string,
    description: string,
    expected: string,
    bytes: Uint8Array,
    reader: Vector['reader'] = 'bob',
  ) => vectors.push({ vector: { file, description, reader, expect: expected }, bytes });

  // Plaintext ending one byte before, exactly at, and one byte after the first chunk boundary.
  valid('empty.evb', 'no items at all', [bob], []);
  valid('one-byte.evb', 'one item of one byte', [bob], [new Uint8Array([42])]);
  valid(
    'chunk-minus-one.evb',
    'plaintext one byte short of a full chunk',
    [bob],
    [pattern(itemSizeFor(CHUNK_BYTES - 1))],
  );
  valid(
    'chunk-exact.evb',
    'plaintext exactly one chunk (the final chunk is full)',
    [bob],
    [pattern(itemSizeFor(CHUNK_BYTES))],
  );
  valid(
    'chunk-plus-one.evb',
    'plaintext one byte over a chunk (a one-byte final chunk)',
    [bob],
    [pattern(itemSizeFor(CHUNK_BYTES + 1))],
  );
  valid(
    'several-recipients.evb',
    'three recipients (bob, carol and the sender)',
    [carol, bob, alice],
    [pattern(1000), pattern(0)],
  );

  const base = writeBundle(alice, [bob], [pattern(100_000), pattern(10)], fixed());
  const headerBytes = readHeaderFacts(base)!.headerBytes;
  const chunk = CHUNK_BYTES + 17;
  const flip = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice();
    copy[at]! ^= 0x01;
    return copy;
  };
  const setU16 = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint16(at, value);
    return copy;
  };
  invalid('not-a-bundle.evb', 'a PDF, not a bundle', 'not-a-bundle', new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n'));
  invalid('empty-file.evb', 'zero bytes', 'not-a-bundle', new Uint8Array(0));
  invalid('unknown-version.evb', 'format version 2', 'unsupported-version', setU16(base, 8, 2));
  invalid('unknown-flags.evb', 'a flag set that version 1 does not define', 'header-malformed', setU16(base, 10, 1));
  invalid('zero-recipients.evb', 'recipient count 0', 'header-malformed', setU16(base, 16, 0));
  invalid('oversized-recipient-count.evb', 'recipient count 65 535', 'header-malformed', setU16(base, 16, 0xffff));
  invalid('header-truncated.evb', 'ends inside the header', 'header-malformed', base.subarray(0, headerBytes - 1));
  invalid(
    'bad-header-mac.evb',
    'one bit of the stream header flipped (under the MAC)',
    'header-altered',
    flip(base, headerBytes - 40),
  );
  invalid('bad-mac-bytes.evb', 'one bit of the MAC itself flipped', 'header-altered', flip(base, headerBytes - 1));
  invalid('garbled-stanza.evb', 'the only recipient stanza altered', 'not-for-you', flip(base, 18 + 40));
  invalid('wrong-key.evb', 'a valid bundle for bob, read by carol', 'not-for-you', base, 'carol');
  invalid(
    'missing-final-chunk.evb',
    'the last chunk removed',
    'payload-truncated',
    base.subarray(0, headerBytes + chunk),
  );
  invalid('no-payload.evb', 'header only', 'payload-truncated', base.subarray(0, headerBytes));
  invalid(
    'truncated-mid-chunk.evb',
    'cut inside the last chunk',
    'payload-corrupt',
    base.subarray(0, base.byteLength - 5),
  );
  invalid(
    'corrupted-chunk.evb',
    'one bit flipped in the first chunk',
    'payload-corrupt',
    flip(base, headerBytes + 100),
  );
  invalid(
    'chunk-duplicated.evb',
    'the first chunk repeated',
    'payload-corrupt',
    concatAll([base.subarray(0, headerBytes + chunk), base.subarray(headerBytes)]),
  );
  invalid(
    'trailing-byte.evb',
    'one byte after the final chunk',
    'payload-corrupt',
    concatAll([base, new Uint8Array([0])]),
  );
  const exact = vectors.find((entry) => entry.vector.file === 'chunk-exact.evb')!.bytes;
  invalid(
    'trailing-after-full-final.evb',
    'bytes after a full-size final chunk',
    'payload-trailing',
    concatAll([exact, new Uint8Array(20)]),
  );
  invalid(
    'two-final-chunks.evb',
    'two chunks, both tagged final',
    'payload-trailing',
    forgeBundle(alice, [bob], undefined, undefined, pattern(70_000), {
      listed: pattern(70_000),
      everyChunkFinal: true,
    }),
  );
  invalid(
    'header-from-another-bundle.evb',
    "another bundle's header in front of this payload",
    'payload-corrupt',
    concatAll([writeBundle(alice, [bob], [pattern(5)], fixed()).subarray(0, headerBytes), base.subarray(headerBytes)]),
  );
  invalid(
    'bad-signature.evb',
    'manifest signed by carol, naming alice as sender',
    'signature-invalid',
    forgeBundle(alice, [bob], undefined, carol.signSecretKey),
  );
  invalid(
    'manifest-not-naming-reader.evb',
    "alice's manifest for carol, re-encrypted to bob",
    'not-a-named-recipient',
    forgeBundle(alice, [bob], (manifest) => ({ ...manifest, recipients: [recipientKeyId(carol.boxPublicKey)] })),
  );
  invalid(
    'header-hash-mismatch.evb',
    'manifest signed for a different header',
    'header-hash-mismatch',
    forgeBundle(alice, [bob], (manifest) => ({ ...manifest, headerHash: 'f'.repeat(64) })),
  );
  invalid(
    'item-hash-mismatch.evb',
    'item bytes differ from the signed hash',
    'item-hash-mismatch',
    forgeBundle(alice, [bob], undefined, undefined, new Uint8Array([1, 2, 4])),
  );
  invalid(
    'extra-item-bytes.evb',
    'more bytes than the manifest lists',
    'item-size-mismatch',
    forgeBundle(alice, [bob], undefined, undefined, new Uint8Array([1, 2, 3, 4])),
  );
  invalid(
    'negative-item-size.evb',
    'the signed manifest lists an item of size -1',
    'manifest-invalid',
    forgeBundle(alice, [bob], (manifest) => ({ ...manifest, items: [{ ...manifest.items[0]!, size: -1 }] })),
  );
  invalid(
    'absurd-manifest-length.evb',
    'manifest length field 0xffffffff',
    'manifest-invalid',
    forgeBundle(alice, [bob], undefined, undefined, undefined, { manifestLength: 0xffffffff }),
  );

  mkdirSync(DIRECTORY, { recursive: true });
  for (const { vector, bytes } of vectors) writeFileSync(join(DIRECTORY, vector.file), bytes);
  const index = vectors.map((entry) => entry.vector);
  writeFileSync(join(DIRECTORY, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

function outcome(reader: Party, bytes: Uint8Array, step: number): { code: string; items?: string[] } {
  try {
    return { code: 'ok', items: readBundle(reader, bytes, step).items.map(sha256) };
  } catch (error) {
    if (error instanceof BundleError && error.cause === undefined) return { code: error.code };
    throw error;
  }
}

describe('bundle test vectors', () => {
  it('every vector gives its recorded outcome, read whole and in small pieces', () => {
    const index: Vector[] =
      process.env.GENERATE_BUNDLE_VECTORS === '1' || !existsSync(join(DIRECTORY, 'index.json'))
        ? generate()
        : (JSON.parse(readFileSync(join(DIRECTORY, 'index.json'), 'utf8')) as Vector[]);
    expect(index.length).toBeGreaterThanOrEqual(30);
    for (const vector of index) {
      const bytes = new Uint8Array(readFileSync(join(DIRECTORY, vector.file)));
      for (const step of [Math.max(1, bytes.byteLength), 4096, 1000]) {
        const result = outcome(parties[vector.reader], bytes, step);
        expect(result.code, `${vector.file} (pieces of ${step})`).toBe(vector.expect);
        if (vector.items) expect(result.items, vector.file).toEqual(vector.items);
      }
    }
  });
});

/** The fingerprint exactly as docs/bundle-format.md describes it, written from the text alone. */
function fingerprintAsSpecified(party: Party): string[] {
  const label = new TextEncoder().encode('evidence-vault/identity/v1\n');
  const h = sodium.crypto_generichash(32, concatAll([label, party.signPublicKey, party.boxPublicKey]), null);
  return Array.from({ length: 12 }, (_, g) => {
    let value = 0n;
    for (let index = 0; index < 5; index++) value = value * 256n + BigInt(h[(5 * g + index) % 32]!);
    return String(value % 100_000n).padStart(5, '0');
  });
}

describe('fingerprint vectors', () => {
  it('the seeded identities have the fingerprints the specification lists, computed as it says', () => {
    const spec = readFileSync(join(import.meta.dirname, '../../../docs/bundle-format.md'), 'utf8');
    const listed = new Map(
      Array.from(spec.matchAll(/^- (Alice|Bob|Carol): `(\d{5}(?: \d{5}){11})`$/gmu), ([, name, digits]) => [
        name!.toLowerCase(),
        digits!,
      ]),
    );
    expect([...listed.keys()]).toEqual(['alice', 'bob', 'carol']);
    for (const [name, digits] of listed) {
      const party = parties[name as Vector['reader']];
      expect(identityFingerprint(party).join(' '), name).toBe(digits);
      expect(fingerprintAsSpecified(party).join(' '), name).toBe(digits);
    }
  });
});
