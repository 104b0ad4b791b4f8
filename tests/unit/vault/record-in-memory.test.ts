/**
 * Records sealed and opened in libsodium's memory (sodium-memory.ts, sealRecordInMemory and
 * openRecordInMemory, through envelope.ts): the same envelopes as the wrappers' path wrote (stored vaults still
 * open), the same refusals, and no key or plaintext left behind in that memory.
 */
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalBytes } from '../../../renderer/src/vault/worker/crypto/canonical';
import {
  ENVELOPE_VERSION,
  openJson,
  openRecord,
  sealJson,
  sealRecord,
} from '../../../renderer/src/vault/worker/crypto/envelope';
import { VaultError } from '../../../renderer/src/vault/worker/crypto/errors';
import {
  NOT_AUTHENTIC,
  openRecordInMemory,
  sealRecordInMemory,
  wipeRecordMemory,
} from '../../../renderer/src/vault/worker/crypto/sodium-memory';

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
/** True if `needle` occurs anywhere in libsodium's memory. */
const inHeap = (needle: Uint8Array) => Buffer.from(heap()).includes(Buffer.from(needle));
const utf8 = (text: string) => new TextEncoder().encode(text);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof VaultError ? error.code : `not a VaultError: ${String(error)}`;
  }
  return 'no error';
}

/** The associated data of a record as envelope.ts has always bound it. */
const recordAd = (table: string, id: string, schema: number) =>
  canonicalBytes(['ev-record', ENVELOPE_VERSION, table, id, schema]);

/** An envelope as the wrappers' path wrote it (sodium.pad, then the wrappers' AEAD): what stored vaults hold. */
function wrapperEnvelope(key: Uint8Array, table: string, id: string, schema: number, plain: Uint8Array): Uint8Array {
  const block = plain.byteLength < 16 * 1024 ? 256 : 4096;
  const nonce = sodium.randombytes_buf(24);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    sodium.pad(plain, block),
    recordAd(table, id, schema),
    null,
    nonce,
    key,
  );
  const envelope = new Uint8Array(3 + 24 + ciphertext.byteLength);
  envelope.set([ENVELOPE_VERSION, schema >> 8, schema & 0xff]);
  envelope.set(nonce, 3);
  envelope.set(ciphertext, 27);
  return envelope;
}

/** What the wrappers open from an envelope of ours: the plaintext, unpadded. */
function openedByWrappers(key: Uint8Array, table: string, id: string, envelope: Uint8Array): Uint8Array {
  const schema = (envelope[1]! << 8) | envelope[2]!;
  const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
    null,
    envelope.subarray(27),
    recordAd(table, id, schema),
    envelope.subarray(3, 27),
    key,
  );
  return sodium.unpad(padded, padded.byteLength <= 16 * 1024 ? 256 : 4096);
}

