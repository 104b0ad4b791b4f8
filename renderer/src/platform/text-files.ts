import type { PickedFile, Platform, SavedFileCheck } from './types';

/** Writes `text` as UTF-8 where the user chooses; null when they cancel. A failed write leaves no file. */
export async function saveTextFile(
  platform: Platform,
  name: string,
  mimeType: string,
  text: string,
): Promise<SavedFileCheck | null> {
  const sink = await platform.beginSave(name, mimeType);
  if (!sink) return null;
  try {
    await sink.write(new TextEncoder().encode(text));
    return await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes.`);
    this.name = 'FileTooLargeError';
  }
}

/** A small picked file as text (strict UTF-8), refused before reading when over `maxBytes`. Closes the file. */
export async function readTextFile(file: PickedFile, maxBytes: number): Promise<string> {
  try {
    if (file.size > maxBytes) throw new FileTooLargeError(maxBytes);
    const parts: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of file.chunks(1024 * 1024)) {
      total += chunk.byteLength;
      // The size the system reported may be wrong (a file still growing): count what arrives.
      if (total > maxBytes) throw new FileTooLargeError(maxBytes);
      parts.push(chunk);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } finally {
    await file.close();
  }
}
