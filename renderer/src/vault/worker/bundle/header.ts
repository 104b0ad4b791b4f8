import sodium from 'libsodium-wrappers-sumo';
import {
  CHUNK_BYTES,
  FIXED_HEADER_BYTES,
  FORMAT_VERSION,
  HEADER_MAC_BYTES,
  KDF_CONTEXT,
  MAGIC,
  MAX_RECIPIENTS,
  STANZA_BYTES,
  STREAM_HEADER_BYTES,
  SUBKEY_HEADER_MAC,
  SUBKEY_PAYLOAD,
  headerBytesFor,
} from './constants';
import { BundleError } from './errors';

/** What the header shows to anyone: no names, no keys that identify anybody. */
export interface HeaderFacts {
  version: number;
  recipients: number;
  /** Length of the header in bytes. */
  headerBytes: number;
}

/** The header's fixed part, checked field by field. Null while fewer bytes have arrived. */
export function readHeaderFacts(start: Uint8Array): HeaderFacts | null {
  const magic = start.subarray(0, Math.min(start.byteLength, MAGIC.byteLength));
  if (!magic.every((byte, index) => byte === MAGIC[index]))
    throw new BundleError('not-a-bundle', 'This file is not an Evidence Vault bundle.');
  if (start.byteLength < FIXED_HEADER_BYTES) return null;
  const view = new DataView(start.buffer, start.byteOffset, FIXED_HEADER_BYTES);
  const version = view.getUint16(8);
  if (version !== FORMAT_VERSION)
    throw new BundleError(
      'unsupported-version',
      `Bundle format version ${version} is not supported (this app reads ${FORMAT_VERSION}).`,
    );
  if (view.getUint16(10) !== 0) throw new BundleError('header-malformed', 'The bundle header has unknown flags set.');
  if (view.getUint32(12) !== CHUNK_BYTES)
    throw new BundleError('header-malformed', 'The bundle header names another chunk size.');
  const recipients = view.getUint16(16);
  if (recipients < 1 || recipients > MAX_RECIPIENTS)
    throw new BundleError('header-malformed', `The bundle header names ${recipients} recipients.`);
  return { version, recipients, headerBytes: headerBytesFor(recipients) };
}

export function deriveBundleKeys(fileKey: Uint8Array): { macKey: Uint8Array; payloadKey: Uint8Array } {
  return {
    macKey: sodium.crypto_kdf_derive_from_key(32, SUBKEY_HEADER_MAC, KDF_CONTEXT, fileKey),
    payloadKey: sodium.crypto_kdf_derive_from_key(32, SUBKEY_PAYLOAD, KDF_CONTEXT, fileKey),
  };
}

/** Builds the header: fixed part, one sealed file key per recipient, the stream header, then the MAC. */
export function writeHeader(stanzas: readonly Uint8Array[], streamHeader: Uint8Array, macKey: Uint8Array): Uint8Array {
  const header = new Uint8Array(headerBytesFor(stanzas.length));
  header.set(MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint16(8, FORMAT_VERSION);
  view.setUint16(10, 0);
  view.setUint32(12, CHUNK_BYTES);
  view.setUint16(16, stanzas.length);
  let offset = FIXED_HEADER_BYTES;
  for (const stanza of stanzas) {
    if (stanza.byteLength !== STANZA_BYTES)
      throw new BundleError('writer-misuse', 'A recipient stanza has the wrong size.');
    header.set(stanza, offset);
    offset += STANZA_BYTES;
  }
  header.set(streamHeader, offset);
  offset += STREAM_HEADER_BYTES;
  header.set(sodium.crypto_generichash(HEADER_MAC_BYTES, header.subarray(0, offset), macKey), offset);
  return header;
}

export interface OpenedHeader {
  payloadKey: Uint8Array;
  streamHeader: Uint8Array;
  /** The MAC: every payload chunk is bound to it as associated data. */
  mac: Uint8Array;
  /** BLAKE2b-256 of the whole header, which the signed manifest must repeat. */
  hash: string;
}

/**
 * Opens a complete header with this reader's X25519 keys: tries every stanza
 * (they name nobody), then checks the MAC with the key derived from the file key.
 */
export function openHeader(
  header: Uint8Array,
  facts: HeaderFacts,
  boxPublicKey: Uint8Array,
  boxSecretKey: Uint8Array,
): OpenedHeader {
  let fileKey: Uint8Array | null = null;
  for (let index = 0; index < facts.recipients && fileKey === null; index++) {
    const start = FIXED_HEADER_BYTES + index * STANZA_BYTES;
    try {
      const opened = sodium.crypto_box_seal_open(
        header.subarray(start, start + STANZA_BYTES),
        boxPublicKey,
        boxSecretKey,
      );
      if (opened instanceof Uint8Array && opened.byteLength === 32) fileKey = opened;
    } catch {
      // Not this stanza: crypto_box_seal_open throws on the wrong key.
    }
  }
  if (fileKey === null) throw new BundleError('not-for-you', 'This bundle was not encrypted for you.');
  const { macKey, payloadKey } = deriveBundleKeys(fileKey);
  sodium.memzero(fileKey);
  const macAt = facts.headerBytes - HEADER_MAC_BYTES;
  const expected = sodium.crypto_generichash(HEADER_MAC_BYTES, header.subarray(0, macAt), macKey);
  sodium.memzero(macKey);
  const mac = header.slice(macAt);
  if (!sodium.memcmp(expected, mac)) {
    sodium.memzero(payloadKey);
    throw new BundleError('header-altered', 'The bundle header was altered.');
  }
  const streamAt = macAt - STREAM_HEADER_BYTES;
  return {
    payloadKey,
    streamHeader: header.slice(streamAt, macAt),
    mac,
    hash: sodium.to_hex(sodium.crypto_generichash(32, header, null)),
  };
}
