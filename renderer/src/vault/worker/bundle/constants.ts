/**
 * Evidence Vault bundle format, version 1 (docs/bundle-format.md is the
 * specification; this file holds its numbers). One version is one fixed
 * suite: nothing here is negotiated.
 */
const ascii = (text: string) => new TextEncoder().encode(text);

/** "EVBUNDLE": the first 8 bytes of every bundle. */
export const MAGIC = ascii('EVBUNDLE');
export const FORMAT_VERSION = 1;

/** Plaintext bytes per payload chunk (the last chunk may be shorter, never empty). */
export const CHUNK_BYTES = 64 * 1024;
/** secretstream adds a tag byte and a 16-byte MAC to every chunk. */
export const CHUNK_OVERHEAD = 17;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + CHUNK_OVERHEAD;

export const FILE_KEY_BYTES = 32;
/** crypto_box_seal of the 32-byte file key: 32-byte ephemeral key + 32 + 16-byte MAC. */
export const STANZA_BYTES = 80;
export const STREAM_HEADER_BYTES = 24;
export const HEADER_MAC_BYTES = 32;
export const MAX_RECIPIENTS = 32;

/** magic 8 | version u16 | flags u16 | chunk size u32 | recipient count u16 */
export const FIXED_HEADER_BYTES = 8 + 2 + 2 + 4 + 2;

export function headerBytesFor(recipients: number): number {
  return FIXED_HEADER_BYTES + recipients * STANZA_BYTES + STREAM_HEADER_BYTES + HEADER_MAC_BYTES;
}

/** crypto_kdf context (8 bytes) and subkey ids derived from the file key. */
export const KDF_CONTEXT = 'EVBundle';
export const SUBKEY_HEADER_MAC = 1;
export const SUBKEY_PAYLOAD = 2;

/** Domain-separation prefix of the Ed25519 signature over the manifest. */
export const SIGNATURE_CONTEXT = ascii('evidence-vault/bundle/v1\n');
export const SIGNATURE_BYTES = 64;

/** Largest manifest a reader accepts, checked before it is buffered. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
export const MAX_ITEMS = 1_000_000;
/** Largest single item (a document), 64 GiB: beyond that a length field is absurd. */
export const MAX_ITEM_BYTES = 64 * 2 ** 30;
