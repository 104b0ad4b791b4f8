/**
 * The one Content-Security-Policy of the app, sent as a header by the app
 * protocol handler (Electron) and the preview server (browser), and written
 * into index.html as a meta tag at build time.
 *
 * - No remote origin anywhere: the app makes no network requests.
 * - 'wasm-unsafe-eval' lets libsodium's WebAssembly compile; never 'unsafe-eval'
 *   (it would re-open pdf.js's eval class of bugs).
 * - blob: for images/media decrypted into memory, never for scripts.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** The meta-tag copy: browsers ignore (and warn about) frame-ancestors there. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join('; ');
