export {
  CHUNK_SIZE,
  chunkCountFor,
  newChunkBuffer,
  openChunk,
  paddedLength,
  type BlobShape,
  type PlainChunk,
  type SealedChunk,
} from './chunk-cipher';
export { defaultCipherPoolSize, inlineCipherPool, workerCipherPool, type CipherPool } from './pool';
