import { afterEach, describe, expect, it, vi } from 'vitest';
import { exactTopK } from '../../src/lib/exactSearch';
import type { RerankRules } from '../../src/lib/rerank';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import type { Neighbour } from '../../src/lib/types';
import { rerankBoth } from '../../src/features/rerank/worker/rerankStage';
import { ExactScanner } from '../../src/features/search/worker/exactScan';
import type { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { VectorStore } from '../../src/features/search/worker/vectorStore';

// The plain-JS scan stays importable (the reference), but is watched: the stage must not use it.
vi.mock('../../src/lib/exactSearch', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lib/exactSearch')>();
  return { ...original, exactTopK: vi.fn(original.exactTopK) };
});

const DIM = 16;
const COUNT = 200;
const K = 5;
const data = clusteredVectors({ count: COUNT, dim: DIM, clusters: 4, spread: 0.5, seed: 9 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => 1000 + i);

function stage(rules: RerankRules | null) {
  const store = new VectorStore(data.slice(), ids.slice(), DIM);
  const vector = store.vectorOf(1000);
  const once = (run: () => Neighbour[]) => ({ result: run(), ms: 1 });
  const raw = { exact: once(() => store.exactTopK(vector, K)), hnsw: once(() => store.exactTopK(vector, K)) };
  // The HNSW column is not under test: it answers with the exact order.
  const index = { search: (query: Float32Array, k: number) => store.exactTopK(query, k) } as unknown as HnswIndex;
  const scans = vi.spyOn(ExactScanner.prototype, 'topK');
  vi.mocked(exactTopK).mockClear();
  const result = rerankBoth({ store, index, vector, k: K, efSearch: 64, rules, raw, timed: once });
  return { result, scans, vector };
}

afterEach(() => vi.restoreAllMocks());

describe('the re-ranking stage fetches its exact candidates with the WebAssembly scan', () => {
  it('with a rule on, the 3k exact candidates come from the same scan as the raw exact search', () => {
    const rules: RerankRules = { excluded: new Map([[1001, 'private']]), dedupThreshold: null, mmrLambda: null };
    const { result, scans, vector } = stage(rules);
    expect(result.fetched).toBe(3 * K);
    // One scan for the exact candidates, one for the HNSW stand-in; the plain-JS scan never ran.
    expect(scans.mock.calls.map(([, , k]) => k)).toEqual([3 * K, 3 * K]);
    expect(vi.mocked(exactTopK)).not.toHaveBeenCalled();
    // Same candidates as the reference scan gives, bit for bit, then re-ranked.
    const reference = vi.mocked(exactTopK).getMockImplementation()!(data, ids, DIM, vector, 3 * K);
    expect(result.exact.candidates).toBe(3 * K);
    expect(result.exact.kept).toEqual(reference.filter((n) => n.id !== 1001).slice(0, K));
  });

  it('with no rule on, the raw top k are reused and nothing is scanned again', () => {
    const { result, scans } = stage(null);
    expect(result.fetched).toBe(K);
    expect(scans).not.toHaveBeenCalled();
    expect(vi.mocked(exactTopK)).not.toHaveBeenCalled();
  });
});
