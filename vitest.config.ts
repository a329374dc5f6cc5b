import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Setup's tests build the shipped index with the real hnswlib-wasm (datasets/shipIndex.ts).
        resolve: {
          alias: {
            'hnswlib-wasm': fileURLToPath(new URL('./node_modules/hnswlib-wasm/dist/hnswlib.js', import.meta.url)),
          },
        },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The real hnswlib-wasm in Node: its browser build, with a stub importScripts and
        // an in-memory IndexedDB for the IDBFS it mounts.
        resolve: {
          alias: {
            'hnswlib-wasm': fileURLToPath(new URL('./node_modules/hnswlib-wasm/dist/hnswlib.js', import.meta.url)),
          },
        },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/integration/hnswlibInNode.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/globalSetup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
