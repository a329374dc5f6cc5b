import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation lets tfjs-backend-wasm use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'src',
  base: './',
  publicDir: '../public',
  plugins: [
    svelte({ configFile: false }),
    // A service worker precaches the app, the wasm binaries, the models and the catalogues that
    // setup copied, so after one online visit the app works with the network off.
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
        globPatterns: ['**/*.{html,js,css,wasm,svg,json,bin,vsle,jpg,jpeg,png,webp,gif}'],
        // Model weight shards and large photos are well above Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // Minified worker bundles crash the threaded wasm backend ("e is not defined").
    minify: false,
    target: 'es2022',
  },
  server: { headers: isolation, fs: { allow: ['..'] } },
  preview: { headers: isolation },
});
