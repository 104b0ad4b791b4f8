import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BundleError,
  BundleWriter,
  CHUNK_BYTES,
  identityFingerprint,
  readHeaderFacts,
  recipientKeyId,
} from '../../../renderer/src/vault/worker/bundle';
import { manifestBytes } from '../../../renderer/src/vault/worker/bundle/manifest';
import { concatAll, itemsOf, party, readBundle, sha256, writeBundle, type Party } from './bundle-helpers';
import { forgeBundle } from './forge';

let alice: Party;
let bob: Party;
let carol: Party;

beforeAll(async () => {
  await sodium.ready;
  alice = party('Alice (monitor)');
  bob = party('Bob (coordinator)');
  carol = party('Carol');
});

const bytesOf = (length: number, seed = 1) => Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 251);

function expectCode(work: () => unknown, code: string) {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(BundleError);
  expect((caught as BundleError).code).toBe(code);
}

describe('bundle round trip', () => {
  it.each([
    ['no items', []],
    ['one byte', [1]],
    ['an empty item between others', [3, 0, 5]],
    ['chunk size − 1 in all (with the manifest in front)', [CHUNK_BYTES - 1]],
    ['exactly one chunk of items', [CHUNK_BYTES]],
    ['chunk size + 1', [CHUNK_BYTES + 1]],
    ['several items across several chunks', [100_000, 1, 70_000, 0, 200_000]],
  ])('%s', (_name, sizes) => {
    const contents = sizes.map((size, index) => bytesOf(size, index));
    const bundle = writeBundle(alice, [bob], contents);
    for (const step of [bundle.byteLength, 65_553, 4096, 7]) {
      const { manifest, items } = readBundle(bob, bundle, step);
      expect(manifest.sender).toEqual({
        name: 'Alice (monitor)',
        signingKey: sodium.to_hex(alice.signPublicKey),
        encryptionKey: sodium.to_hex(alice.boxPublicKey),
      });
      expect(items.map(sha256)).toEqual(contents.map(sha256));
    }
  });

  it('opens for every recipient, and for nobody else', () => {
    const bundle = writeBundle(alice, [bob, carol, alice], [bytesOf(10)]);
    expect(readHeaderFacts(bundle)).toMatchObject({ version: 1, recipients: 3 });
    for (const reader of [bob, carol, alice]) expect(readBundle(reader, bundle).items[0]).toEqual(bytesOf(10));
    expectCode(() => readBundle(party('Mallory'), bundle), 'not-for-you');
  });

  it('names the recipients by key id inside the signed manifest, not in the header', () => {
    const bundle = writeBundle(alice, [bob], [bytesOf(10)]);
    const { manifest } = readBundle(bob, bundle);
    expect(manifest.recipients).toEqual([recipientKeyId(bob.boxPublicKey)]);
    const header = bundle.subarray(0, readHeaderFacts(bundle)!.headerBytes);
    for (const secret of [bob.boxPublicKey, alice.signPublicKey, alice.boxPublicKey, new TextEncoder().encode('Alice')])
      expect(Buffer.from(header).includes(Buffer.from(secret))).toBe(false);
  });

  it('refuses to write items whose bytes do not match their declared hash or size', () => {
    const writer = new BundleWriter({ sender: alice, recipients: [bob.boxPublicKey], items: itemsOf([bytesOf(5)]) });
    expectCode(() => writer.write(bytesOf(5, 9)), 'writer-misuse');
    const short = new BundleWriter({ sender: alice, recipients: [bob.boxPublicKey], items: itemsOf([bytesOf(5)]) });
    short.write(bytesOf(4));
    expectCode(() => short.finish(), 'writer-misuse');
  });

  it('reads a manifest longer than a chunk, and a signature split across two chunks', () => {
    const contents = (count: number) => Array.from({ length: count }, (_, index) => bytesOf(1, index));
    // Items whose first id is `pad` characters longer: a way to end the manifest exactly where wanted.
    const itemsWith = (count: number, pad: number) =>
      itemsOf(contents(count)).map((item, index) => (index === 0 ? { ...item, id: item.id + 'x'.repeat(pad) } : item));
    const writeWith = (count: number, pad: number) => {
      const writer = new BundleWriter({ sender: alice, recipients: [bob.boxPublicKey], items: itemsWith(count, pad) });
      const manifestEnd = 4 + manifestBytes(writer.manifest).byteLength;
      for (const bytes of contents(count)) writer.write(bytes);
      writer.finish();
      return { manifestEnd, bundle: concatAll([writer.header, writer.takeSealed()]) };
    };
    const long = writeWith(700, 0);
    expect(long.manifestEnd).toBeGreaterThan(CHUNK_BYTES);
    expect(readBundle(bob, long.bundle).items).toEqual(contents(700));
    // The manifest ends 30 bytes before the first chunk boundary, so its 64-byte signature straddles it.
    const end = (count: number) => writeWith(count, 0).manifestEnd;
    const perItem = end(401) - end(400);
    const count = 400 + Math.floor((CHUNK_BYTES - 30 - end(400)) / perItem);
    const pad = CHUNK_BYTES - 30 - end(count);
    const split = writeWith(count, pad);
    expect(split.manifestEnd).toBe(CHUNK_BYTES - 30);
    expect(readBundle(bob, split.bundle).items).toEqual(contents(count));
  });

  it('leaves no item bytes in libsodium memory once the bundle is taken, or once a writer is closed midway', () => {
    const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    const inHeap = (needle: Uint8Array) => Buffer.from(heap()).includes(Buffer.from(needle));
    // Hashed outside libsodium, and hash checks off (as the vault exports): only the writer's own staging touches the bytes.
    const document = sodium.randombytes_buf(3 * CHUNK_BYTES + 5);
    const items = [
      {
        id: 'doc',
        type: 'document-bytes' as const,
        size: document.byteLength,
        sha256: createHash('sha256').update(document).digest('hex'),
      },
    ];
    const writer = new BundleWriter({ sender: alice, recipients: [bob.boxPublicKey], items, checkHashes: false });
    writer.write(document);
    writer.finish();
    const bundle = concatAll([writer.header, writer.takeSealed()]);
    for (const offset of [0, CHUNK_BYTES, 3 * CHUNK_BYTES - 32])
      expect(inHeap(document.subarray(offset, offset + 32))).toBe(false);
    expect(readBundle(bob, bundle).items[0]).toEqual(document);

    const cancelled = new BundleWriter({ sender: alice, recipients: [bob.boxPublicKey], items, checkHashes: false });
    cancelled.write(document.subarray(0, CHUNK_BYTES + 100));
    cancelled.close();
    expect(inHeap(document.subarray(CHUNK_BYTES + 10, CHUNK_BYTES + 42))).toBe(false);
    expect(() => cancelled.write(document.subarray(0, 1))).toThrow(BundleError);
  });

  it('gives a 60-digit fingerprint that changes with either key', () => {
    const fingerprint = identityFingerprint(alice);
    expect(fingerprint).toHaveLength(12);
    expect(fingerprint.join('')).toMatch(/^\d{60}$/);
    expect(identityFingerprint({ ...alice, boxPublicKey: bob.boxPublicKey })).not.toEqual(fingerprint);
    expect(identityFingerprint({ ...alice, signPublicKey: bob.signPublicKey })).not.toEqual(fingerprint);
  });
});

