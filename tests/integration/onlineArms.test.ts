import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/bridge/workerClient';
import { SEARCH_WORKER } from '../../src/features/search/shared/protocol';
import { searchWorker } from '../../src/features/search/worker/searchWorker';
import { ONLINE_WORKER, STARVED_HNSW } from '../../src/features/online/shared/protocol';
import { onlineWorker } from '../../src/features/online/worker/onlineWorker';
import { annRecallAtK } from '../../src/lib/annRecall';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { portWorker } from '../fixtures/portWorker';

const DIM = 32;
const COUNT = 1500;
const K = 10;
const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 30, spread: 0.9, seed: 5 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => i);
const meanRecall = (truth: number[][], lists: number[][]) =>
  truth.reduce((sum, exact, i) => sum + annRecallAtK(exact, lists[i]), 0) / truth.length;

describe("the online arms' result lists", () => {
  const search = new WorkerClient(() => portWorker(SEARCH_WORKER, searchWorker()), SEARCH_WORKER);
  const online = new WorkerClient(() => portWorker(ONLINE_WORKER, onlineWorker()), ONLINE_WORKER);
  afterAll(() => {
    search.terminate();
    online.terminate();
  });

  it('the starved index (its own build, freed after) finds far fewer exact neighbours than the serving one', async () => {
    await search.setVectors(vectors.slice(), ids.slice(), DIM);
    await search.buildIndex({ M: 16, efConstruction: 200 }, () => {});
    const serving = (await search.leaveOneOut(K, 64, () => {}))!;
    const { M, efConstruction, efSearch } = STARVED_HNSW;
    const starved = (await search.leaveOneOutOnIndex({ M, efConstruction }, K, efSearch, () => {}))!;
    expect(starved).toHaveLength(COUNT);
    starved.forEach((list, i) => {
      expect(list).toHaveLength(K);
      expect(list).not.toContain(serving.queryIds[i]);
    });
    const servingRecall = meanRecall(serving.exact, serving.hnsw);
    const starvedRecall = meanRecall(serving.exact, starved);
    expect(servingRecall).toBeGreaterThan(0.95);
    expect(starvedRecall).toBeLessThan(servingRecall - 0.1);
    // The page's index still serves, unchanged.
    expect((await search.leaveOneOut(K, 64, () => {}))!.hnsw).toEqual(serving.hnsw);
  });

  it('re-ranked arms: near-duplicates of a kept result go, MMR reorders the candidates', async () => {
    // Image 1 is an exact copy of image 0; query 2 sees both among its candidates.
    const dim = 2;
    const unit = (angle: number) => [Math.cos(angle), Math.sin(angle)];
    const rows = [unit(0.1), unit(0.1), unit(0), unit(0.3), unit(0.5), unit(1.2)];
    const request = {
      ids: Int32Array.from(rows.keys()),
      dim,
      queryIds: [2],
      candidates: [[0, 1, 3, 4, 5]],
      k: 3,
    };
    const dedup = await online.rerankLists(
      {
        ...request,
        vectors: Float32Array.from(rows.flat()),
        rules: { excluded: new Map(), dedupThreshold: 0.99, mmrLambda: null },
      },
      () => {},
    );
    expect(dedup).toEqual([[0, 3, 4]]);
    const mmr = await online.rerankLists(
      {
        ...request,
        vectors: Float32Array.from(rows.flat()),
        rules: { excluded: new Map(), dedupThreshold: null, mmrLambda: 0.3 },
      },
      () => {},
    );
    expect(mmr![0][0]).toBe(0);
    expect(mmr![0]).toContain(5);
  });
});
