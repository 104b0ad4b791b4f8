import { defineConfig } from 'vite';

/** Builds the benchmark page (never shipped with the app). */
export default defineConfig({
  root: 'tests/bench',
  base: '/',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: { outDir: '../../dist-bench', emptyOutDir: true, target: 'es2023', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  logLevel: 'warn',
});
