import type { VaultClient } from '../vault';

/**
 * Streams a prepared export out of the vault into `write`, asking for the
 * next piece before writing this one, so the vault seals while the disk
 * writes. Stops at the first failure or when the signal is aborted; the
 * caller removes the unfinished file and cancels the export.
 */
export async function writeBundleExport(
  vault: VaultClient,
  exportId: string,
  write: (piece: Uint8Array) => Promise<void>,
  onProgress: (written: number) => void,
  signal: AbortSignal,
): Promise<number> {
  let written = 0;
  let next = vault.readBundleExport(exportId);
  for (;;) {
    const piece = await next;
    if (!piece) return written;
    signal.throwIfAborted();
    next = vault.readBundleExport(exportId);
    next.catch(() => undefined); // awaited on the next turn; not unhandled meanwhile
    await write(piece);
    written += piece.byteLength;
    onProgress(written);
  }
}
