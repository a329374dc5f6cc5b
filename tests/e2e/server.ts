import { join, resolve } from 'node:path';
import { build, preview } from 'vite';

const root = resolve(import.meta.dirname, '../..');

/** Builds the app from `publicDir` into `outDir` and serves it on a free local port. */
export async function serveBuiltApp(
  publicDir: string,
  outDir: string,
  /** `minify: false` keeps function names, for a profile that names what it sampled (tests/bench/startupTrace.ts). */
  options: { minify?: boolean } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const configFile = join(root, 'vite.config.ts');
  // Vitest sets NODE_ENV=test, which would make Vite build a development bundle (no service
  // worker registration, Svelte's dev checks): the tests must drive what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile,
      publicDir,
      build: { outDir, ...(options.minify === false ? { minify: false } : {}) },
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({
    configFile,
    build: { outDir },
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}
