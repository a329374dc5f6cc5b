/**
 * Ships the HNSW index with the catalogue: builds it in Node from an embedding bundle with the
 * app's own index code over the same hnswlib-wasm (so the file is what the app's readIndex reads),
 * and writes it beside the bundle as `<bundle stem>.hnsw` with a `.hnsw.json` description
 * (src/lib/shippedIndex.ts). `npm run embed` and setup call it; the app reads the file instead of
 * building when the description matches what it is about to index.
 */
import 'fake-indexeddb/auto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { vectorsFingerprint } from '../src/lib/cacheKeys';
import type { EmbeddingBundle } from '../src/lib/embeddingBundle';
import { DEFAULT_PARAMS, hnswParams } from '../src/lib/params';
import {
  SHIPPED_INDEX_FORMAT,
  parseShippedIndexMeta,
  sha256Hex,
  shippedIndexFiles,
  shippedIndexMismatch,
  type ShippedIndexMeta,
} from '../src/lib/shippedIndex';
import type { CatalogueManifest } from '../src/lib/types';

/** The knobs the app starts with: the index it can read without a build. */
export const SHIPPED_PARAMS = hnswParams(DEFAULT_PARAMS);

let hooked = false;

/**
 * hnswlib-wasm is built for the web: its package has no entry Node resolves, and it checks for
 * importScripts before loading. Point the bare import at its build (as the integration tests'
 * alias does) and stub importScripts; fake-indexeddb stands in for the IndexedDB its IDBFS mirrors to.
 */
function runHnswlibInNode(): void {
  if (hooked) return;
  hooked = true;
  (globalThis as { importScripts?: () => void }).importScripts ??= () => {};
  const target = new URL('../node_modules/hnswlib-wasm/dist/hnswlib.js', import.meta.url).href;
  const hook =
    `export async function resolve(specifier, context, next) {` +
    ` return specifier === 'hnswlib-wasm' ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context); }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/** Rows of the bundle the app indexes for this manifest: its items whose file the bundle embedded, in manifest order. */
export function indexedRows(bundle: EmbeddingBundle, manifest: CatalogueManifest): { id: number; hash: string }[] {
  const embedded = new Set(bundle.hashes);
  return manifest.items.filter((item) => embedded.has(item.hash)).map(({ id, hash }) => ({ id, hash }));
}

/** Builds the index of a bundle as the app would over the same rows; returns its bytes and description. */
export async function buildShippedIndex(
  bundle: EmbeddingBundle,
  manifest: CatalogueManifest,
  params = SHIPPED_PARAMS,
): Promise<{ bytes: Uint8Array; meta: ShippedIndexMeta }> {
  runHnswlibInNode();
  const [{ HnswIndex }, { JobControl }, { flushToStorage, removeStored }] = await Promise.all([
    import('../src/features/search/worker/hnswIndex'),
    import('../src/bridge/jobControl'),
    import('../src/features/search/worker/indexFiles'),
  ]);
  const rows = indexedRows(bundle, manifest);
  const { dim } = bundle;
  const rowOf = new Map(bundle.hashes.map((hash, row) => [hash, row]));
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach(({ hash }, i) => {
    const row = rowOf.get(hash)!;
    vectors.set(bundle.vectors.subarray(row * dim, (row + 1) * dim), i * dim);
  });
  const file = 'shipped.hnsw';
  const started = performance.now();
  // hnswlib's file system logs every sync to the console: quiet while it works.
  const log = console.log;
  console.log = () => {};
  try {
    const ids = rows.map((row) => row.id);
    const index = await HnswIndex.build(vectors, ids, dim, params, new JobControl(), () => {});
    await index.write(file);
    const bytes = (await flushToStorage(file)).slice();
    index.dispose();
    await removeStored([file]);
    const meta: ShippedIndexMeta = {
      format: SHIPPED_INDEX_FORMAT,
      modelId: bundle.modelId,
      preprocessing: bundle.preprocessing,
      M: params.M,
      efConstruction: params.efConstruction,
      fingerprint: vectorsFingerprint(rows),
      count: rows.length,
      dim,
      bytes: bytes.byteLength,
      checksum: await sha256Hex(bytes),
      buildMs: Math.round(performance.now() - started),
    };
    return { bytes, meta };
  } finally {
    console.log = log;
  }
}

/** Whether the index beside `bundleFile` is the one this bundle and manifest give, file checksum included. */
async function upToDate(bundleFile: string, bundle: EmbeddingBundle, manifest: CatalogueManifest): Promise<boolean> {
  const files = shippedIndexFiles(bundleFile);
  if (!existsSync(files.meta) || !existsSync(files.index)) return false;
  try {
    const meta = parseShippedIndexMeta(JSON.parse(await readFile(files.meta, 'utf8')));
    const wanted = {
      modelId: bundle.modelId,
      preprocessing: bundle.preprocessing,
      ...SHIPPED_PARAMS,
      fingerprint: vectorsFingerprint(indexedRows(bundle, manifest)),
    };
    if (shippedIndexMismatch(meta, wanted)) return false;
    return (await sha256Hex(await readFile(files.index))) === meta.checksum;
  } catch {
    return false;
  }
}

/** Writes the shipped index beside `bundleFile` unless the one there is up to date; says which. */
export async function ensureShippedIndex(
  bundleFile: string,
  bundle: EmbeddingBundle,
  manifest: CatalogueManifest,
): Promise<'up-to-date' | ShippedIndexMeta> {
  if (await upToDate(bundleFile, bundle, manifest)) return 'up-to-date';
  const { bytes, meta } = await buildShippedIndex(bundle, manifest);
  const files = shippedIndexFiles(bundleFile);
  await writeFile(files.index, bytes);
  await writeFile(files.meta, JSON.stringify(meta, null, 2));
  return meta;
}
