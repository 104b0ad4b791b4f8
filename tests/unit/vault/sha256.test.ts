import fc from 'fast-check';
import type { IHasher } from 'hash-wasm';
import sodium from 'libsodium-wrappers-sumo';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newSha256, prepareFastSha256 } from '../../../renderer/src/vault/worker/crypto/sha256';
import { Sha256InMemory, SodiumArea } from '../../../renderer/src/vault/worker/crypto/sodium-memory';

const nodeSha256 = (parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

beforeAll(async () => {
  await sodium.ready;
  await prepareFastSha256();
});

describe('SHA-256 streams', () => {
  it('give the same digest as Node and libsodium for any pieces, from arrays and from libsodium memory', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40_000 }), { maxLength: 6 }), (parts) => {
        const fast = newSha256();
        expect(fast).not.toBeInstanceOf(Sha256InMemory);
        const slow = new Sha256InMemory();
        parts.forEach((part, index) => {
          if (index % 2 === 0) {
            fast.updateBytes(part);
          } else {
            const area = SodiumArea.allocate(part.byteLength + 3);
            area.write(part, 3);
            fast.update(area, 3, part.byteLength);
            area.free();
          }
          slow.updateBytes(part);
        });
        const expected = nodeSha256(parts);
        expect(fast.hexDigest()).toBe(expected);
        expect(slow.hexDigest()).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('falls back to libsodium when every fast instance is in use, with the same digests', () => {
    const held = Array.from({ length: 6 }, () => newSha256());
    expect(held.filter((hash) => hash instanceof Sha256InMemory).length).toBeGreaterThan(0);
    const input = new TextEncoder().encode('Criminal Code arts. 494/495');
    for (const hash of held) hash.updateBytes(input);
    const digests = new Set(held.map((hash) => hash.hexDigest()));
    expect([...digests]).toEqual([nodeSha256([input])]);
  });

  it('leaves none of the hashed bytes in the instance it gives back', () => {
    const marker = new TextEncoder().encode('MARKER-source-name-'.repeat(40)); // 760 bytes: buffer and partial block
    const hash = newSha256();
    hash.updateBytes(marker);
    hash.updateBytes(marker.subarray(0, 37));
    hash.hexDigest();
    // The instance went back to the spares; the next stream gets it (last in, first out).
    const reused = newSha256() as unknown as { instance: IHasher };
    const state = reused.instance.save();
    const text = new TextDecoder('latin1').decode(state);
    expect(text).not.toContain('MARKER');
    expect(state.subarray(4).some((byte) => byte !== 0)).toBe(true); // a live, initialised state
    (reused as unknown as { close(): void }).close();
  });

  it('refuses use after the digest', () => {
    const hash = newSha256();
    hash.hexDigest();
    expect(() => hash.updateBytes(new Uint8Array(1))).toThrow();
  });
});
