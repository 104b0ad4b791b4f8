/**
 * The app's pdf.js module (renderer/src/documents/viewers/pdfjs.ts) run in Vitest's Node: pdf.js's legacy build, its
 * worker run in this thread. Import this file first in a test file, then import the app's modules dynamically
 * (`await import(...)`), so the mocks below are in place when they load.
 */
import { vi } from 'vitest';

// pdf.js 6 needs Promise.withResolvers (Node 22); the Node these tests run on may be older.
vi.hoisted(() => {
  const promises = Promise as unknown as { withResolvers?: () => unknown };
  promises.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
  // pdfjs.ts resolves its asset folder against the page's address at load time.
  vi.stubGlobal('window', { location: { href: 'evidence-vault://app/index.html' } });
});
vi.mock('pdfjs-dist', () => import('pdfjs-dist/legacy/build/pdf.mjs'));
vi.mock('pdfjs-dist/build/pdf.worker.min.mjs?url', () => ({
  default: new URL('../../node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs', import.meta.url).href,
}));