describe('records sealed in libsodium memory', () => {
  it('write what the wrappers open, padded as before, for JSON of any script and for raw bytes', () => {
    const key = sodium.randombytes_buf(32);
    for (const value of [
      { title: 'x' },
      { title: 'ការឃុំខ្លួនមុនពេលជំនុំជម្រះ', notes: 'é'.repeat(300) },
      { summary: 'w'.repeat(20_000) }, // above 16 KiB: 4 KiB blocks
      { summary: 'ក'.repeat(40_000) }, // above the in-place limit: encoded first
      null,
    ]) {
      const envelope = sealJson(key, { table: 'case', id: 'c1' }, 3, value);
      const json = utf8(JSON.stringify(value));
      expect(openedByWrappers(key, 'case', 'c1', envelope)).toEqual(json);
      const block = json.byteLength < 16 * 1024 ? 256 : 4096;
      expect(envelope.byteLength).toBe(3 + 24 + (Math.floor(json.byteLength / block) + 1) * block + 16);
      expect([...envelope.subarray(0, 3)]).toEqual([ENVELOPE_VERSION, 0, 3]);
    }
    const raw = sodium.randombytes_buf(1000);
    expect(openedByWrappers(key, 'log-entry', 'l', sealRecord(key, { table: 'log-entry', id: 'l' }, 1, raw))).toEqual(
      raw,
    );
  });

  it('open what the wrappers wrote (vaults stored before), and each sealing gets a new nonce', () => {
    const key = sodium.randombytes_buf(32);
    const value = { id: 'c1', title: 'ការឃុំខ្លួន', tags: ['a'] };
    const stored = wrapperEnvelope(key, 'case', 'c1', 1, utf8(JSON.stringify(value)));
    expect(openJson(key, { table: 'case', id: 'c1' }, stored)).toEqual(value);
    const bytes = sodium.randombytes_buf(5000);
    expect(openRecord(key, { table: 'x', id: 'y' }, wrapperEnvelope(key, 'x', 'y', 7, bytes))).toEqual(bytes);
    const again = [
      sealJson(key, { table: 'case', id: 'c1' }, 1, value),
      sealJson(key, { table: 'case', id: 'c1' }, 1, value),
    ];
    expect(again[0]!.subarray(3, 27)).not.toEqual(again[1]!.subarray(3, 27));
  });

  it('refuse a flipped byte, another table, id, schema or key, and truncation, with the same codes', () => {
    const key = sodium.randombytes_buf(32);
    const envelope = sealJson(key, { table: 'case', id: 'a' }, 1, { title: 'marker' });
    expect(codeOf(() => openJson(key, { table: 'case', id: 'b' }, envelope))).toBe('record-tampered');
    expect(codeOf(() => openJson(key, { table: 'person', id: 'a' }, envelope))).toBe('record-tampered');
    expect(codeOf(() => openRecord(key, { table: 'case', id: 'b' }, envelope))).toBe('record-tampered');
    expect(codeOf(() => openJson(sodium.randombytes_buf(32), { table: 'case', id: 'a' }, envelope))).toBe(
      'record-tampered',
    );
    const relabelled = envelope.slice();
    relabelled[2] = 2; // schema 2: bound in the associated data
    expect(codeOf(() => openJson(key, { table: 'case', id: 'a' }, relabelled))).toBe('record-tampered');
    for (const at of [3, 26, 27, 100, envelope.byteLength - 1]) {
      const flipped = envelope.slice();
      flipped[at]! ^= 0x40;
      expect(
        codeOf(() => openJson(key, { table: 'case', id: 'a' }, flipped)),
        `byte ${at}`,
      ).toBe('record-tampered');
    }
    expect(codeOf(() => openJson(key, { table: 'case', id: 'a' }, envelope.subarray(0, 42)))).toBe('record-tampered');
    const versioned = envelope.slice();
    versioned[0] = 2;
    expect(codeOf(() => openJson(key, { table: 'case', id: 'a' }, versioned))).toBe('unknown-envelope-version');
    // The sealer itself: a key of the wrong length is refused, never used.
    expect(codeOf(() => sealJson(new Uint8Array(31), { table: 'case', id: 'a' }, 1, {}))).toBe('engine-failed');
    expect(openRecordInMemory(new Uint8Array(31), new Uint8Array(1), envelope, 3, () => 1)).toBe(NOT_AUTHENTIC);
  });

  it('refuse authentic plaintext with malformed padding (record-tampered)', () => {
    const key = sodium.randombytes_buf(32);
    const ad = recordAd('case', 'a', 1);
    const header = Uint8Array.from([ENVELOPE_VERSION, 0, 1]);
    // 256 bytes of zeros: no 0x80 marker.
    const noMarker = sealRecordInMemory(key, ad, header, 256, (into) => {
      into.fill(0, 0, 256);
      return 256;
    });
    expect(codeOf(() => openJson(key, { table: 'case', id: 'a' }, noMarker))).toBe('record-tampered');
    // Not a whole block.
    const ragged = sealRecordInMemory(key, ad, header, 300, (into) => {
      into.fill(0, 0, 300);
      into[0] = 0x80;
      return 300;
    });
    expect(codeOf(() => openRecord(key, { table: 'case', id: 'a' }, ragged))).toBe('record-tampered');
  });

  it('leave no key or plaintext in libsodium memory, whether they succeed, fail or meet a large record', () => {
    // A key and a marker that only ever reach libsodium's memory through the paths under test (the wrappers'
    // randombytes_buf would leave a copy there).
    const key = crypto.getRandomValues(new Uint8Array(32));
    const marker = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex');
    const big = `${marker}${'z'.repeat(400_000)}`;
    const envelope = sealJson(key, { table: 'case', id: 'a' }, 1, { marker });
    const large = sealJson(key, { table: 'case', id: 'a' }, 1, { big });
    expect((openJson(key, { table: 'case', id: 'a' }, envelope) as { marker: string }).marker).toBe(marker);
    expect((openJson(key, { table: 'case', id: 'a' }, large) as { big: string }).big).toBe(big);
    openRecord(key, { table: 'case', id: 'a' }, envelope).fill(0);
    expect(codeOf(() => openJson(key, { table: 'case', id: 'b' }, envelope))).toBe('record-tampered');

    // A record whose padding is refused after it authenticated: its plaintext was in that memory too.
    const badPadding = sealRecordInMemory(key, recordAd('case', 'a', 1), Uint8Array.from([1, 0, 1]), 256, (into) => {
      into.set(utf8(marker));
      into.fill(0, marker.length, 256);
      return 256;
    });
    expect(codeOf(() => openJson(key, { table: 'case', id: 'a' }, badPadding))).toBe('record-tampered');
    // A reader that throws: the memory is still wiped.
    expect(() =>
      openRecordInMemory(key, recordAd('case', 'a', 1), envelope, 3, () => {
        throw new Error('reader failed');
      }),
    ).toThrow('reader failed');

    expect(inHeap(key)).toBe(false);
    expect(inHeap(utf8(marker))).toBe(false);
  });
});

