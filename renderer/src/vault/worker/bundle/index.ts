export { BUNDLE_ERROR_CODES, BundleError, isBundleError, type BundleErrorCode } from './errors';
export {
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  FORMAT_VERSION,
  MAX_RECIPIENTS,
  SIGNATURE_BYTES,
  headerBytesFor,
} from './constants';
export { readHeaderFacts, type HeaderFacts } from './header';
export {
  identityFingerprint,
  newIdentityKeys,
  recipientKeyId,
  wipeIdentityKeys,
  type IdentityKeys,
  type PublicIdentity,
} from './identity';
export { BUNDLE_ITEM_TYPES, manifestSchema, type BundleItemType, type Manifest, type ManifestItem } from './manifest';
export { BundleReader, type BundleEvent } from './reader';
export { BundleWriter, concat, type BundleWriterOptions } from './writer';
export {
  KeyFileError,
  identityCardSchema,
  makeIdentityCard,
  readIdentityCard,
  readIdentityKeyFile,
  writeIdentityKeyFile,
  type IdentityCard,
} from './identity-files';
export { custodySegment, verifyCustodySegment, type CustodySegment, type SegmentVerdict } from './custody-segment';
