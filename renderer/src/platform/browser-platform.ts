import { safeFileName } from './file-names';
import type { PickedFile, Platform, SaveSink } from './types';

/** A File from an <input type=file> or a drop, read by slices. */
export function browserPickedFile(file: File): PickedFile {
  return {
    name: file.name,
    size: file.size,
    async *chunks(chunkSize, signal) {
      for (let offset = 0; offset < file.size; offset += chunkSize) {
        signal?.throwIfAborted();
        const slice = file.slice(offset, Math.min(offset + chunkSize, file.size));
        yield new Uint8Array(await slice.arrayBuffer());
      }
    },
    close: () => Promise.resolve(),
  };
}

function pickWithFileInput(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.hidden = true;
    input.addEventListener('change', () => {
      resolve(Array.from(input.files ?? []));
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

/**
 * Saves collect the chunks in memory and hand them to the browser's download
 * as one Blob: fine for the browser preview and tests, while the Electron
 * shell streams to disk.
 */
function downloadSink(suggestedName: string, mimeType: string): SaveSink {
  let parts: Uint8Array[] = [];
  return {
    write(bytes) {
      parts.push(bytes.slice());
      return Promise.resolve();
    },
    async commit() {
      const blob = new Blob(parts as BlobPart[], { type: mimeType });
      parts = [];
      const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      const sha256 = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = safeFileName(suggestedName);
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
      return { sha256, size: blob.size };
    },
    abort() {
      parts = [];
      return Promise.resolve();
    },
  };
}

/** A plain browser: end-to-end tests and `npm run web`. No lock requests
 * come from a browser host; the app's own idle timer and shortcut remain. */
export function browserPlatform(appVersion: string): Platform {
  return {
    kind: 'browser',
    appVersion: () => Promise.resolve(appVersion),
    async pickFiles() {
      const files = await pickWithFileInput();
      return files.map(browserPickedFile);
    },
    beginSave: (suggestedName, mimeType) => Promise.resolve(downloadSink(suggestedName, mimeType)),
    // window.print() blocks until its dialog closes in most browsers, but
    // never says whether anything was printed or saved.
    printToPdf() {
      window.print();
      return Promise.resolve({ kind: 'print-dialog' });
    },
    onLockRequest: () => () => undefined,
  };
}
