import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview, type Plugin } from 'vite';
import type { ProbeApi } from './page/protocol';

const root = resolve(import.meta.dirname, '../..');

/**
 * The app gives its embedding and search workers different Content-Security-Policies; the probe
 * worker runs tfjs and hnswlib-wasm side by side, so it gets both relaxations (and nothing remote).
 */
const probeWorkerPolicy: Plugin = {
  name: 'probe-worker-policy',
  configurePreviewServer(server) {
    server.middlewares.use((request, response, next) => {
      if (/\/probe\.worker-[\w-]+\.js/.test(request.url ?? '')) {
        response.setHeader(
          'Content-Security-Policy',
          "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' blob:; connect-src 'self'; worker-src 'self' blob:",
        );
      }
      next();
    });
  },
};

/**
 * Builds the probe page (tests/bench/page) with the app's Vite config — same worker format,
 * no minification, same COOP/COEP headers — and serves it with the models in `publicDir`.
 */
export async function serveProbePage(
  publicDir: string,
  outDir: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const configFile = join(root, 'vite.config.ts');
  const pageRoot = join(import.meta.dirname, 'page');
  await build({ configFile, root: pageRoot, publicDir, build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  const server = await preview({
    configFile,
    root: pageRoot,
    build: { outDir },
    plugins: [probeWorkerPolicy],
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}

/** Runs one probe in a fresh worker of the probe page. */
export function runProbe<M extends keyof ProbeApi>(
  page: Page,
  method: M,
  arg: Parameters<ProbeApi[M]>[0],
): Promise<Awaited<ReturnType<ProbeApi[M]>>> {
  return page.evaluate(
    ([m, a]) => (window as unknown as { probe: (m: string, a: unknown) => Promise<unknown> }).probe(m, a),
    [method, arg] as const,
  ) as Promise<Awaited<ReturnType<ProbeApi[M]>>>;
}
