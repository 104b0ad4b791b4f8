import sodium from 'libsodium-wrappers-sumo';
import { CHUNK_BYTES, recipientKeyId, type Manifest } from '../../../renderer/src/vault/worker/bundle';
import { SIGNATURE_CONTEXT } from '../../../renderer/src/vault/worker/bundle/constants';
import { concatAll, itemsOf, type Party } from './bundle-helpers';

/**
 * Builds a bundle the honest writer would refuse to: the manifest changed by
 * `edit` after the header is known, signed with `signingKey`, `payload` as
 * the item bytes (the manifest lists `listed`, by default the 3-byte item
 * [1, 2, 3]), and with `everyChunkFinal` the payload cut into full chunks
 * that are all tagged final.
 */
export function forgeBundle(
  sender: Party,
  recipients: Party[],
  edit: (manifest: Manifest) => Manifest = (manifest) => manifest,
  signingKey: Uint8Array = sender.signSecretKey,
  payload: Uint8Array = new Uint8Array([1, 2, 3]),
  options: { listed?: Uint8Array; everyChunkFinal?: boolean; manifestLength?: number } = {},
): Uint8Array {
  const fileKey = sodium.randombytes_buf(32);
  const macKey = sodium.crypto_kdf_derive_from_key(32, 1, 'EVBundle', fileKey);
  const payloadKey = sodium.crypto_kdf_derive_from_key(32, 2, 'EVBundle', fileKey);
  const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(payloadKey);
  const fixed = new Uint8Array(18);
  fixed.set(new TextEncoder().encode('EVBUNDLE'));
  const view = new DataView(fixed.buffer);
  view.setUint16(8, 1);
  view.setUint32(12, CHUNK_BYTES);
  view.setUint16(16, recipients.length);
  const unsealed = concatAll([
    fixed,
    ...recipients.map((r) => sodium.crypto_box_seal(fileKey, r.boxPublicKey)),
    streamHeader,
  ]);
  const mac = sodium.crypto_generichash(32, unsealed, macKey);
  const header = concatAll([unsealed, mac]);
  const honest = {
    format: 'evidence-vault-bundle' as const,
    version: 1 as const,
    bundleId: '1'.repeat(32),
    createdAt: new Date(0).toISOString(),
    sender: {
      name: sender.name,
      signingKey: sodium.to_hex(sender.signPublicKey),
      encryptionKey: sodium.to_hex(sender.boxPublicKey),
    },
    recipients: recipients.map((r) => recipientKeyId(r.boxPublicKey)),
    headerHash: sodium.to_hex(sodium.crypto_generichash(32, header, null)),
    items: itemsOf([options.listed ?? new Uint8Array([1, 2, 3])]),
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(edit(honest)));
  const signature = sodium.crypto_sign_detached(concatAll([SIGNATURE_CONTEXT, manifestBytes]), signingKey);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, options.manifestLength ?? manifestBytes.byteLength);
  const plain = concatAll([length, manifestBytes, signature, payload]);
  const final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  if (!options.everyChunkFinal)
    return concatAll([header, sodium.crypto_secretstream_xchacha20poly1305_push(state, plain, mac, final)]);
  const sealed: Uint8Array[] = [];
  for (let offset = 0; offset < plain.byteLength; offset += CHUNK_BYTES)
    sealed.push(
      sodium.crypto_secretstream_xchacha20poly1305_push(
        state,
        plain.subarray(offset, offset + CHUNK_BYTES),
        mac,
        final,
      ),
    );
  return concatAll([header, ...sealed]);
}
