import sodium from 'libsodium-wrappers-sumo';
import { z } from '../../zod';
import { VaultError } from '../crypto/errors';
import { deriveKeyEncryptionKey, newKdfParams, type KdfParams } from '../crypto/kdf';
import { bytesOfHexDigits, hexDigitsOf } from '../crypto/key-bytes';
import { randomBytes } from '../crypto/random';
import { BundleError } from './errors';
import type { IdentityKeys, PublicIdentity } from './identity';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const IDENTITY_CARD_CONTEXT = new TextEncoder().encode('evidence-vault/identity-card/v1\n');

/**
 * An identity card: a name and two public keys, signed by the signing key it
 * carries (so a card cannot pair someone's signing key with another's
 * encryption key). Safe to hand to anyone; trust comes from comparing its
 * fingerprint face to face or by phone.
 */
export const identityCardSchema = z.strictObject({
  format: z.literal('evidence-vault-identity'),
  version: z.literal(1),
  name: z.string().trim().min(1).max(200),
  signingKey: hex32,
  encryptionKey: hex32,
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type IdentityCard = z.infer<typeof identityCardSchema>;

function cardSignedBytes(card: Omit<IdentityCard, 'signature'>): Uint8Array {
  const body = JSON.stringify([card.format, card.version, card.name, card.signingKey, card.encryptionKey]);
  const bytes = new TextEncoder().encode(body);
  const out = new Uint8Array(IDENTITY_CARD_CONTEXT.byteLength + bytes.byteLength);
  out.set(IDENTITY_CARD_CONTEXT);
  out.set(bytes, IDENTITY_CARD_CONTEXT.byteLength);
  return out;
}

export function makeIdentityCard(name: string, keys: IdentityKeys): IdentityCard {
  const unsigned = {
    format: 'evidence-vault-identity' as const,
    version: 1 as const,
    name: name.trim(),
    signingKey: sodium.to_hex(keys.signPublicKey),
    encryptionKey: sodium.to_hex(keys.boxPublicKey),
  };
  const signature = sodium.crypto_sign_detached(cardSignedBytes(unsigned), keys.signSecretKey);
  return { ...unsigned, signature: sodium.to_hex(signature) };
}

/** A card read from a file: its shape and self-signature checked. */
export function readIdentityCard(text: string): IdentityCard & { keys: PublicIdentity } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BundleError('manifest-invalid', 'This is not an identity card.');
  }
  const result = identityCardSchema.safeParse(parsed);
  if (!result.success) throw new BundleError('manifest-invalid', 'This is not an identity card.');
  const card = result.data;
  const keys = { signPublicKey: sodium.from_hex(card.signingKey), boxPublicKey: sodium.from_hex(card.encryptionKey) };
  let verified: boolean;
  try {
    verified = sodium.crypto_sign_verify_detached(
      sodium.from_hex(card.signature),
      cardSignedBytes(card),
      keys.signPublicKey,
    );
  } catch {
    verified = false;
  }
  if (!verified) throw new BundleError('signature-invalid', 'The identity card is not signed by the key it carries.');
  return { ...card, keys };
}

/**
 * The identity's secret keys in a file of their own (for the command-line
 * verifier), sealed with a key derived from a passphrase by Argon2id with the
 * vault's limits. Nothing in it is readable without the passphrase, not even
 * whose identity it is.
 */
const keyFileSchema = z.strictObject({
  format: z.literal('evidence-vault-identity-key'),
  version: z.literal(1),
  kdf: z.strictObject({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int(),
    memLimit: z.number().int(),
    salt: z.string().max(64),
  }),
  nonce: z.string().max(64),
  ciphertext: z.string().max(4096),
});

const keyFileSecretsSchema = z.strictObject({
  name: z.string().max(200),
  signSecretKey: z.string().regex(/^[0-9a-f]{128}$/),
  boxSecretKey: hex32,
});

/**
 * The sealed part of a key file is the JSON text
 * `{"name":…,"signSecretKey":"<hex>","boxSecretKey":"<hex>"}` (version 1,
 * kept as it is: files already written must open, and older verifiers must
 * read new ones). The keys' hex digits are written and read as bytes, never
 * as strings (key-bytes.ts): a string cannot be wiped.
 */
const SECRET_FIELDS = [
  { field: 'signSecretKey', bytes: 64 },
  { field: 'boxSecretKey', bytes: 32 },
] as const;

const encoder = new TextEncoder();

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The sealed JSON text of a key file, as bytes; the caller wipes it. */
function keyFileSecretBytes(name: string, keys: IdentityKeys): Uint8Array {
  const signHex = hexDigitsOf(keys.signSecretKey);
  const boxHex = hexDigitsOf(keys.boxSecretKey);
  try {
    return concatBytes([
      encoder.encode(`{"name":${JSON.stringify(name)},"signSecretKey":"`),
      signHex,
      encoder.encode('","boxSecretKey":"'),
      boxHex,
      encoder.encode('"}'),
    ]);
  } finally {
    signHex.fill(0);
    boxHex.fill(0);
  }
}

/** Where `pattern` occurs in `bytes`: the one offset, or -1 if it occurs never or more than once. */
function onlyOffsetOf(bytes: Uint8Array, pattern: Uint8Array): number {
  let found = -1;
  outer: for (let at = 0; at + pattern.byteLength <= bytes.byteLength; at++) {
    for (let index = 0; index < pattern.byteLength; index++) if (bytes[at + index] !== pattern[index]) continue outer;
    if (found !== -1) return -1;
    found = at;
  }
  return found;
}

