import { cpSync, readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from './electron/csp';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** Writes the CSP into the built index.html (the dev server needs inline
 * scripts for hot reload, so only the build gets it). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'evidence-vault-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** pdf.js's character maps, standard fonts, wasm decoders and ICC profiles,
 * served from the app itself so a PDF never makes pdf.js fetch anything. */
function bundlePdfjsAssets(): Plugin {
  return {
    name: 'evidence-vault-pdfjs-assets',
    apply: 'build',
    closeBundle() {
      for (const folder of ['cmaps', 'standard_fonts', 'wasm', 'iccs'])
        cpSync(
          new URL(`./node_modules/pdfjs-dist/${folder}`, import.meta.url),
          new URL(`./dist/pdfjs/${folder}`, import.meta.url),
          {
            recursive: true,
          },
        );
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: '/',
  publicDir: '../assets/public',
  plugins: [react(), contentSecurityPolicyMeta(), bundlePdfjsAssets()],
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    outDir: '../dist',
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
