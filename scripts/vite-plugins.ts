import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../electron/csp';

/** Writes the CSP into the built index.html (the dev server needs inline
 * scripts for hot reload, so only the build gets it). */
export function contentSecurityPolicyMeta(): Plugin {
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
/** `outDir` is relative to the repository, or absolute. */
export function bundlePdfjsAssets(outDir: string): Plugin {
  return {
    name: 'evidence-vault-pdfjs-assets',
    apply: 'build',
    closeBundle() {
      for (const folder of ['cmaps', 'standard_fonts', 'wasm', 'iccs'])
        cpSync(
          new URL(`../node_modules/pdfjs-dist/${folder}`, import.meta.url),
          resolve(fileURLToPath(new URL('..', import.meta.url)), outDir, 'pdfjs', folder),
          {
            recursive: true,
          },
        );
    },
  };
}
