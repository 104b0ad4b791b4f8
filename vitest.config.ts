import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Vitest leaves one core free by default: on CI's 2 cores that ran the files one at a time. The tests are
    // single-threaded and independent (each vault on a fresh fake IndexedDB), so both cores take files.
    maxWorkers: 2,
  },
});