describe('record nonces', () => {
  it('are new for every sealing, across the draws that fill the pool', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const seen = new Set<string>();
    // 128 nonces a draw: 1,000 sealings cross several.
    for (let index = 0; index < 1000; index++) {
      const nonce = sealJson(key, { table: 'case', id: 'a' }, 1, index).subarray(3, 27);
      expect(nonce.some((byte) => byte !== 0)).toBe(true);
      seen.add(Buffer.from(nonce).toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });
});

describe('record associated data', () => {
  it('is canonicalBytes of the address and schema, byte for byte, for any table, id and schema version', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const addresses = [
      { table: 'case', id: 'a3f09c1d2e4b5a6978f0e1d2c3b4a596' },
      { table: 'log-head', id: 'log-head' },
      { table: 'integrity-bucket', id: '255' },
      { table: 'case', id: '' },
      { table: 'ឯកសារ', id: 'ឯកសារ-1 é' },
      { table: 'case', id: 'lone \ud800 surrogate' },
    ];
    for (const address of addresses)
      for (const schema of [0, 1, 2, 255, 65_535]) {
        // Sealed under the general encoding, opened through the record path: equal only if the bytes are.
        const plain = utf8(`${address.table}|${address.id}|${schema}`);
        const nonce = crypto.getRandomValues(new Uint8Array(24));
        const ad = recordAd(address.table, address.id, schema);
        const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
          sodium.pad(plain, 256),
          ad,
          null,
          nonce,
          key,
        );
        const envelope = new Uint8Array([ENVELOPE_VERSION, schema >> 8, schema & 0xff, ...nonce, ...ciphertext]);
        expect(openRecord(key, address, envelope)).toEqual(plain);
        expect(openedByWrappers(key, address.table, address.id, sealRecord(key, address, schema, plain))).toEqual(
          plain,
        );
      }
  });
});

/**
 * Envelopes written by the code before records were sealed in libsodium's memory (main at 7e56173: the wrappers'
 * AEAD, canonicalBytes for the associated data, one Web Crypto call per nonce), kept as bytes: a vault stored then
 * must open now, whatever the code that wrote them and the tests' own re-creations of it come to.
 */
