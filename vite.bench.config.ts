import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { bundlePdfjsAssets } from './scripts/vite-plugins';

/** Builds the benchmark page (never shipped with the app). */
export default defineConfig({
  root: 'tests/bench',
  plugins: [react(), bundlePdfjsAssets('dist-bench')],
  base: '/',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: { outDir: '../../dist-bench', emptyOutDir: true, target: 'es2023', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  logLevel: 'warn',
});
