/**
 * The Content-Security-Policy of the built app: its own origin only, no remote origin, and
 * each relaxation only where it is needed. The page carries PAGE_POLICY both as a header and
 * as a <meta> tag (so a static host without headers still enforces it); each worker script
 * gets its own policy as a header, since a worker loaded from a URL follows the policy of its
 * own response, not the page's.
 */

type Policy = Record<string, string[]>;

const SELF = "'self'";

/** Common to every document and worker: nothing from anywhere but this origin. */
const BASE: Policy = {
  'default-src': ["'none'"],
  'script-src': [SELF],
  'connect-src': [SELF],
  'img-src': [SELF],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * The page: styles from the built CSS file, uploaded images as blob: URLs, module workers from
 * this origin (blob: kept for the service worker's tooling). Its own downloads (the sweep's CSV)
 * are blob: URLs that a reader may fetch.
 */
const PAGE: Policy = {
  ...BASE,
  'connect-src': [SELF, 'blob:'],
  'style-src': [SELF],
  'img-src': [SELF, 'blob:', 'data:'],
  'worker-src': [SELF, 'blob:'],
  'manifest-src': [SELF],
};

/**
 * Embedding and detection workers: tfjs compiles its WebAssembly backend; the threaded backend
 * starts its helper threads from blob: URLs; and they read the images you gave by the page's own
 * blob: URLs (a crop or the boxes of an image from your folder), which only this origin can make.
 */
const EMBED_WORKER: Policy = {
  ...BASE,
  'connect-src': [SELF, 'blob:'],
  'script-src': [SELF, "'wasm-unsafe-eval'", 'blob:'],
  'worker-src': [SELF, 'blob:'],
};

/** Search and scale workers: hnswlib-wasm's embind builds its bindings with `new Function`, which needs 'unsafe-eval'. */
const HNSW_WORKER: Policy = {
  ...BASE,
  'script-src': [SELF, "'wasm-unsafe-eval'", "'unsafe-eval'"],
};

/** The pgvector worker: PGlite compiles Postgres (and the vector extension it loads) from WebAssembly. */
const PGVECTOR_WORKER: Policy = {
  ...BASE,
  'script-src': [SELF, "'wasm-unsafe-eval'"],
};

/**
 * The known-vectors worker: it only downloads and decodes a file of this origin and reads IndexedDB (which
 * no directive governs), so it gets nothing more.
 */
const KNOWN_VECTORS_WORKER: Policy = BASE;

export function formatPolicy(policy: Policy): string {
  return Object.entries(policy)
    .map(([directive, sources]) => [directive, ...sources].join(' '))
    .join('; ');
}

/** For the <meta> tag, which cannot carry frame-ancestors. */
export const PAGE_POLICY = formatPolicy(PAGE);

/** The header for a response of the built app, chosen by its path. */
export function policyForPath(path: string): string {
  const file = path.split('?')[0].split('/').pop() ?? '';
  if (/^(embed|detect)\.worker-[\w-]+\.js$/.test(file)) return formatPolicy(EMBED_WORKER);
  if (/^(search|scale)\.worker-[\w-]+\.js$/.test(file)) return formatPolicy(HNSW_WORKER);
  if (/^pgvector\.worker-[\w-]+\.js$/.test(file)) return formatPolicy(PGVECTOR_WORKER);
  if (/^knownVectors\.worker-[\w-]+\.js$/.test(file)) return formatPolicy(KNOWN_VECTORS_WORKER);
  return formatPolicy({ ...PAGE, 'frame-ancestors': ["'none'"] });
}
