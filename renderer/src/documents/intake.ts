import { transfer } from 'comlink';
import type { PickedFile } from '../platform';
import { DOCUMENT_CHUNK_BYTES, emptyProvenance, type DocumentRecord, type VaultClient } from '../vault';

/** Bytes read from disk and handed to the vault per step: big enough to keep
 * the disk busy, small enough that memory stays flat. */
export const INTAKE_PIECE_BYTES = 1024 * 1024;

export interface IntakeProgress {
  done: number;
  total: number;
}

/**
 * Streams one picked file into the vault. Cancelling (the signal) or any
 * failure removes whatever was written: the vault is as before.
 */
export async function attachFile(
  vault: VaultClient,
  caseId: string,
  file: PickedFile,
  onProgress: (progress: IntakeProgress) => void,
  signal: AbortSignal,
): Promise<DocumentRecord> {
  const intakeId = await vault.beginIntake(caseId, file.name, file.size);
  let done = 0;
  const pieces = file.chunks(INTAKE_PIECE_BYTES, signal)[Symbol.asyncIterator]();
  let nextPiece = pieces.next();
  try {
    for (;;) {
      const step = await nextPiece;
      if (step.done === true) break;
      const piece = step.value;
      signal.throwIfAborted();
      // Read the next piece from disk while the vault seals and stores this one.
      nextPiece = pieces.next();
      nextPiece.catch(() => undefined);
      // Transfer, not copy: the piece leaves this thread.
      const owned = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength ? piece : piece.slice();
      await vault.intakeChunk(intakeId, transfer(owned, [owned.buffer]));
      done += piece.byteLength;
      onProgress({ done, total: file.size });
    }
    signal.throwIfAborted();
    return await vault.finishIntake(intakeId, emptyProvenance());
  } catch (error) {
    await vault.cancelIntake(intakeId);
    throw error;
  } finally {
    await file.close();
  }
}

/** Decrypted bytes of a whole document, for a viewer or a saved copy. */
export async function* documentChunks(vault: VaultClient, document: DocumentRecord): AsyncGenerator<Uint8Array> {
  const count = Math.ceil(document.size / DOCUMENT_CHUNK_BYTES);
  for (let index = 0; index < count; index++) yield await vault.readDocumentChunk(document.caseId, document.id, index);
}

export async function readDocumentBytes(vault: VaultClient, document: DocumentRecord): Promise<Uint8Array> {
  return vault.readDocument(document.caseId, document.id);
}
