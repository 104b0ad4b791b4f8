import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Builds the benchmark page (never shipped with the app). */
export default defineConfig({
  root: 'tests/bench',
  plugins: [react()],
  base: '/',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: { outDir: '../../dist-bench', emptyOutDir: true, target: 'es2023', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  logLevel: 'warn',
});
