import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  extractAndStoreOfficeText,
  extractOfficeText,
  extractOfficeTextInWorker,
  OfficeTextError,
} from '../../../renderer/src/documents/office';
import { officeTextWorkerApi } from '../../../renderer/src/documents/office/office-text-worker-api';
import type { DocumentText } from '../../../renderer/src/vault';
import { inThreadWorkers } from '../../support/in-thread-worker';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('office text is read in a worker of its own', () => {
  it('storing a document’s text starts the office-text worker, moves the bytes to it and ends it', async () => {
    const workers = inThreadWorkers(officeTextWorkerApi);
    vi.stubGlobal('Worker', workers.Worker);
    const read: Uint8Array[] = [];
    const saved: DocumentText[] = [];
    const vault = {
      readDocument: () => {
        const bytes = fixture('office-note.docx');
        read.push(bytes);
        return Promise.resolve(bytes);
      },
      saveDocumentText: (_caseId: string, _documentId: string, text: DocumentText) => {
        saved.push(text);
        return Promise.resolve();
      },
    };
    const text = await extractAndStoreOfficeText(vault, { caseId: 'c', id: 'd', kind: 'other', mimeType: DOCX_TYPE });

    expect(workers.started).toHaveLength(1);
    expect(workers.started[0]).toMatchObject({ name: 'office-text', terminated: true });
    expect(workers.started[0]!.url).toMatch(/\/office\/office-text\.worker\.ts$/);
    // The same text as reading it in this thread, and stored.
    expect(text).toEqual(extractOfficeText(fixture('office-note.docx')));
    expect(saved).toEqual([text]);
    // The page's copy was moved (transferred), so no plaintext is left behind on this side.
    expect(read[0]!.byteLength).toBe(0);
  });

  it('a refusal crosses back as the OfficeTextError it is, and the worker is ended', async () => {
    const workers = inThreadWorkers(officeTextWorkerApi);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(40).fill(0)]);
    const failure = await extractOfficeTextInWorker(zip, { startWorker: () => new workers.Worker('office') }).then(
      () => 'read',
      (error: unknown) => (error instanceof OfficeTextError ? error.reason : String(error)),
    );
    expect(failure).toBe('damaged');
    expect(workers.started[0]?.terminated).toBe(true);
  });

  it('a worker that takes too long is ended and the file refused as "timeout"', async () => {
    const workers = inThreadWorkers(undefined); // never answers
    const failure = await extractOfficeTextInWorker(fixture('office-note.odt'), {
      timeoutMs: 50,
      startWorker: () => new workers.Worker('office'),
    }).then(
      () => 'read',
      (error: unknown) => (error instanceof OfficeTextError ? error.reason : String(error)),
    );
    expect(failure).toBe('timeout');
    expect(workers.started[0]?.terminated).toBe(true);
  });
});
