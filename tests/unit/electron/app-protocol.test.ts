import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import {
  APP_PRIVILEGED_SCHEME,
  contentTypeFor,
  createAppProtocolHandler,
  registerAppProtocol,
  resolveAppRequestPath,
} from '../../../electron/app-protocol';
import { APP_ORIGIN, APP_SCHEME } from '../../../electron/host-api';
import { CONTENT_SECURITY_POLICY } from '../../../electron/csp';

describe('privileged scheme registration', () => {
  it('is the app scheme, standard, secure and fetch-capable', () => {
    expect(APP_PRIVILEGED_SCHEME.scheme).toBe(APP_SCHEME);
    expect(APP_PRIVILEGED_SCHEME.privileges?.standard).toBe(true);
    expect(APP_PRIVILEGED_SCHEME.privileges?.secure).toBe(true);
    expect(APP_PRIVILEGED_SCHEME.privileges?.supportFetchAPI).toBe(true);
  });

  it('grants nothing that weakens the page', () => {
    expect(APP_PRIVILEGED_SCHEME.privileges?.bypassCSP).not.toBe(true);
    expect(APP_PRIVILEGED_SCHEME.privileges?.allowServiceWorkers).not.toBe(true);
  });
});

describe('resolveAppRequestPath', () => {
  it.each([
    [`${APP_ORIGIN}/`, ['index.html']],
    [APP_ORIGIN, ['index.html']],
    [`${APP_ORIGIN}/index.html`, ['index.html']],
    [`${APP_ORIGIN}/assets/index-abc.js`, ['assets', 'index-abc.js']],
    [`${APP_ORIGIN}/assets/font%20name.woff2`, ['assets', 'font name.woff2']],
    [`${APP_ORIGIN}/pdfjs/cmaps/UniJIS-UCS2-H.bcmap?v=1#x`, ['pdfjs', 'cmaps', 'UniJIS-UCS2-H.bcmap']],
  ])('accepts %s', (url, segments) => {
    expect(resolveAppRequestPath(url)).toEqual({ ok: true, segments });
  });

  it.each([
    ['dot-dot segment', `${APP_ORIGIN}/../etc/passwd`],
    ['nested dot-dot', `${APP_ORIGIN}/assets/../../secret`],
    ['single dot segment', `${APP_ORIGIN}/./index.html`],
    ['encoded dot-dot', `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`],
    ['upper-case encoded dot-dot', `${APP_ORIGIN}/%2E%2E/secret`],
    ['mixed encoded dot-dot', `${APP_ORIGIN}/.%2e/secret`],
    ['encoded slash', `${APP_ORIGIN}/assets%2f..%2f..%2fsecret`],
    ['encoded backslash', `${APP_ORIGIN}/..%5c..%5csecret`],
    ['backslash', `${APP_ORIGIN}/assets\\..\\secret`],
    ['encoded NUL', `${APP_ORIGIN}/index.html%00.png`],
    ['drive letter', `${APP_ORIGIN}/C:/Windows/win.ini`],
    ['encoded drive letter', `${APP_ORIGIN}/C%3A/Windows/win.ini`],
    ['UNC path', `${APP_ORIGIN}/\\\\server\\share\\file`],
    ['double slash (absolute)', `${APP_ORIGIN}//etc/passwd`],
    ['other host', `${APP_SCHEME}://evil/index.html`],
    ['host with credentials', `${APP_SCHEME}://user@app/index.html`],
    ['host with port', `${APP_SCHEME}://app:8080/index.html`],
    ['other scheme', 'file:///etc/passwd'],
    ['http', 'http://app/index.html'],
    ['hidden file', `${APP_ORIGIN}/.env`],
    ['Windows device name', `${APP_ORIGIN}/assets/CON.txt`],
    ['trailing dot', `${APP_ORIGIN}/index.html.`],
    ['control character', `${APP_ORIGIN}/index\u0001.html`],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_label, url) => {
    const result = resolveAppRequestPath(url);
    expect(result.ok).toBe(false);
  });

  it('answers 404 for a directory URL', () => {
    expect(resolveAppRequestPath(`${APP_ORIGIN}/assets/`)).toEqual({ ok: false, status: 404 });
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.wasm', 'application/wasm'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.woff2', 'font/woff2'],
    ['a.json', 'application/json'],
    ['index.html', 'text/html; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.bcmap', 'application/octet-stream'],
    ['a.pfb', 'application/octet-stream'],
    ['a.ttf', 'font/ttf'],
    ['a.icc', 'application/vnd.iccprofile'],
    ['A.JS', 'text/javascript; charset=utf-8'],
    ['pdfjs/wasm/LICENSE_FOXIT', 'text/plain; charset=utf-8'],
    ['cmaps/LICENSE', 'text/plain; charset=utf-8'],
    ['unknown.xyz', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('createAppProtocolHandler (real files)', () => {
  let base: string;
  let root: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'ev-protocol-'));
    root = path.join(base, 'dist');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>vault</title>');
    await writeFile(path.join(root, 'assets', 'app.js'), 'export const x = 1;');
    await writeFile(path.join(root, 'assets', 'sodium.wasm'), new Uint8Array([0, 97, 115, 109]));
    await writeFile(path.join(base, 'secret.txt'), 'outside the root');
    // A link inside the root that points out of it must not be followed.
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'escape.txt'));
    handler = createAppProtocolHandler(root);
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET'): Promise<Response> => handler(new Request(url, { method }));

  it('serves index.html for the origin root with the CSP header', async () => {
    const response = await get(`${APP_ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>vault</title>');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  it('serves scripts and wasm with exact MIME types', async () => {
    const script = await get(`${APP_ORIGIN}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    const wasm = await get(`${APP_ORIGIN}/assets/sodium.wasm`);
    expect(wasm.headers.get('Content-Type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it.each([
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/assets%2f..%2f..%2fsecret.txt`,
    `${APP_ORIGIN}/assets/..%5c..%5csecret.txt`,
    `${APP_SCHEME}://other/index.html`,
  ])('refuses %s and still sends the CSP', async (url) => {
    // Request() (like Chromium) may normalise the URL before we see it, in
    // which case the answer is 404 rather than 403; either way nothing leaks.
    const response = await get(url);
    expect([403, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('outside the root');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('refuses a symlink that leaves the root', async () => {
    const response = await get(`${APP_ORIGIN}/assets/escape.txt`);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside the root');
  });

  it('answers 404 for missing files and directories, without a path in the body', async () => {
    const missing = await get(`${APP_ORIGIN}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
    expect(missing.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get(`${APP_ORIGIN}/assets`)).status).toBe(404);
  });

  it('only answers GET', async () => {
    const response = await get(`${APP_ORIGIN}/index.html`, 'POST');
    expect(response.status).toBe(405);
  });

  it('registers on the given session for the app scheme', () => {
    const handle = vi.fn();
    registerAppProtocol({ protocol: { handle } } as unknown as Session, root);
    expect(handle).toHaveBeenCalledWith(APP_SCHEME, expect.any(Function));
  });
});
