import { join, resolve } from 'node:path';
import { build, preview } from 'vite';

const root = resolve(import.meta.dirname, '../..');

/** Builds the app from `publicDir` into `outDir` and serves it on a free local port. */
export async function serveBuiltApp(publicDir: string, outDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const configFile = join(root, 'vite.config.ts');
  await build({ configFile, publicDir, build: { outDir }, logLevel: 'warn' });
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
