import { transfer } from 'comlink';
import type { PickedFile } from '../platform';
import type { BundleImportPreview, VaultClient } from '../vault';

/** Bytes read from the file and handed to the vault per step. */
const PIECE_BYTES = 1024 * 1024;

/**
 * Reads a bundle file through the vault, up to its preview: nothing is
 * merged yet. The next piece is read from disk and sent while the vault
 * opens and stages the current one (the vault takes them in order), so it
 * never waits for a message between pieces. Cancelling (the signal) or any
 * refusal drops the import and everything it staged. With `queueEntryId`,
 * the file is that entry of the bundle queue, which records how its
 * reading ended.
 */
export async function readBundleFile(
  vault: VaultClient,
  file: PickedFile,
  onProgress: (read: number) => void,
  signal: AbortSignal,
  queueEntryId?: string,
): Promise<{ importId: string; preview: BundleImportPreview }> {
  const importId = await vault.beginBundleImport(queueEntryId);
  try {
    let read = 0;
    const pieces = file.chunks(PIECE_BYTES, signal)[Symbol.asyncIterator]();
    let nextPiece = pieces.next();
    /** The piece sent before this one, still being staged, and the bytes read up to its end. */
    let previous: { staged: Promise<void>; readTo: number } | null = null;
    for (;;) {
      const step = await nextPiece;
      if (step.done === true) break;
      signal.throwIfAborted();
      nextPiece = pieces.next();
      nextPiece.catch(() => undefined); // awaited on the next turn; not unhandled meanwhile
      const piece = step.value;
      // Transfer, not copy: the piece leaves this thread.
      const owned = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength ? piece : piece.slice();
      read += owned.byteLength;
      const staged = vault.importBundleChunk(importId, transfer(owned, [owned.buffer]));
      staged.catch(() => undefined); // awaited on the next turn or after the loop; not unhandled meanwhile
      // At most two pieces in the vault's hands: this one, and the one before it, awaited now.
      if (previous) {
        await previous.staged;
        onProgress(previous.readTo);
      }
      previous = { staged, readTo: read };
    }
    if (previous) {
      await previous.staged;
      onProgress(previous.readTo);
    }
    signal.throwIfAborted();
    return { importId, preview: await vault.finishBundleImport(importId) };
  } catch (error) {
    await vault.cancelBundleImport(importId).catch(() => undefined);
    throw error;
  }
}
