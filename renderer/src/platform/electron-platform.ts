import {
  MAX_IPC_CHUNK_BYTES,
  type HostBackupFolder,
  type HostFileHandle,
  type VaultHostApi,
} from '../../../electron/host-api';
import type { BackupSource, BackupTarget } from '../vault/api';
import { safeFileName } from './file-names';
import type { PickedBackupFolder, PickedFile, Platform, SaveSink } from './types';

function hostPickedFile(host: VaultHostApi, handle: HostFileHandle): PickedFile {
  let closed = false;
  return {
    name: handle.name,
    size: handle.size,
    async *chunks(chunkSize, signal) {
      const step = Math.min(chunkSize, MAX_IPC_CHUNK_BYTES);
      for (let offset = 0; offset < handle.size;) {
        signal?.throwIfAborted();
        const bytes = await host.readFileChunk(handle.token, offset, Math.min(step, handle.size - offset));
        if (bytes.byteLength === 0) throw new Error('The file became shorter while it was being read.');
        offset += bytes.byteLength;
        yield bytes;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await host.closeFile(handle.token);
    },
  };
}

/** A backup folder read through main; reads longer than one IPC chunk go in pieces. */
function hostBackupSource(host: VaultHostApi, folder: HostBackupFolder): BackupSource {
  return {
    list: () => host.listBackupFiles(folder.token),
    async readChunk(name, offset, length) {
      if (length <= MAX_IPC_CHUNK_BYTES) return host.readBackupChunk(folder.token, name, offset, length);
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const piece = await host.readBackupChunk(
          folder.token,
          name,
          offset + done,
          Math.min(MAX_IPC_CHUNK_BYTES, length - done),
        );
        bytes.set(piece, done);
        done += piece.byteLength;
        if (piece.byteLength === 0) break;
      }
      return done === length ? bytes : bytes.slice(0, done);
    },
  };
}

/** A backup folder main writes: each file under a temporary name until committed. */
function hostBackupTarget(host: VaultHostApi, folder: HostBackupFolder): BackupTarget {
  return {
    ...hostBackupSource(host, folder),
    beginFile: (name) => host.beginBackupFile(folder.token, name),
    async appendFile(token, bytes) {
      for (let offset = 0; offset < bytes.byteLength; offset += MAX_IPC_CHUNK_BYTES) {
        await host.appendBackupFile(token, bytes.subarray(offset, offset + MAX_IPC_CHUNK_BYTES));
      }
    },
    endFile: (token, commit) => host.endBackupFile(token, commit),
    remove: (name) => host.removeBackupFile(folder.token, name),
  };
}

function pickedBackupFolder(host: VaultHostApi, folder: HostBackupFolder): PickedBackupFolder {
  return { target: hostBackupTarget(host, folder), label: folder.name, ...(folder.ref ? { ref: folder.ref } : {}) };
}

/** The Electron shell: files and saves go through the preload bridge. */
export function electronPlatform(host: VaultHostApi): Platform {
  return {
    kind: 'electron',
    appVersion: () => host.appVersion(),
    async pickFiles() {
      const handles = await host.openFiles();
      return handles.map((handle) => hostPickedFile(host, handle));
    },
    async beginSave(suggestedName) {
      // A name main would refuse (a backslash, a control character, over 255 bytes) is made safe, not failed.
      const token = await host.beginSave(safeFileName(suggestedName));
      if (token === null) return null;
      const sink: SaveSink = {
        async write(bytes) {
          for (let offset = 0; offset < bytes.byteLength; offset += MAX_IPC_CHUNK_BYTES) {
            await host.writeSaveChunk(token, bytes.subarray(offset, offset + MAX_IPC_CHUNK_BYTES));
          }
        },
        async commit() {
          const check = await host.endSave(token, true);
          if (!check) throw new Error('The saved file could not be checked.');
          return check;
        },
        async abort() {
          await host.endSave(token, false);
        },
      };
      return sink;
    },
    async printToPdf(suggestedName) {
      const check = await host.printToPdf(safeFileName(suggestedName));
      return check === null ? { kind: 'cancelled' } : { kind: 'saved', check };
    },
    async pickBackupFolder() {
      const folder = await host.pickBackupFolder('backup');
      return folder === null ? null : pickedBackupFolder(host, folder);
    },
    async reopenBackupFolder(ref) {
      const folder = await host.reopenBackupFolder(ref);
      return folder === null ? null : pickedBackupFolder(host, folder);
    },
    async pickBackupFiles() {
      // Electron restores from the folder: its backup files are the source (read only in main).
      const folder = await host.pickBackupFolder('restore');
      return folder === null ? null : { source: hostBackupSource(host, folder), label: folder.name };
    },
    onLockRequest: (listener) => host.onLockRequest(listener),
  };
}
