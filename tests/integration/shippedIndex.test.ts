import { afterAll, describe, expect, it } from 'vitest';
import { buildShippedIndex, indexedRows } from '../../datasets/shipIndex';
import { WorkerClient } from '../../src/bridge/workerClient';
import { SEARCH_WORKER, type BuildResult, type RestoreFailure } from '../../src/features/search/shared/protocol';
import { searchWorker } from '../../src/features/search/worker/searchWorker';
import { PREPROCESSING_VERSION } from '../../src/lib/preprocess';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import type { CatalogueManifest } from '../../src/lib/types';
import { portWorker } from '../fixtures/portWorker';

const DIM = 32;
const EMBEDDED = 300;
const hashes = Array.from({ length: EMBEDDED }, (_, i) => `hash-${i}`);
const bundle = {
  modelId: 'model',
  dim: DIM,
  preprocessing: PREPROCESSING_VERSION,
  hashes,
  vectors: clusteredVectors({ count: EMBEDDED, dim: DIM, clusters: 8, spread: 0.8, seed: 5 }),
};
// The manifest lists one file the bundle could not embed (an undecodable one): it is not indexed.
const files = [...hashes.slice(0, 100), 'hash-of-a-corrupt-file', ...hashes.slice(100)];
const manifest: CatalogueManifest = {
  format: 1,
  id: 'c',
  name: 'c',
  items: files.map((hash, id) => ({ id, file: `${id}.jpg`, label: '', width: 1, height: 1, hash })),
};
const params = { M: 8, efConstruction: 64 };
const dataUrl = (bytes: Uint8Array) => `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`;

function workerWithVectors() {
  const search = new WorkerClient(() => portWorker(SEARCH_WORKER, searchWorker()), SEARCH_WORKER);
  const rows = indexedRows(bundle, manifest);
  const vectors = new Float32Array(rows.length * DIM);
  rows.forEach(({ hash }, i) => {
    const row = hashes.indexOf(hash);
    vectors.set(bundle.vectors.subarray(row * DIM, (row + 1) * DIM), i * DIM);
  });
  const ids = Int32Array.from(rows, (row) => row.id);
  return { search, ready: search.setVectors(vectors, ids, DIM) };
}

describe('the index built in Node by setup, read by the search worker (real hnswlib-wasm)', () => {
  const built = workerWithVectors();
  const shipped = workerWithVectors();
  afterAll(() => {
    built.search.terminate();
    shipped.search.terminate();
  });

  it('describes the rows the app indexes: manifest order, unembedded files left out', async () => {
    const { meta } = await buildShippedIndex(bundle, manifest, params);
    expect(meta).toMatchObject({ count: EMBEDDED, dim: DIM, ...params, modelId: 'model' });
    expect(meta.fingerprint.startsWith(`${EMBEDDED}-`)).toBe(true);
    expect(indexedRows(bundle, manifest).map((row) => row.id)).not.toContain(100);
  });

  it('is served as shipped and answers exactly as the index the worker builds itself', async () => {
    const { bytes, meta } = await buildShippedIndex(bundle, manifest, params);
    await Promise.all([built.ready, shipped.ready]);
    expect(await built.search.buildIndex(params, () => {})).toMatchObject({ source: 'built', count: EMBEDDED });
    const read = (await shipped.search.loadShippedIndex(
      { url: dataUrl(bytes), meta, file: 'shipped-test.hnsw' },
      params,
    )) as BuildResult;
    expect(read).toMatchObject({ source: 'shipped', count: EMBEDDED });
    for (const id of [0, 99, 101, 250]) {
      const fromShipped = await shipped.search.search({ id }, 10, 16, null);
      const fromBuilt = await built.search.search({ id }, 10, 16, null);
      expect(fromShipped.hnsw).toEqual(fromBuilt.hnsw);
    }
  });

  it("reads the shipped index while the worker's early read of storage is still under way: neither is lost", async () => {
    // hnswlib-wasm answers only the later of two file-system syncs in flight at once: the page's
    // early `prepare` and a read right after it left one waiting for good before syncs took turns.
    const { bytes, meta } = await buildShippedIndex(bundle, manifest, params);
    const early = workerWithVectors();
    try {
      const stalled = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('a sync never ended')), 20_000),
      );
      const [prepared, read] = await Promise.race([
        Promise.all([
          early.search.prepare(),
          early.ready.then(() =>
            early.search.loadShippedIndex({ url: dataUrl(bytes), meta, file: 'early-read.hnsw' }, params),
          ),
        ]),
        stalled,
      ]);
      expect(prepared).toBeUndefined();
      expect(read).toMatchObject({ source: 'shipped', count: EMBEDDED });
    } finally {
      early.search.terminate();
    }
  });

  it('refuses a corrupt or truncated file, and then still builds', async () => {
    const { bytes, meta } = await buildShippedIndex(bundle, manifest, params);
    const corrupt = bytes.slice();
    corrupt[bytes.length >> 1] ^= 0xff;
    const refused = (await shipped.search.loadShippedIndex(
      { url: dataUrl(corrupt), meta, file: 'corrupt.hnsw' },
      params,
    )) as RestoreFailure;
    expect(refused.problem).toContain('checksum does not match');
    const truncated = (await shipped.search.loadShippedIndex(
      { url: dataUrl(bytes.subarray(0, 1000)), meta, file: 'corrupt.hnsw' },
      params,
    )) as RestoreFailure;
    expect(truncated.problem).toContain('bytes, not the');
    expect(await shipped.search.buildIndex(params, () => {})).toMatchObject({ source: 'built' });
  });
});
