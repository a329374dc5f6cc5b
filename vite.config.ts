import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Cross-origin isolation lets tfjs-backend-wasm use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'src',
  base: './',
  publicDir: '../public',
  plugins: [svelte({ configFile: false })],
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
