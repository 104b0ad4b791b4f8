/**
 * The three start-up checks of a smoke launch. Each resolves to a short
 * English line for the terminal, or throws with the reason it failed.
 */
import { MAX_SMOKE_MESSAGE_LENGTH, type SmokeStep } from '../../../electron/host-api';
import { openPdf } from '../documents/viewers/pdfjs';
import type { VaultClient } from '../vault';
import { TINY_PDF_PAGE, TINY_PDF_RECT, tinyPdf } from './tiny-pdf';

/** The throwaway database of the storage check; never the vault's. */
export const SMOKE_DATABASE_NAME = 'evidence-vault-smoke-check';
const STORE = 'probe';
const KEY = 'probe';
/** One check may take this long before it counts as failed. */
export const SMOKE_STEP_TIMEOUT_MS = 30_000;
const RENDER_SCALE = 2;

export type SmokeCheck = () => Promise<string>;

// Controls and direction overrides become spaces: the line ends up in a terminal.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** One printable line of at most MAX_SMOKE_MESSAGE_LENGTH characters. */
export function reportMessage(text: string): string {
  const line = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SMOKE_MESSAGE_LENGTH ? line : `${line.slice(0, MAX_SMOKE_MESSAGE_LENGTH - 1)}…`;
}

export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return `${error.name}: ${error.message}`;
  return String(error);
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** (1) The vault worker started and its crypto self-test (run at worker start) passed. */
async function selfTest(vault: VaultClient): Promise<string> {
  const health = await vault.health();
  if (!health.ok)
    throw new Error(`self-test failed (libsodium ${health.sodiumVersion}): ${health.failures.join('; ')}`);
  return `vault worker answered, libsodium ${health.sodiumVersion}`;
}

function completion(transaction: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error(`IndexedDB ${what} failed`));
    transaction.onabort = () => reject(transaction.error ?? new Error(`IndexedDB ${what} aborted`));
  });
}

function openProbe(): Promise<IDBDatabase> {
  const request = indexedDB.open(SMOKE_DATABASE_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
  });
}

function deleteProbe(): Promise<void> {
  const request = indexedDB.deleteDatabase(SMOKE_DATABASE_NAME);
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB delete failed'));
    // `blocked` only means a connection is still closing (ours, after its
    // last transaction): the deletion goes on once it has; if it never does,
    // the step's timeout reports it.
  });
}

/** (2) One write and one read back, through a second connection, in a throwaway database deleted afterwards. */
async function storageRoundTrip(): Promise<string> {
  await deleteProbe(); // left over from an interrupted run
  const written = crypto.getRandomValues(new Uint8Array(32));
  let db: IDBDatabase | null = null;
  try {
    db = await openProbe();
    const writing = db.transaction(STORE, 'readwrite');
    writing.objectStore(STORE).put(written, KEY);
    await completion(writing, 'write');
    db.close();
    db = await openProbe();
    const reading = db.transaction(STORE, 'readonly');
    const get = reading.objectStore(STORE).get(KEY);
    await completion(reading, 'read');
    const read: unknown = get.result;
    if (!(read instanceof Uint8Array) || read.length !== written.length || read.some((b, i) => b !== written[i])) {
      throw new Error('the value read back differs from the one written');
    }
  } finally {
    db?.close();
  }
  await deleteProbe();
  return `wrote ${written.length} bytes, read them back, deleted the throwaway database`;
}

/** (3) One page of a PDF made here, rendered to a canvas through the app's pdf.js setup. */
async function pdfRender(): Promise<string> {
  const pdf = openPdf(tinyPdf());
  try {
    const document = await pdf.promise;
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale: RENDER_SCALE });
    const canvas = window.document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, viewport }).promise;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2D canvas context');
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let index = 0; index < data.length; index += 4) {
      if ((data[index] ?? 255) < 240 || (data[index + 1] ?? 255) < 240 || (data[index + 2] ?? 255) < 240) drawn += 1;
    }
    const pixels = canvas.width * canvas.height;
    // The rectangle alone covers 36% of the page.
    if (drawn < pixels * 0.25) throw new Error(`page rendered but only ${drawn} of ${pixels} pixels are drawn`);
    const [cx, cy] = viewport.convertToViewportPoint(
      TINY_PDF_RECT.x + TINY_PDF_RECT.width / 2,
      TINY_PDF_RECT.y + TINY_PDF_RECT.height / 2,
    ) as [number, number];
    const [r = 0, , b = 0] = context.getImageData(Math.floor(cx), Math.floor(cy), 1, 1).data;
    if (b < r + 60) throw new Error(`the rectangle is not blue where it should be (r ${r}, b ${b})`);
    page.cleanup();
    const size = `${TINY_PDF_PAGE.width * RENDER_SCALE}x${TINY_PDF_PAGE.height * RENDER_SCALE}`;
    return `page 1 rendered at ${size}, ${Math.round((drawn / pixels) * 100)}% of pixels drawn`;
  } finally {
    await pdf.destroy();
  }
}

export function smokeChecks(vault: VaultClient): Record<SmokeStep, SmokeCheck> {
  return {
    'self-test': () => selfTest(vault),
    indexeddb: storageRoundTrip,
    'pdf-render': pdfRender,
  };
}
