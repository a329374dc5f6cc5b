import { loadHnswlib } from 'hnswlib-wasm';
import { describe, expect, it } from 'vitest';
import { JobControl } from '../../src/bridge/jobControl';
import { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { hnswBytesPerVector, hnswIndexBytes } from '../../src/lib/hnswMemory';
import { clusteredVectors } from '../../src/lib/syntheticVectors';

/** Larger than any block freed in this file, so malloc must serve it from the top of its arena. */
const PROBE_BYTES = 256 * 2 ** 20;

/**
 * Where hnswlib-wasm's used memory ends. Its allocator (dlmalloc) serves a request larger than
 * any free block from the top of its arena, so the address it returns is the end of what is in
 * use; the difference before and after a build is what the build took, malloc's headers and any
 * fragmentation included. (The heap's byte length would not do: Emscripten grows it in steps of
 * up to 20 %.)
 */
async function arenaTop(): Promise<number> {
  const exports = ((await loadHnswlib()) as unknown as { asm: { malloc(n: number): number; free(p: number): void } })
    .asm;
  const address = exports.malloc(PROBE_BYTES);
  if (address === 0) throw new Error('probe allocation failed');
  exports.free(address);
  return address;
}

async function measuredBytes(count: number, dim: number, M: number): Promise<number> {
  const vectors = clusteredVectors({ count, dim, clusters: 20, spread: 0.6, seed: dim + M });
  const ids = Int32Array.from({ length: count }, (_, i) => i);
  const before = await arenaTop();
  // efConstruction changes the build's time, not what an element stores: small, to run in seconds.
  const index = await HnswIndex.build(vectors, ids, dim, { M, efConstruction: 32 }, new JobControl(), () => {});
  const after = await arenaTop();
  index.dispose();
  expect(await arenaTop()).toBe(before);
  return after - before;
}

describe("the memory model against hnswlib-wasm's heap", () => {
  // The app's 1280-d embeddings, where the vectors dominate; and 64-d, where links, locks and the
  // label map are a large share, so a wrong structure term shows.
  it.each([
    [2000, 1280, 16],
    [5000, 64, 16],
    [5000, 64, 4],
    [5000, 64, 48],
    [20000, 16, 16],
  ])('N=%i, %i-d, M=%i: the model is within a tenth of the bytes the build took', async (count, dim, M) => {
    const measured = await measuredBytes(count, dim, M);
    const model = hnswIndexBytes(count, dim, M);
    console.log(
      `N=${count}, ${dim}-d, M=${M}: measured ${measured} B, model ${model} B (${((model / measured - 1) * 100).toFixed(1)} %)`,
    );
    expect(Math.abs(model - measured) / measured).toBeLessThan(0.1);
  });

  it('the per-vector cost is the slope: growth from N to 3N is within 10 % of the model', async () => {
    // Fixed costs cancel: what each further vector costs, as the Scale lab's slopes and the heap limit use it.
    const dim = 64;
    const M = 16;
    const perVector = ((await measuredBytes(6000, dim, M)) - (await measuredBytes(2000, dim, M))) / 4000;
    console.log(
      `${dim}-d, M=${M}: ${perVector.toFixed(1)} B per vector measured, ${hnswBytesPerVector(dim, M).toFixed(1)} modelled`,
    );
    expect(Math.abs(hnswBytesPerVector(dim, M) - perVector) / perVector).toBeLessThan(0.1);
  });
});
