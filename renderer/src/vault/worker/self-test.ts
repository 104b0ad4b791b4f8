import sodium from 'libsodium-wrappers-sumo';
import type { EngineHealth } from '../api';
import { AEAD_NONCE_BYTES, SecretStream, SodiumArea, aeadSeal, keyArea } from './crypto/sodium-memory';

/**
 * Known answer for Argon2id (t=2, m=64 KiB, p=1, 32-byte output) of the
 * password "evidence-vault self-test" with salt bytes 0..15, as computed by
 * libsodium 1.0.22. A different answer means a broken or substituted build.
 */
const ARGON2ID_KNOWN_ANSWER = '8e1b70c88fa0124633928f34bca4690482aa50aa98e8b7897fd6eb26a6593765';

/** How long the WebAssembly module may take to load before we give up. */
const SODIUM_READY_TIMEOUT_MS = 15_000;

type Check = [name: string, run: () => boolean];

function argon2idMatchesKnownAnswer(): boolean {
  const salt = Uint8Array.from({ length: 16 }, (_, index) => index);
  const output = sodium.crypto_pwhash(
    32,
    new TextEncoder().encode('evidence-vault self-test'),
    salt,
    2,
    64 * 1024,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  return sodium.to_hex(output) === ARGON2ID_KNOWN_ANSWER;
}

function secretstreamRoundTrips(): boolean {
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const message = sodium.randombytes_buf(100);
  const sealed = sodium.crypto_secretstream_xchacha20poly1305_push(
    state,
    message,
    null,
    sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
  );
  const reader = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(reader, sealed, null);
  // pull returns false (it does not throw) on forged input.
  if (opened === false) return false;
  const forged = sealed.slice();
  forged[0] = (forged[0] ?? 0) ^ 1;
  const reader2 = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  const rejected = sodium.crypto_secretstream_xchacha20poly1305_pull(reader2, forged, null) === false;
  return (
    rejected &&
    opened.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL &&
    sodium.memcmp(opened.message, message)
  );
}

function aeadRejectsForgery(): boolean {
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array([1, 2, 3]), 'aad', null, nonce, key);
  sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, 'aad', nonce, key);
    return false;
  } catch {
    return true;
  }
}

/** The bulk paths call libsodium's module directly (crypto/sodium-memory.ts): they must agree with the wrappers. */
function directCallsAgreeWithWrappers(): boolean {
  const key = sodium.randombytes_buf(32);
  const message = sodium.randombytes_buf(100);
  const nonce = sodium.randombytes_buf(AEAD_NONCE_BYTES);
  const areas = [keyArea(key), SodiumArea.allocate(100), SodiumArea.allocate(100 + 17), SodiumArea.allocate(32)];
  const [keyInMemory, plain, sealed, mac] = areas as [SodiumArea, SodiumArea, SodiumArea, SodiumArea];
  try {
    plain.write(message);
    aeadSeal(keyInMemory, nonce, new Uint8Array(0), plain, 0, 100, sealed, 0);
    const aeadAgrees = sodium.memcmp(
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.copyOut(0, 116), null, nonce, key),
      message,
    );
    const { stream, header } = SecretStream.push(key);
    stream.seal(plain, 0, 100, mac, sealed, 0, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    stream.close();
    const reader = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(
      reader,
      sealed.copyOut(0, 117),
      mac.copyOut(0, 32),
    );
    return aeadAgrees && opened !== false && sodium.memcmp(opened.message, message);
  } catch {
    return false;
  } finally {
    for (const area of areas) area.free();
  }
}

const CHECKS: Check[] = [
  ['crypto_pwhash is present (sumo build)', () => typeof sodium.crypto_pwhash === 'function'],
  ['Argon2id known answer', argon2idMatchesKnownAnswer],
  ['secretstream round trip and forgery rejection', secretstreamRoundTrips],
  ['XChaCha20-Poly1305 forgery rejection', aeadRejectsForgery],
  ['direct calls into libsodium agree with its wrappers', directCallsAgreeWithWrappers],
];

async function sodiumReady(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), SODIUM_READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([sodium.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs once at worker start. Fails closed: any error is a failure. */
export async function runSelfTest(): Promise<EngineHealth> {
  try {
    await sodiumReady();
  } catch {
    return { ok: false, sodiumVersion: 'unavailable', failures: ['libsodium WebAssembly did not load'] };
  }
  const failures: string[] = [];
  for (const [name, run] of CHECKS) {
    let passed: boolean;
    try {
      passed = run();
    } catch {
      passed = false;
    }
    if (!passed) failures.push(name);
  }
  return { ok: failures.length === 0, sodiumVersion: sodium.sodium_version_string(), failures };
}
