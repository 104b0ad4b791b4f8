/**
 * The privileged app scheme that serves the built renderer (dist/).
 *
 * Only files under the renderer root are served. The request URL is checked
 * on its raw text first, because every URL parser (Chromium's and Node's)
 * silently collapses `..` and `%2e%2e`, which would hide a traversal attempt
 * rather than refuse it.
 */
import path from 'node:path';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { CustomScheme, Session } from 'electron';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './host-api';
import { CONTENT_SECURITY_POLICY } from './csp';

/** Registered before `ready`. `standard` + `secure` give the origin IndexedDB,
 * workers and a secure context; `supportFetchAPI` lets fetch() and module
 * workers load from it. Nothing else: no CSP bypass, no service workers. */
export const APP_PRIVILEGED_SCHEME: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
  },
};

export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

const MAX_URL_LENGTH = 2048;
const MAX_SEGMENTS = 16;
const MAX_SEGMENT_LENGTH = 255;

export type AppPathResolution = { ok: true; segments: string[] } | { ok: false; status: 403 | 404 };

const FORBIDDEN: AppPathResolution = { ok: false, status: 403 };
const NOT_FOUND: AppPathResolution = { ok: false, status: 404 };

// Control characters and backslashes are never part of a URL Chromium would
// send us for a real asset.
// eslint-disable-next-line no-control-regex
const RAW_FORBIDDEN_CHARS = /[\\\u0000-\u001f\u007f]/;
/** Encoded dot, slash, backslash and NUL: only useful to smuggle a traversal. */
const RAW_FORBIDDEN_ESCAPES = /%(?:2e|2f|5c|00)/i;
/** Characters Windows treats specially in a path component (drive letters,
 * alternate data streams, wildcards), plus separators. */
// eslint-disable-next-line no-control-regex
const SEGMENT_FORBIDDEN_CHARS = /[/\\:*?"<>|\u0000-\u001f\u007f]/;
/** Windows device names resolve to devices in any directory. */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(?:\..*)?$/i;

/**
 * Maps a request URL to path segments below the renderer root, or refuses it.
 * Pure: no file system access, so every refusal is unit-testable.
 */
export function resolveAppRequestPath(rawUrl: string): AppPathResolution {
  if (rawUrl.length > MAX_URL_LENGTH) return FORBIDDEN;
  if (RAW_FORBIDDEN_CHARS.test(rawUrl) || RAW_FORBIDDEN_ESCAPES.test(rawUrl)) return FORBIDDEN;

  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return FORBIDDEN;
  }
  if (
    url.protocol !== `${APP_SCHEME}:` ||
    url.hostname !== APP_HOST ||
    url.port !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    return FORBIDDEN;
  }

  // Take the path from the raw text (the parser would already have removed
  // dot segments) and require it to agree with the parsed authority.
  const prefix = `${APP_ORIGIN}/`;
  if (!rawUrl.startsWith(prefix) && rawUrl !== APP_ORIGIN) return FORBIDDEN;
  const rawPath = rawUrl.slice(APP_ORIGIN.length).split(/[?#]/, 1)[0] ?? '';
  if (rawPath === '' || rawPath === '/') return { ok: true, segments: ['index.html'] };

  const rawSegments = rawPath.slice(1).split('/');
  if (rawSegments.length > MAX_SEGMENTS) return FORBIDDEN;

  const segments: string[] = [];
  for (const [index, rawSegment] of rawSegments.entries()) {
    // A trailing slash names a directory; there are no directory listings.
    if (rawSegment === '' && index === rawSegments.length - 1) return NOT_FOUND;
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return FORBIDDEN;
    }
    if (
      segment === '' ||
      segment.length > MAX_SEGMENT_LENGTH ||
      segment.startsWith('.') ||
      segment.endsWith(' ') ||
      segment.endsWith('.') ||
      SEGMENT_FORBIDDEN_CHARS.test(segment) ||
      WINDOWS_DEVICE_NAME.test(segment)
    ) {
      return FORBIDDEN;
    }
    segments.push(segment);
  }
  return { ok: true, segments };
}

/** Explicit types: with `nosniff` the browser trusts these, and module
 * scripts and wasm streaming compile refuse anything but the exact type. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  // pdf.js resources: binary CMaps, standard Type1 fonts, ICC profiles.
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.icc': 'application/vnd.iccprofile',
  '.txt': 'text/plain; charset=utf-8',
};

/** The declared type of a file the app ships, or null for an extension the table lacks. */
export function knownContentType(filePath: string): string | null {
  // pdf.js ships its resources' licences as LICENSE, LICENSE_FOXIT, …
  if (/^LICENSE(?:_[A-Z0-9_]+)?$/.test(path.basename(filePath))) return 'text/plain; charset=utf-8';
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? null;
}

export function contentTypeFor(filePath: string): string {
  return knownContentType(filePath) ?? 'application/octet-stream';
}

/** Headers on every response of the scheme, errors included. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

function errorResponse(status: number): Response {
  return new Response(null, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

/** Builds the `protocol.handle` handler serving files under `rootDir`. */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  // Resolved once: the root itself may be a symlink (or inside app.asar).
  let rootReal: Promise<string> | undefined;

  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return errorResponse(405);
    const resolved = resolveAppRequestPath(request.url);
    if (!resolved.ok) return errorResponse(resolved.status);

    try {
      rootReal ??= realpath(rootDir).catch((error: unknown) => {
        rootReal = undefined; // retry next time rather than caching a failure
        throw error;
      });
      const root = await rootReal;
      const candidate = path.join(root, ...resolved.segments);
      if (!isInside(root, candidate)) return errorResponse(403);
      // realpath resolves symlinks: a link inside dist/ pointing out is refused.
      const real = await realpath(candidate);
      if (!isInside(root, real)) return errorResponse(403);
      const info = await stat(real);
      if (!info.isFile()) return errorResponse(404);
      const body = await readFile(real);
      return new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
        status: 200,
        headers: securityHeaders(contentTypeFor(real)),
      });
    } catch {
      // Missing file or unreadable root: same answer, no path in it.
      return errorResponse(404);
    }
  };
}

/** Serves the renderer on `session`'s app scheme. */
export function registerAppProtocol(session: Session, rootDir: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir));
}
