import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { DEFAULT_CATALOGUE } from './src/lib/catalogue.ts';
import { PAGE_POLICY, policyForPath } from './src/lib/contentSecurityPolicy.ts';

/** The pgvector worker and what PGlite fetches from it: Postgres, its file system, initdb and the vector extension. */
// Cross-origin isolation lets tfjs-backend-wasm use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app's Content-Security-Policy: a <meta> tag in index.html and, from `vite preview`,
 * a header per response (the workers' differ). The dev server stays without it: Vite injects
 * inline styles and opens a websocket there.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: (_, env) => env.command === 'build' || env.isPreview === true,
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_POLICY },
        injectTo: 'head-prepend',
      },
    ],
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        response.setHeader('Content-Security-Policy', policyForPath(request.url ?? '/'));
        next();
      });
    },
  };
}

/**
 * tfjs-backend-wasm's threaded build starts a pool of 8 Emscripten threads (each a worker of about
 * 16 MiB) in every embedding worker, while tfjs runs hardwareConcurrency / 2 threads: on 2 cores 8
 * workers held 132 MiB for one thread's work. Start as many as tfjs uses (a pool must not be
 * smaller: a thread that is not preloaded cannot start while its creator blocks waiting for it).
 */
function wasmThreadPool(): Plugin {
  const pool = 'var pthreadPoolSize=8;';
  return {
    name: 'wasm-thread-pool',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd') || !code.includes(pool)) return null;
      const sized = 'var pthreadPoolSize=Math.max(1,Math.ceil((navigator.hardwareConcurrency||2)/2));';
      return { code: code.replace(pool, sized), map: null };
    },
  };
}

/**
 * The catalogue's precomputed embeddings (.vsle) and shipped index (.hnsw) have extensions no MIME
 * table knows, so `vite preview` sent them without a Content-Type and its compression middleware took
 * them for text: it gzipped 12 MB of float32 on every load (1.2 s of the cold start on 2 cores, to save
 * 27 %). Labelled as the binary files they are, they go out as they are on disk, as any static server sends them.
 */
function binaryCatalogueFiles(): Plugin {
  return {
    name: 'binary-catalogue-files',
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        if (/\.(vsle|hnsw)(\?|$)/.test(request.url ?? ''))
          response.setHeader('Content-Type', 'application/octet-stream');
        next();
      });
    },
  };
}

export default defineConfig({
  root: 'src',
  base: './',
  publicDir: '../public',
  plugins: [
    svelte({ configFile: false }),
    contentSecurityPolicy(),
    binaryCatalogueFiles(),
    // A service worker precaches the app, the wasm binaries, the models and detectors, every catalogue's
    // manifest and precomputed embeddings, and the default catalogue's images, so after one online
    // visit the app works with the network off. Images of other catalogues are cached as they are
    // first fetched (embedding fetches them all), so a 10k-image catalogue does not weigh on install.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Visual Search Lab',
        short_name: 'Visual Search',
        description: 'Image search in the browser: MobileNet embeddings, HNSW next to exact search.',
        theme_color: '#1d4ed8',
        background_color: '#ffffff',
        display: 'standalone',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: [
          '*.{html,svg,webmanifest}',
          'assets/**/*',
          'models/**/*',
          'detectors/**/*',
          'catalogues/index.json',
          'catalogues/*/manifest.json',
          'catalogues/*/embeddings/*.vsle',
          'catalogues/*/embeddings/*.hnsw',
          'catalogues/*/embeddings/*.hnsw.json',
          `catalogues/${DEFAULT_CATALOGUE}/images/**/*`,
        ],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.includes('/catalogues/') && url.pathname.includes('/images/'),
            handler: 'CacheFirst',
            options: { cacheName: 'catalogue-images' },
          },
        ],
        // Model weight shards and large photos are well above Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        // Take control of the first visit as soon as installed, so what it fetches next is cached.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  // Minified worker bundles crash the threaded wasm backend ("e is not defined"): the workers get
  // only dead-code elimination (what Vite gives them when minify is off), the page's own code is minified.
  worker: { format: 'es', plugins: () => [wasmThreadPool()], rolldownOptions: { output: { minify: 'dce-only' } } },
  // PGlite finds its .wasm and .data next to its module (new URL(…, import.meta.url)): not pre-bundled on the dev server.
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    minify: true,
    target: 'es2022',
  },
  server: { headers: isolation, fs: { allow: ['..'] } },
  preview: { headers: isolation },
});
