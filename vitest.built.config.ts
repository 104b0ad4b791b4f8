import { defineConfig } from 'vitest/config';

/** Tests of the build output (dist/, dist-electron/, the packed app): `npm test` runs them after `npm run build`. */
export default defineConfig({
  test: {
    include: ['tests/built/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
