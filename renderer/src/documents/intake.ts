import { transfer } from 'comlink';
import type { PickedFile } from '../platform';
import { DOCUMENT_CHUNK_BYTES, emptyProvenance, type DocumentRecord, type VaultClient } from '../vault';

/** Bytes read from disk and handed to the vault per step: big enough to keep
 * the disk busy, small enough that memory stays flat. */
export const INTAKE_PIECE_BYTES = 1024 * 1024;

export interface IntakeProgress {
  /** Bytes of the file sealed and stored in the vault (not merely read: those trail by a few MiB). */
  done: number;
  total: number;
}

/**
 * Streams one picked file into the vault, reporting the bytes stored after
 * each piece. Cancelling (the signal) or any failure removes whatever was
 * written: the vault is as before.
 */
export async function attachFile(
  vault: VaultClient,
  caseId: string,
  file: PickedFile,
  onProgress: (progress: IntakeProgress) => void,
  signal: AbortSignal,
): Promise<DocumentRecord> {
  const intakeId = await vault.beginIntake(caseId, file.name, file.size);
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
      // (The piece's length reads 0 once it is transferred: the vault says how much it has stored.)
      const stored = await vault.intakeChunk(intakeId, transfer(owned, [owned.buffer]));
      onProgress({ done: stored, total: file.size });
    }
    signal.throwIfAborted();
    const record = await vault.finishIntake(intakeId, emptyProvenance());
    onProgress({ done: file.size, total: file.size });
    return record;
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
