import 'fake-indexeddb/auto';

// hnswlib-wasm is built for the web: it checks that importScripts exists before it loads.
(globalThis as { importScripts?: () => void }).importScripts ??= () => {};
