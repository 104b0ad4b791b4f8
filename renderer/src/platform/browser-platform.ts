import { transfer } from 'comlink';
import type { BackupFileInfo, BackupSource, BackupTarget } from '../vault/api';
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

/**
 * A backup "folder" in a browser: its downloads. Nothing there can be listed or read back (the vault keeps what
 * the next run needs itself); each file the backup writes is collected and, once committed, downloaded under its
 * name, as "Save a copy" downloads. A file the run removes (a pack no run needs) was never downloaded or is the
 * user's to delete.
 */
export function downloadsBackupTarget(): BackupTarget {
  const open = new Map<string, SaveSink>();
  let next = 0;
  return {
    list: () => Promise.resolve(null),
    readChunk: () => Promise.reject(new Error('A browser cannot read its downloads back.')),
    beginFile(name) {
      const token = `download-${++next}`;
      open.set(token, downloadSink(name, 'application/octet-stream'));
      return Promise.resolve(token);
    },
    appendFile(token, bytes) {
      const sink = open.get(token);
      return sink ? sink.write(bytes) : Promise.reject(new Error('No such file is being written.'));
    },
    async endFile(token, commit) {
      const sink = open.get(token);
      open.delete(token);
      if (!sink) throw new Error('No such file is being written.');
      if (commit) await sink.commit();
      else await sink.abort();
    },
    remove: () => Promise.resolve(),
  };
}

/** A backup's files picked in a multi-file <input>: listed by name and size, read by slices. */
export function pickedFilesBackupSource(files: readonly File[]): BackupSource {
  const byName = new Map(files.map((file) => [file.name, file]));
  return {
    list: () =>
      Promise.resolve([...byName.values()].map((file): BackupFileInfo => ({ name: file.name, size: file.size }))),
    async readChunk(name, offset, length) {
      const file = byName.get(name);
      if (!file) throw new Error('No such file was picked.');
      const bytes = new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
      // Handed to the vault worker without a copy.
      return transfer(bytes, [bytes.buffer]);
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
    // Labels are words for the UI to translate: a browser's backups go to its downloads, and come back as files.
    pickBackupFolder: () => Promise.resolve({ target: downloadsBackupTarget(), label: 'downloads' }),
    reopenBackupFolder: () => Promise.resolve(null),
    async pickBackupFiles() {
      const files = await pickWithFileInput();
      return files.length === 0 ? null : { source: pickedFilesBackupSource(files), label: 'files' };
    },
    onLockRequest: () => () => undefined,
  };
}