const BEFORE = {
  key: '030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc',
  json: [
    '010002967571cb7c64d1454965a22207e5567bbd7dfce40691135baae8e46b25ce84f35e574f8b1c5d2b0792b2bfc0ba',
    'e14a459284059289e2975b30d02c003e665cb9661b8c00c093be9613d77e17c574aec0f6851bcb9e751cd2a0b0f495ca',
    'b7082b9284583ba7133286df516e725aab61526617e7147a5cb85e8fe2fe5f6e31eed3daccf9a3415d373fa8679622e6',
    'e752982ed8ed20bf2839b6f852150a58a15a31af45f7be1b01bf25a25378895e4aa735c7911f29806600729b1552f7b5',
    '7233602a73923eb46091f61f10ab55502b2acff002a04698669f1b1f391d060031fcf871f261ea28a4537c96e66845bc',
    '67a9ec3c00cce15395c6e4616f98cac94e451981380634f499b0598067f306eb287b0c4c59cba32dd2f40bbda68a7fbf',
    '609c50cdfa842ee4ee72de',
  ].join(''),
  byteFields: [
    '010001fd2b09d94f1d3e6a94576c6875a42325c13b3f76e0f69aa6135cc0cf92db117bd407728851c265f8c95d4645bb',
    '45cb8b3328bc86cc263fe7ab36f2ea11f205694135dc7b3b235515de37733f37b093d3a1d472f44feff8dad2cb780947',
    '566401b49d36749983652e64d6adbf45f9e0a5dce227adf4f309bbb1a73e999dcdfcae83c3da8259be6c8c4c8febfb4f',
    'c6e98933a6517a9f6bb20271e9c16c4bac90b7100f80bd8ef0d5503f78f84ebeda9d732a1405b2400482c91f6c740d77',
    '7c204b1c51779a187078cc94da82a76ab5e08594fa7653687c5cbb08fdf38f50f063e65a56fb640e3833483f1a14aed8',
    'b6735f124243de92b6ed49905c8f3bad230b83d53b693ada3f675d0d2659f5c8c449145e6a71ef62f224ab183d824b33',
    '974aa99ffaef5fc95c55de',
  ].join(''),
  raw: [
    '01ffff6d44ec77bc77e703265b3d55107b61246ac5ad7b4ee51c44b53a7c81dd42fdf1f26151c4efdb7e497a5deac01f',
    '2452a4c819847b658860926e8a291e0c48bd1cafc06168a9465fada4c6becc9155cc6d6bf4efc7283715ab38d42aeee4',
    '4e9d31837e6f8dd5c81fcc67d456a8610cdb1706268af71f127e2890f1a0eb881a8d7c9b543ee75f3c0b1c945c57c18b',
    '41de8f5f596f69324dd953f020e3bf9267bcb01a671a64d80bd82fa131b3d267dea90c3a4f88071b750302ccbe4276f3',
    '28a59692996e936cdeae332ea3f20300a14d171a0ee7a3a2b2280bf78dbe4a8d0f2a6eec5c3a8d1cb854203b54044681',
    '57c77db1e40ae34603311c19863e89168dad7112927962b1b873e4e362d592f306f1f196171eefec9aa1c5416d958c74',
    'fd9d9a3195f1dd10c11bb9800a5ea9b691e2ca30c416ad0a2016a89d1328c761d6bc07fc918381bffaee8f81741c4340',
    'b09dbf6477f4e8db7a7d1e14b0f9f80522d076cba8e38d9b4efbbc6e760dc40645c97f118604b7211ed7a66e18a61c23',
    '9f948c6a9f98e39c0511a5ac95e92abf31f6aed5a5dea174bc8287187f531f66ae037052f1b6f8a2b2965b26e143b381',
    '61c9fb1a3af8150a445bb9b38bfcb285e47fdb241d8602647b313ce047ec9e8673d2ba5b6e983e86067156e31d2a0986',
    '0c99daa59474463c13e1286844f92d103cf102bdb2005a411cfb32bd0c0bea233e3afa51fb7e8d4737f5659cd03bc44d',
    'abb1ad6205b0e151b928f39ef2054f786ccda28abef1a6de97321c',
  ].join(''),
};
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('envelopes stored before this code', () => {
  it('open byte for byte: JSON, a record holding a key as bytes, raw bytes under a non-ASCII address', () => {
    const key = fromHex(BEFORE.key);
    expect(openJson(key, { table: 'case', id: '3f1c0a9e5b7d2c4e6a8f0b1d3e5c7a9f' }, fromHex(BEFORE.json))).toEqual({
      title: 'ការឃុំខ្លួន é',
      n: 1,
    });
    const withKey = openJson(key, { table: 'case-key', id: 'log-head' }, fromHex(BEFORE.byteFields)) as {
      caseId: string;
      key: Uint8Array;
    };
    expect(withKey.caseId).toBe('c1');
    expect(withKey.key).toEqual(Uint8Array.from({ length: 32 }, (_, at) => 255 - at));
    expect(openRecord(key, { table: 'ឯកសារ', id: 'id é' }, fromHex(BEFORE.raw))).toEqual(
      Uint8Array.from({ length: 300 }, (_, at) => at & 0xff),
    );
    // Bound to their address as before.
    expect(
      codeOf(() => openJson(key, { table: 'case', id: '3f1c0a9e5b7d2c4e6a8f0b1d3e5c7a9e' }, fromHex(BEFORE.json))),
    ).toBe('record-tampered');
  });
});

