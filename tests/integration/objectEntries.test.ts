import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/bridge/workerClient';
import { SEARCH_WORKER } from '../../src/features/search/shared/protocol';
import { searchWorker } from '../../src/features/search/worker/searchWorker';
import { isObjectEntry, objectEntryId, parentOf, type CollapsedHit } from '../../src/lib/objectEntries';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { portWorker } from '../fixtures/portWorker';

const DIM = 32;
const COUNT = 400;
const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 8, spread: 0.6, seed: 5 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => i);
const row = (i: number) => vectors.slice(i * DIM, (i + 1) * DIM);

/** Object entries: image p gets, as its "objects", copies of images far from it (so a query for those finds p too). */
const PARENTS = [3, 50, 120, 399];
const entryIds = PARENTS.flatMap((p) => [objectEntryId(p, 0), objectEntryId(p, 1)]);
const entryOf = (i: number) => row((PARENTS[Math.floor(i / 2)] + 37 * (i + 1)) % COUNT);
const entryVectors = () => {
  const all = new Float32Array(entryIds.length * DIM);
  entryIds.forEach((_, i) => all.set(entryOf(i), i * DIM));
  return all;
};
const unique = (hits: { id: number }[]) => new Set(hits.map((h) => h.id)).size === hits.length;

describe('object-level entries in the search worker (real hnswlib-wasm)', () => {
  const search = new WorkerClient(() => portWorker(SEARCH_WORKER, searchWorker()), SEARCH_WORKER);
  afterAll(() => search.terminate());
  let evaluationBefore: Awaited<ReturnType<typeof search.leaveOneOut>> = null;

  it('adds entries to both engines through the live add path', async () => {
    await search.setVectors(vectors.slice(), ids.slice(), DIM);
    await search.buildIndex({ M: 16, efConstruction: 100 }, () => {});
    evaluationBefore = await search.leaveOneOut(10, 200, () => {});
    const size = await search.add(entryVectors(), entryIds);
    expect(size.count).toBe(COUNT + entryIds.length);
    // Exports, the map, training and pgvector copy the images only; the head's base keeps everything.
    const images = await search.copyVectors(true);
    expect(Array.from(images.ids)).toEqual(Array.from(ids));
    expect(images.vectors).toEqual(vectors);
    expect((await search.copyVectors()).ids).toHaveLength(COUNT + entryIds.length);
  });

  it('a query for an object finds its parent image, once, in every column, with the entry that hit', async () => {
    // Entry 1 (image 3's second object) is a copy of image 3 + 74.
    const query = { vector: entryOf(1) };
    const result = await search.search(query, 10, 200, null, ['sq8']);
    const lists: CollapsedHit[][] = [
      result.exact,
      result.hnsw,
      result.reranked.exact.kept,
      result.reranked.hnsw.kept,
      result.extra.sq8!.raw,
      result.extra.sq8!.reranked.kept,
    ];
    for (const list of lists) {
      expect(list).toHaveLength(10);
      expect(unique(list)).toBe(true);
      expect(list.some((h) => isObjectEntry(h.id))).toBe(false);
      expect(list.map((h) => h.id)).toContain(3);
    }
    const hit = result.reranked.hnsw.kept.find((h) => h.id === 3) as CollapsedHit;
    expect(hit.entry).toBe(objectEntryId(3, 1));
    expect(hit.score).toBeCloseTo(1, 4);
    // The image itself and its copy inside image 3 are the two best: ANN recall compares images with images.
    expect(
      result.exact
        .slice(0, 2)
        .map((h) => h.id)
        .sort((a, b) => a - b),
    ).toEqual([3, 77].sort((a, b) => a - b));
  });

  it('an excluded image stays hidden even when one of its objects matches', async () => {
    const rules = { excluded: new Map([[3, 'private' as const]]), dedupThreshold: null, mmrLambda: null };
    const result = await search.search({ vector: entryOf(1) }, 10, 200, rules, ['sq8']);
    expect(result.reranked.exact.kept.map((h) => h.id)).not.toContain(3);
    expect(result.reranked.hnsw.kept.map((h) => h.id)).not.toContain(3);
    expect(result.extra.sq8!.reranked.kept.map((h) => h.id)).not.toContain(3);
  });

  it('offline evaluation stays over images: entries are neither queries nor candidates', async () => {
    const evaluation = await search.leaveOneOut(10, 200, () => {});
    expect(evaluation!.queryIds).toEqual(Array.from(ids));
    for (const list of [...evaluation!.exact, ...evaluation!.hnsw]) {
      expect(list).toHaveLength(10);
      expect(list.some(isObjectEntry)).toBe(false);
    }
    // The exact lists are what they were before the entries came.
    expect(evaluation!.exact).toEqual(evaluationBefore!.exact);
    const starved = await search.leaveOneOutOnIndex({ M: 8, efConstruction: 50 }, 10, 64, () => {});
    expect(starved).toHaveLength(COUNT);
    for (const list of starved!) expect(list.some(isObjectEntry)).toBe(false);
  });

  it('deleting entries takes them out of both engines; they can come back with the same ids', async () => {
    const mine = entryIds.filter((id) => parentOf(id) === 3);
    expect((await search.remove(mine)).count).toBe(COUNT + entryIds.length - 2);
    const after = await search.search({ vector: entryOf(1) }, 10, 200, null);
    expect((after.reranked.hnsw.kept.find((h) => h.id === 3) as CollapsedHit | undefined)?.entry).toBeUndefined();
    await search.add(entryVectors().slice(0, 2 * DIM), mine);
    const back = await search.search({ vector: entryOf(1) }, 10, 200, null);
    expect((back.reranked.hnsw.kept.find((h) => h.id === 3) as CollapsedHit).entry).toBe(objectEntryId(3, 1));
    expect((await search.remove(entryIds)).count).toBe(COUNT);
    const plain = await search.search({ id: 7 }, 10, 200, null);
    expect(plain.exact.some((h) => 'entry' in h)).toBe(false);
  });
});