/**
 * Takes the secret keys out of a key file's sealed JSON text: each key's hex
 * digits decoded straight into bytes and overwritten with '0' in `plain`, so
 * the text left to parse (name, structure) holds no key. Null if a key is not
 * where the format puts it.
 */
function takeSecretKeys(plain: Uint8Array): { signSecretKey: Uint8Array; boxSecretKey: Uint8Array } | null {
  const taken: Uint8Array[] = [];
  for (const { field, bytes } of SECRET_FIELDS) {
    const start = onlyOffsetOf(plain, encoder.encode(`"${field}":"`));
    const digits = start === -1 ? null : plain.subarray(start + field.length + 4, start + field.length + 4 + bytes * 2);
    const key =
      digits && digits.byteLength === bytes * 2 && plain[start + field.length + 4 + bytes * 2] === 0x22
        ? bytesOfHexDigits(digits)
        : null;
    if (!key) {
      for (const done of taken) done.fill(0);
      return null;
    }
    digits!.fill(0x30);
    taken.push(key);
  }
  return { signSecretKey: taken[0]!, boxSecretKey: taken[1]! };
}

export async function writeIdentityKeyFile(
  name: string,
  keys: IdentityKeys,
  passphrase: Uint8Array,
  kdf: { opsLimit: number; memLimit: number } = { opsLimit: 3, memLimit: 256 * 1024 * 1024 },
): Promise<string> {
  const params = newKdfParams(kdf);
  const key = await deriveKeyEncryptionKey(passphrase, params);
  const nonce = randomBytes(sodium.crypto_secretbox_NONCEBYTES);
  const secrets = keyFileSecretBytes(name, keys);
  const ciphertext = sodium.crypto_secretbox_easy(secrets, nonce, key);
  sodium.memzero(key);
  sodium.memzero(secrets);
  return JSON.stringify(
    {
      format: 'evidence-vault-identity-key',
      version: 1,
      kdf: {
        algorithm: params.algorithm,
        opsLimit: params.opsLimit,
        memLimit: params.memLimit,
        salt: sodium.to_base64(params.salt, sodium.base64_variants.ORIGINAL),
      },
      nonce: sodium.to_base64(nonce, sodium.base64_variants.ORIGINAL),
      ciphertext: sodium.to_base64(ciphertext, sodium.base64_variants.ORIGINAL),
    },
    null,
    2,
  );
}

export class KeyFileError extends Error {
  constructor(
    readonly code: 'not-a-key-file' | 'wrong-passphrase' | 'kdf-params-refused',
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/** Opens a key file; the passphrase bytes are wiped. */
export async function readIdentityKeyFile(
  text: string,
  passphrase: Uint8Array,
): Promise<IdentityKeys & { name: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyFileError('not-a-key-file', 'This is not an Evidence Vault identity key file.');
  }
  const result = keyFileSchema.safeParse(parsed);
  if (!result.success) throw new KeyFileError('not-a-key-file', 'This is not an Evidence Vault identity key file.');
  const file = result.data;
  let salt: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array;
  try {
    salt = sodium.from_base64(file.kdf.salt, sodium.base64_variants.ORIGINAL);
    nonce = sodium.from_base64(file.nonce, sodium.base64_variants.ORIGINAL);
    ciphertext = sodium.from_base64(file.ciphertext, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new KeyFileError('not-a-key-file', 'This is not an Evidence Vault identity key file.');
  }
  const params: KdfParams = { algorithm: 'argon2id13', opsLimit: file.kdf.opsLimit, memLimit: file.kdf.memLimit, salt };
  let key: Uint8Array;
  try {
    key = await deriveKeyEncryptionKey(passphrase, params);
  } catch (error) {
    // The KDF worker failing is not the file's fault: said as it is.
    if (error instanceof VaultError && error.code === 'engine-failed') throw error;
    throw new KeyFileError(
      'kdf-params-refused',
      'The key file asks for key-derivation settings outside the safe range.',
    );
  }
  let secrets: Uint8Array;
  try {
    if (nonce.byteLength !== sodium.crypto_secretbox_NONCEBYTES) throw new Error('nonce');
    secrets = sodium.crypto_secretbox_open_easy(ciphertext, nonce, key);
  } catch {
    throw new KeyFileError('wrong-passphrase', 'Wrong passphrase for this key file (or the file was altered).');
  } finally {
    sodium.memzero(key);
  }
  // The keys leave the text as bytes; what is parsed as JSON then holds '0's where they were.
  const taken = takeSecretKeys(secrets);
  let innerJson: unknown = null;
  try {
    if (taken) innerJson = JSON.parse(new TextDecoder().decode(secrets));
  } catch {
    // reported below as holding no identity
  }
  sodium.memzero(secrets);
  const inner = keyFileSecretsSchema.safeParse(innerJson);
  // The digits taken must be the ones the JSON names (not text inside the name).
  if (
    !taken ||
    !inner.success ||
    inner.data.signSecretKey !== '0'.repeat(128) ||
    inner.data.boxSecretKey !== '0'.repeat(64)
  ) {
    if (taken) {
      sodium.memzero(taken.signSecretKey);
      sodium.memzero(taken.boxSecretKey);
    }
    throw new KeyFileError('not-a-key-file', 'The key file holds no identity.');
  }
  const { signSecretKey, boxSecretKey } = taken;
  return {
    name: inner.data.name,
    signSecretKey,
    signPublicKey: sodium.crypto_sign_ed25519_sk_to_pk(signSecretKey),
    boxSecretKey,
    boxPublicKey: sodium.crypto_scalarmult_base(boxSecretKey),
  };
}
