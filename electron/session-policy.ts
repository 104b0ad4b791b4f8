/**
 * Per-session policy: no permissions, no devices, no downloads and no
 * network. The app makes zero network requests, so anything that is not the
 * app scheme is an attack or a bug and is cancelled.
 */
import type { Session } from 'electron';
import { APP_ORIGIN, APP_SCHEME } from './host-api';
import { CONTENT_SECURITY_POLICY } from './csp';
import { isAppOriginUrl } from './app-origin';

export interface SessionPolicyOptions {
  /** Unpackaged builds may load the DevTools front end (devtools://). */
  allowDevTools: boolean;
}

/**
 * The only permission ever granted, and only to our own origin: without it
 * Chromium may evict the vault's IndexedDB under disk pressure (the vault
 * asks `navigator.storage.persist()`). It exposes no device or data.
 */
const GRANTABLE_PERMISSIONS: ReadonlySet<string> = new Set(['persistent-storage']);

export function isPermissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return GRANTABLE_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppOriginUrl(requestingUrl);
}

/** Decides `webRequest.onBeforeRequest`: true lets the request through. */
export function isRequestAllowed(rawUrl: string, options: SessionPolicyOptions): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return isAppOriginUrl(rawUrl);
  // Decrypted images/media shown via blob: URLs our own page created (CSP
  // img-src/media-src blob:). They never leave the process.
  if (url.protocol === 'blob:') return url.pathname.startsWith(`${APP_ORIGIN}/`);
  if (url.protocol === 'devtools:') return options.allowDevTools;
  return false;
}

const REPLACED_HEADERS: ReadonlySet<string> = new Set([
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
]);

/** Drops the headers we set ourselves, whatever their case, so no weaker
 * duplicate survives next to ours. */
function withoutReplacedHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!REPLACED_HEADERS.has(name.toLowerCase())) result[name] = value;
  }
  return result;
}

const hardened = new WeakSet<Session>();

/** Applies the policy once per session (idempotent). */
export function applySessionPolicy(session: Session, options: SessionPolicyOptions): void {
  if (hardened.has(session)) return;
  hardened.add(session);

  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.isMainFrame ? details.requestingUrl : undefined));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, details.isMainFrame ? requestingOrigin : undefined),
  );
  // HID / serial / USB / Bluetooth: never, whatever was granted before.
  session.setDevicePermissionHandler(() => false);
  session.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _webContents, callback) => {
    event.preventDefault();
    callback('');
  });
  // Screen capture would let a hostile document photograph the vault.
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));

  // Spellchecking sends typed words to a dictionary service and keeps
  // custom words on disk: both leak evidence.
  session.setSpellCheckerEnabled(false);

  // Saves go through the main process (fs), never through a download.
  session.on('will-download', (event) => event.preventDefault());

  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isRequestAllowed(details.url, options) });
  });
  // Second layer behind the protocol handler's own header.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withoutReplacedHeaders(details.responseHeaders),
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}
