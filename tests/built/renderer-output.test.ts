import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createAppProtocolHandler,
  contentTypeFor,
  knownContentType,
  resolveAppRequestPath,
} from '../../electron/app-protocol';
import { APP_ORIGIN } from '../../electron/host-api';
import { CONTENT_SECURITY_POLICY_META } from '../../electron/csp';
import { builtFile } from './require-build';

const dist = path.dirname(builtFile('dist/index.html'));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('the built renderer, as the app scheme serves it', () => {
  it('gives every file in dist/ a declared content type, a URL the path check accepts, and its own bytes', async () => {
    const files = await listFiles(dist);
    expect(files.length).toBeGreaterThan(10);
    const handler = createAppProtocolHandler(dist);
    const untyped: string[] = [];
    for (const file of files) {
      if (knownContentType(file) === null) untyped.push(file);
      const url = `${APP_ORIGIN}/${file.split('/').map(encodeURIComponent).join('/')}`;
      expect(resolveAppRequestPath(url), url).toEqual({ ok: true, segments: file.split('/') });
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('Content-Type'), url).toBe(contentTypeFor(file));
      const served = new Uint8Array(await response.arrayBuffer());
      expect(Buffer.from(served).equals(await readFile(path.join(dist, file))), url).toBe(true);
    }
    expect(untyped).toEqual([]);
  });

  describe('index.html', () => {
    const html = readFile(path.join(dist, 'index.html'), 'utf8');

    it('carries the CSP as its first meta tag', async () => {
      const text = await html;
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(text);
      expect(meta).not.toBeNull();
      expect(meta?.[1]?.replaceAll('&#39;', "'")).toBe(CONTENT_SECURITY_POLICY_META);
      expect(text.indexOf('Content-Security-Policy')).toBeLessThan(text.indexOf('<script'));
    });

    it('has no inline script and no inline event handler', async () => {
      const text = await html;
      const scripts = [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="/);
        expect(body?.trim()).toBe('');
      }
      expect(text).not.toMatch(/\son[a-z]+\s*=/i);
      expect(text).not.toMatch(/javascript:/i);
    });

    it('refers only to same-origin URLs', async () => {
      const text = await html;
      const urls = [...text.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? '');
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) {
        expect(url, url).toMatch(/^\/[^/]/);
        // Node gives custom schemes an opaque origin, so compare scheme and host.
        const resolved = new URL(url, `${APP_ORIGIN}/index.html`);
        expect(`${resolved.protocol}//${resolved.host}`, url).toBe(APP_ORIGIN);
      }
    });
  });
});
