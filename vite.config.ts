import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { PAGE_POLICY, policyForPath } from './src/lib/contentSecurityPolicy.ts';

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
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_POLICY }, injectTo: 'head-prepend' }],
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        response.setHeader('Content-Security-Policy', policyForPath(request.url ?? '/'));
        next();
      });
    },
  };
}

export default defineConfig({
  root: 'src',
  base: './',
  publicDir: '../public',
  plugins: [svelte({ configFile: false }), contentSecurityPolicy()],
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
