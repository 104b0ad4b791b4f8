import { transfer, wrap } from 'comlink';
import type { DocumentText } from '../../vault';
import { OfficeTextError } from './office-text-error';
import type { OfficeTextResult, OfficeTextWorkerApi } from './office-text-worker-api';

/**
 * How long reading one file's text may take. Within the limits (zip-parts.ts, text-budget.ts) the largest files
 * take a few seconds; a file that takes longer is given up as 'timeout' and its worker ended, not left running.
 */
export const OFFICE_TEXT_TIMEOUT_MS = 60_000;

const startOfficeTextWorker = () =>
  new Worker(new URL('./office-text.worker.ts', import.meta.url), { type: 'module', name: 'office-text' });

/**
 * An office file's text (extractOfficeText), read in a worker of its own, started for this file and ended after it.
 * The bytes are moved to the worker (the caller's copy is emptied). Throws an OfficeTextError as extractOfficeText
 * does, or with 'timeout'.
 */
export async function extractOfficeTextInWorker(
  bytes: Uint8Array,
  { timeoutMs = OFFICE_TEXT_TIMEOUT_MS, startWorker = startOfficeTextWorker } = {},
): Promise<DocumentText | null> {
  const worker = startWorker();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let result: OfficeTextResult;
  try {
    const api = wrap<OfficeTextWorkerApi>(worker);
    const timedOut = new Promise<OfficeTextResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
      // A worker that fails to load or dies (out of memory on a crafted file) is said at once, not at the timeout.
      worker.addEventListener('error', () => resolve({ ok: false, reason: 'damaged' }));
    });
    result = await Promise.race([api.extract(transfer(bytes, [bytes.buffer])), timedOut]);
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
  if (!result.ok) throw new OfficeTextError(result.reason);
  return result.text;
}
