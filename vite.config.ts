import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY } from './electron/csp';
import { bundlePdfjsAssets, contentSecurityPolicyMeta } from './scripts/vite-plugins';

/** Where the renderer is built: `dist` unless EV_DIST names another folder (parallel e2e runs, one build each). */
const outDir = process.env.EV_DIST ?? 'dist';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  root: 'renderer',
  base: '/',
  publicDir: '../assets/public',
  plugins: [react(), contentSecurityPolicyMeta(), bundlePdfjsAssets(outDir)],
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    outDir: resolve(fileURLToPath(new URL('.', import.meta.url)), outDir),
    emptyOutDir: true,
    target: 'es2023',
    // Fonts and images as files, never data: URLs, so the CSP can stay strict.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  worker: { format: 'es' },
  preview: {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    headers: {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  },
});