describe('bundle rejections', () => {
  const sample = () => writeBundle(alice, [bob], [bytesOf(150_000), bytesOf(10, 2)]);
  const headerLength = (bundle: Uint8Array) => readHeaderFacts(bundle)!.headerBytes;

  it('refuses what is not a bundle, or a version it does not know', () => {
    expectCode(() => readBundle(bob, new TextEncoder().encode('%PDF-1.7 not a bundle')), 'not-a-bundle');
    const future = sample();
    future[9] = 2;
    expectCode(() => readBundle(bob, future), 'unsupported-version');
  });

  it('refuses absurd header fields before allocating for them', () => {
    for (const [offset, value, code] of [
      [10, 1, 'header-malformed'], // flags
      [14, 1, 'header-malformed'], // chunk size 65 792
      [16, 0xff, 'header-malformed'], // 65 000-odd recipients
    ] as const) {
      const bundle = sample();
      bundle[offset] = value;
      expectCode(() => readBundle(bob, bundle), code);
    }
    const none = sample();
    none[16] = 0;
    none[17] = 0;
    expectCode(() => readBundle(bob, none), 'header-malformed');
  });

  it('detects a changed header byte (MAC) and a header taken from another bundle', () => {
    const bundle = sample();
    bundle[headerLength(bundle) - 40]! ^= 1; // inside the stream header, under the MAC
    expectCode(() => readBundle(bob, bundle), 'header-altered');
    const other = sample();
    const spliced = concatAll([other.subarray(0, headerLength(other)), bundle.subarray(headerLength(bundle))]);
    expectCode(() => readBundle(bob, spliced), 'payload-corrupt');
  });

  it('detects truncation at any chunk boundary, a removed, duplicated or swapped chunk, and trailing bytes', () => {
    const bundle = sample();
    const start = headerLength(bundle);
    const chunk = CHUNK_BYTES + 17;
    const chunks = [0, 1, 2].map((index) => bundle.subarray(start + index * chunk, start + (index + 1) * chunk));
    const head = bundle.subarray(0, start);
    expectCode(() => readBundle(bob, concatAll([head, chunks[0]!, chunks[1]!])), 'payload-truncated');
    expectCode(() => readBundle(bob, head), 'payload-truncated');
    expectCode(() => readBundle(bob, concatAll([head, chunks[0]!, chunks[2]!])), 'payload-corrupt');
    expectCode(
      () => readBundle(bob, concatAll([head, chunks[0]!, chunks[0]!, chunks[1]!, chunks[2]!])),
      'payload-corrupt',
    );
    expectCode(() => readBundle(bob, concatAll([head, chunks[1]!, chunks[0]!, chunks[2]!])), 'payload-corrupt');
    expectCode(() => readBundle(bob, concatAll([bundle, new Uint8Array([0])])), 'payload-corrupt');
    expectCode(() => readBundle(bob, bundle.subarray(0, bundle.byteLength - 1)), 'payload-corrupt');
  });

  it('rejects a bundle whose final chunk is followed by another chunk (two finals or bytes after the end)', () => {
    // A one-chunk bundle written twice: the second copy's chunk follows a final chunk.
    const small = writeBundle(alice, [bob], [bytesOf(65_000)]);
    const start = headerLength(small);
    const payload = small.subarray(start);
    expect(payload.byteLength).toBeGreaterThan(CHUNK_BYTES + 17);
    expectCode(() => readBundle(bob, concatAll([small, payload])), 'payload-corrupt');
  });

  it('rejects a signature by a key other than the sender the manifest names', () => {
    const forged = forgeBundle(alice, [bob], (manifest) => manifest, carol.signSecretKey);
    expectCode(() => readBundle(bob, forged), 'signature-invalid');
  });

  it('rejects a manifest that does not name the reader (a recipient forwarding it on)', () => {
    // Bob re-encrypts Alice's signed manifest, unchanged, to Carol.
    const forwarded = forgeBundle(alice, [carol], (manifest) => ({
      ...manifest,
      recipients: [recipientKeyId(bob.boxPublicKey)],
    }));
    expectCode(() => readBundle(carol, forwarded), 'not-a-named-recipient');
  });

  it('rejects a manifest signed for another header (the file key re-wrapped by a co-recipient)', () => {
    const rewrapped = forgeBundle(alice, [bob], (manifest) => ({ ...manifest, headerHash: '0'.repeat(64) }));
    expectCode(() => readBundle(bob, rewrapped), 'header-hash-mismatch');
  });

  it('rejects items whose bytes differ from the signed hash', () => {
    const tampered = forgeBundle(alice, [bob], (manifest) => manifest, alice.signSecretKey, new Uint8Array([9, 9, 9]));
    expectCode(() => readBundle(bob, tampered), 'item-hash-mismatch');
  });
});
