import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exactTopK } from '../../src/lib/exactSearch';
import { seededRandom } from '../../src/lib/syntheticVectors';
import { assembleScanKernel, kernelModuleSource } from '../../src/features/search/worker/buildScanKernel';
import { ExactScanner } from '../../src/features/search/worker/exactScan';

function randomVectors(count: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * dim }, () => random() * 2 - 1);
}

const idsFor = (count: number) => Int32Array.from({ length: count }, (_, i) => 500 + 3 * i);

describe('ExactScanner (the WebAssembly SIMD exact scan)', () => {
  // Dimensions around the kernel’s 4-float blocks (a remainder of 0..3), and the models’ own;
  // even and odd counts, as the kernel scores rows in pairs and the last odd one alone.
  it.each([
    [200, 1, 5],
    [301, 3, 10],
    [257, 4, 10],
    [120, 5, 120],
    [99, 7, 200],
    [64, 129, 10],
    [1000, 256, 10],
    [500, 1280, 10],
    [33, 1283, 7],
    // One row (only the single-row path) and two (one pair, nothing left over).
    [1, 1283, 3],
    [2, 6, 2],
  ])('gives exactTopK’s ids and scores, bit for bit (N=%i, d=%i, k=%i)', (count, dim, k) => {
    const vectors = randomVectors(count + 5, dim, count * dim);
    const data = vectors.subarray(0, count * dim);
    const ids = idsFor(count);
    const scanner = ExactScanner.of(data, dim);
    for (let q = 0; q < 5; q++) {
      const query = vectors.subarray((count + q) * dim, (count + q + 1) * dim);
      expect(scanner.topK(ids, query, k)).toEqual(exactTopK(data, ids, dim, query, k));
    }
  });

  it('keeps ties in catalogue order, as exactTopK does', () => {
    const dim = 6;
    const row = [0.5, -0.25, 0.125, 0.75, 0.1, -0.3];
    const other = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    // Rows 1, 3 and 4 are the same vector: equal scores, which must come out as rows 1, 3, 4.
    const data = Float32Array.from([other, row, other, row, row, other].flat());
    const ids = Int32Array.from([10, 11, 12, 13, 14, 15]);
    const result = ExactScanner.of(data, dim).topK(ids, Float32Array.from(row), 4);
    expect(result.map((n) => n.id)).toEqual([11, 13, 14, 10]);
    expect(result).toEqual(exactTopK(data, ids, dim, Float32Array.from(row), 4));
  });

  it('clamps k to N, answers nothing for k = 0, and scans only the rows it is given ids for', () => {
    const dim = 9;
    const vectors = randomVectors(40, dim, 3);
    const scanner = ExactScanner.of(vectors, dim);
    const query = randomVectors(1, dim, 4);
    expect(scanner.topK(idsFor(40), query, 100)).toEqual(exactTopK(vectors, idsFor(40), dim, query, 100));
    expect(scanner.topK(idsFor(40), query, 0)).toEqual([]);
    // The first 25 rows only, as the scale experiment keeps its queries in the rows after its data.
    expect(scanner.topK(idsFor(25), query, 8)).toEqual(
      exactTopK(vectors.subarray(0, 25 * dim), idsFor(25), dim, query, 8),
    );
    expect(() => scanner.topK(idsFor(41), query, 8)).toThrow();
  });

  it('has room for a large store (its memory grows past the first page)', () => {
    const scanner = new ExactScanner(3000, 1280);
    expect(scanner.vectors.length).toBe(3000 * 1280);
    scanner.vectors.fill(0.5);
    expect(scanner.topK(idsFor(3000), new Float32Array(1280).fill(1), 1)[0]).toEqual({ id: 500, score: 640 });
  });

  it('runs the kernel assembled from exactScanKernel.wat (the generated module is up to date)', async () => {
    const generated = readFileSync(
      new URL('../../src/features/search/worker/exactScanKernel.wasm.ts', import.meta.url),
      'utf8',
    );
    expect(generated).toBe(kernelModuleSource(await assembleScanKernel()));
  });
});
