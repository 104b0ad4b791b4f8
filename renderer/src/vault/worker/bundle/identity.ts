import sodium from 'libsodium-wrappers-sumo';

/** A vault's long-term keys: Ed25519 to sign what it sends, X25519 to open what is sent to it. */
export interface IdentityKeys {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

export type PublicIdentity = Pick<IdentityKeys, 'signPublicKey' | 'boxPublicKey'>;

export function newIdentityKeys(): IdentityKeys {
  const sign = sodium.crypto_sign_keypair();
  const box = sodium.crypto_box_keypair();
  return {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
}

export function wipeIdentityKeys(keys: IdentityKeys): void {
  sodium.memzero(keys.signSecretKey);
  sodium.memzero(keys.boxSecretKey);
}

const encoder = new TextEncoder();

function labelledHash(label: string, ...parts: Uint8Array[]): Uint8Array {
  const state = sodium.crypto_generichash_init(null, 32);
  sodium.crypto_generichash_update(state, encoder.encode(label));
  for (const part of parts) sodium.crypto_generichash_update(state, part);
  return sodium.crypto_generichash_final(state, 32);
}

/** How a manifest names a recipient: a hash of its X25519 key (the header itself names nobody). */
export function recipientKeyId(boxPublicKey: Uint8Array): string {
  return sodium.to_hex(labelledHash('evidence-vault/recipient/v1\n', boxPublicKey));
}

/**
 * The fingerprint people compare aloud or on paper: 60 digits in 12 groups
 * of 5 (each group from 5 bytes of a hash of both public keys, as Signal's
 * safety numbers do), so two identities that differ anywhere differ here.
 */
export function identityFingerprint(identity: PublicIdentity): string[] {
  const hash = labelledHash('evidence-vault/identity/v1\n', identity.signPublicKey, identity.boxPublicKey);
  const groups: string[] = [];
  for (let group = 0; group < 12; group++) {
    let value = 0;
    // 5 bytes = 40 bits, exact in a double; reduced to 5 digits.
    for (let index = 0; index < 5; index++) value = value * 256 + hash[(group * 5 + index) % 32]!;
    groups.push(String(value % 100_000).padStart(5, '0'));
  }
  return groups;
}