describe('the kept record area, one call at a time', () => {
  it('refuses a record call made from inside another’s callback, wipes both, and serves the next call', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const outer = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    const envelope = sealJson(key, { table: 'case', id: 'a' }, 1, { title: outer });
    const ad = recordAd('case', 'a', 1);
    // From inside an open's reader: the inner call must not reuse (overwrite, wipe or grow) the area in use.
    expect(() =>
      openRecordInMemory(key, ad, envelope, 3, () => sealJson(key, { table: 'case', id: 'b' }, 1, { title: 'inner' })),
    ).toThrow(VaultError);
    // From inside a seal's writer, the large-record path included.
    expect(() =>
      sealRecordInMemory(key, ad, Uint8Array.from([1, 0, 1]), 256, () => {
        openJson(key, { table: 'case', id: 'a' }, envelope);
        return 0;
      }),
    ).toThrow(VaultError);
    expect(() =>
      sealRecordInMemory(key, ad, Uint8Array.from([1, 0, 1]), 300_000, () => {
        openJson(key, { table: 'case', id: 'a' }, envelope);
        return 0;
      }),
    ).toThrow(VaultError);
    expect(inHeap(key)).toBe(false);
    expect(inHeap(utf8(outer))).toBe(false);
    // Released after each refusal.
    expect(openJson(key, { table: 'case', id: 'a' }, envelope)).toEqual({ title: outer });
  });

  it('refuses a reader that answers with a promise (it would read the plaintext after it is wiped)', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const later = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    const envelope = sealJson(key, { table: 'case', id: 'a' }, 1, { title: later });
    let readLater: Uint8Array | undefined;
    expect(() =>
      openRecordInMemory(key, recordAd('case', 'a', 1), envelope, 3, async (padded) => {
        await Promise.resolve();
        readLater = padded.slice();
      }),
    ).toThrow(VaultError);
    await Promise.resolve();
    await Promise.resolve();
    // What the late reader saw is zeros, never the record.
    expect(readLater === undefined || readLater.every((byte) => byte === 0)).toBe(true);
    expect(inHeap(utf8(later))).toBe(false);
    expect(openJson(key, { table: 'case', id: 'a' }, envelope)).toEqual({ title: later });
  });
});

describe('record nonces at lock', () => {
  it('are drawn afresh after wipeRecordMemory (the pool’s unused nonces dropped)', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    wipeRecordMemory();
    sealJson(key, { table: 'case', id: 'a' }, 1, {}); // one draw: 127 nonces left in the pool
    const draws = vi.spyOn(globalThis.crypto, 'getRandomValues');
    sealJson(key, { table: 'case', id: 'a' }, 1, {});
    expect(draws).not.toHaveBeenCalled();
    wipeRecordMemory();
    sealJson(key, { table: 'case', id: 'a' }, 1, {});
    expect(draws).toHaveBeenCalledTimes(1);
  });

  it('are never zeros from a draw that wrote nothing, nor a nonce handed out before', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    wipeRecordMemory();
    const draws = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => array);
    expect(codeOf(() => sealJson(key, { table: 'case', id: 'a' }, 1, { title: 'x' }))).toBe('engine-failed');
    // The zeroed pool is not retried slot by slot into a success: every slot is refused until a real draw.
    expect(codeOf(() => sealJson(key, { table: 'case', id: 'a' }, 1, { title: 'x' }))).toBe('engine-failed');
    draws.mockRestore();
    wipeRecordMemory();
    const envelope = sealJson(key, { table: 'case', id: 'a' }, 1, { title: 'x' });
    expect(envelope.subarray(3, 27).some((byte) => byte !== 0)).toBe(true);
    expect(inHeap(key)).toBe(false);
  });
});
